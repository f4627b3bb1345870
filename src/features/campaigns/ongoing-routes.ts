/**
 * Ongoing web chat campaigns (ongoing.ts), marketers (ACCESS.campaigns; admin always; viewers read):
 *   GET   /api/ongoing-campaigns                 every one, newest first, with shown/replied
 *   POST  /api/ongoing-campaigns {name, rules, message, enabled?} → 201
 *   PATCH /api/ongoing-campaigns/:id {name?, rules?, message?, enabled?}
 * Public, for the widget (CORS *; the session's Bearer token when it has one):
 *   POST /api/webchat/campaign {url, visitorId?, sessionId?, locale?} → {campaign: {id, text, secondsOnPage} | null}
 *   POST /api/webchat/campaign/:id/shown {url, visitorId?, sessionId?} → {recorded}
 * A wrong or missing token is no error here: the visitor is then anonymous (audience 'all' only).
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { actorOf, requireRole } from '../../http/guard.js';
import { errorResponses } from '../../http/schemas.js';
import { ACCESS } from '../../kernel/roles.js';
import {
  createOngoing,
  listOngoing,
  matchOngoing,
  ongoingView,
  recordShown,
  updateOngoing,
  visitorOf,
} from './ongoing.js';
import {
  campaignIdParams,
  ongoingCampaignSchema,
  ongoingCreateBody,
  ongoingMatchBody,
  ongoingMatchSchema,
  ongoingShownBody,
  ongoingShownSchema,
  ongoingUpdateBody,
} from './schemas.js';

const tags = ['campaigns'];

const bearer = (req: FastifyRequest) =>
  /^Bearer\s+(\S+)\s*$/i.exec(req.headers.authorization ?? '')?.[1];
const anyOrigin = async (_req: FastifyRequest, reply: FastifyReply) => {
  reply.header('access-control-allow-origin', '*');
};

export function mountOngoingRoutes(server: FastifyInstance): void {
  const app = server.withTypeProvider<ZodTypeProvider>();
  const read = requireRole(...ACCESS.campaigns.read);
  const write = requireRole(...ACCESS.campaigns.write);

  app.get(
    '/api/ongoing-campaigns',
    {
      onRequest: read,
      schema: {
        tags,
        summary: 'Ongoing web chat campaigns (on-page rules), newest first',
        response: { 200: z.array(ongoingCampaignSchema), ...errorResponses(401, 403) },
      },
    },
    async () => listOngoing(),
  );

  app.post(
    '/api/ongoing-campaigns',
    {
      onRequest: write,
      schema: {
        tags,
        summary: 'Create an ongoing web chat campaign (URL pattern, seconds on page, audience)',
        body: ongoingCreateBody,
        response: { 201: ongoingCampaignSchema, ...errorResponses(400, 401, 403) },
      },
    },
    async (req, reply) =>
      reply.status(201).send(await ongoingView(await createOngoing(req.body, actorOf(req)))),
  );

  app.patch(
    '/api/ongoing-campaigns/:id',
    {
      onRequest: write,
      schema: {
        tags,
        summary: 'Change, enable or disable an ongoing web chat campaign',
        params: campaignIdParams,
        body: ongoingUpdateBody,
        response: { 200: ongoingCampaignSchema, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (req) => ongoingView(await updateOngoing(req.params.id, req.body, actorOf(req))),
  );

  app.post(
    '/api/webchat/campaign',
    {
      onRequest: anyOrigin,
      config: { rateLimit: { max: 120, timeWindow: 60_000 } },
      schema: {
        tags,
        summary: 'The widget: the ongoing campaign to show this visitor on this page, if any',
        body: ongoingMatchBody,
        response: { 200: ongoingMatchSchema, ...errorResponses(400, 429) },
      },
    },
    async (req) => {
      const v = await visitorOf(req.body.sessionId, bearer(req), req.body.visitorId);
      return { campaign: await matchOngoing(req.body.url, v, req.body.locale) };
    },
  );

  app.post(
    '/api/webchat/campaign/:id/shown',
    {
      onRequest: anyOrigin,
      config: { rateLimit: { max: 120, timeWindow: 60_000 } },
      schema: {
        tags,
        summary: 'The widget showed the campaign: recorded once per visitor',
        params: campaignIdParams,
        body: ongoingShownBody,
        response: { 200: ongoingShownSchema, ...errorResponses(400, 404, 429) },
      },
    },
    async (req) => {
      const v = await visitorOf(req.body.sessionId, bearer(req), req.body.visitorId);
      return { recorded: await recordShown(req.params.id, req.body.url, v) };
    },
  );
}
