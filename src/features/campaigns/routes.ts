/**
 * Campaigns (issue 21), marketers (ACCESS.campaigns; admin always; viewers read):
 *   GET  /api/campaigns?status=                       newest first, with counts
 *   POST /api/campaigns {name, segmentId, channel, message, variants?, sendAt?} → 201 (a draft)
 *   GET  /api/campaigns/:id
 *   PATCH /api/campaigns/:id {name?, segmentId?, channel?, message?, variants?, sendAt?}  a draft
 *   GET  /api/campaigns/audience?segmentId=&channel=  live preview while editing
 *   GET  /api/campaigns/:id/audience                  the campaign's audience now
 * Changes are audited (campaign.create…). Sending and tracking: sending-routes.ts.
 */
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { TemplateSender } from '../../kernel/contracts/channel-adapter.js';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { actorOf, requireRole } from '../../http/guard.js';
import { errorResponses, pageOf } from '../../http/schemas.js';
import { ACCESS } from '../../kernel/roles.js';
import type { OutreachLookup } from '../outreach/index.js';
import { storedTemplates, syncTemplates } from './templates.js';
import { previewAudience } from './audience.js';
import {
  audiencePreviewSchema,
  audienceQuery,
  campaignCreateBody,
  campaignIdParams,
  campaignListQuery,
  campaignSchema,
  campaignUpdateBody,
  whatsappTemplateSchema,
} from './schemas.js';
import {
  campaignView,
  createCampaign,
  findCampaign,
  listCampaigns,
  updateCampaign,
} from './service.js';

export const tags = ['campaigns'];

export function mountCampaignRoutes(
  server: FastifyInstance,
  lookup: OutreachLookup,
  whatsappTemplates: () => TemplateSender | undefined,
): void {
  const app = server.withTypeProvider<ZodTypeProvider>();
  const read = requireRole(...ACCESS.campaigns.read);
  const write = requireRole(...ACCESS.campaigns.write);

  app.get(
    '/api/campaigns/whatsapp-templates',
    {
      onRequest: read,
      schema: {
        tags,
        summary: 'WhatsApp message templates as the platform listed them at the last sync',
        response: { 200: z.array(whatsappTemplateSchema), ...errorResponses(401, 403) },
      },
    },
    async () => storedTemplates(),
  );

  app.post(
    '/api/campaigns/whatsapp-templates/sync',
    {
      onRequest: write,
      schema: {
        tags,
        summary: 'Read the templates from WhatsApp (Graph) and store them in place of the old list',
        response: {
          200: z.array(whatsappTemplateSchema),
          ...errorResponses(401, 403, 409, 503),
        },
      },
    },
    async (req) => syncTemplates(whatsappTemplates(), actorOf(req)),
  );

  app.get(
    '/api/campaigns',
    {
      onRequest: read,
      schema: {
        tags,
        summary: 'Campaigns, newest first, with their recipients per state',
        querystring: campaignListQuery,
        response: { 200: pageOf(campaignSchema), ...errorResponses(400, 401, 403) },
      },
    },
    async (req) => listCampaigns(req.query.status),
  );

  app.post(
    '/api/campaigns',
    {
      onRequest: write,
      schema: {
        tags,
        summary: 'Create a campaign (a draft until sent)',
        body: campaignCreateBody,
        response: { 201: campaignSchema, ...errorResponses(400, 401, 403) },
      },
    },
    async (req, reply) =>
      reply.status(201).send(await campaignView(await createCampaign(req.body, actorOf(req)))),
  );

  app.get(
    '/api/campaigns/audience',
    {
      onRequest: read,
      schema: {
        tags,
        summary: 'Who a segment would reach on a channel now, who not and why',
        querystring: audienceQuery,
        response: { 200: audiencePreviewSchema, ...errorResponses(400, 401, 403) },
      },
    },
    async (req) => previewAudience(req.query.segmentId, req.query.channel, lookup),
  );

  app.get(
    '/api/campaigns/:id',
    {
      onRequest: read,
      schema: {
        tags,
        summary: 'A campaign',
        params: campaignIdParams,
        response: { 200: campaignSchema, ...errorResponses(401, 403, 404) },
      },
    },
    async (req) => campaignView(await findCampaign(req.params.id)),
  );

  app.patch(
    '/api/campaigns/:id',
    {
      onRequest: write,
      schema: {
        tags,
        summary: 'Change a draft (sendAt: null clears the schedule)',
        params: campaignIdParams,
        body: campaignUpdateBody,
        response: { 200: campaignSchema, ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (req) => campaignView(await updateCampaign(req.params.id, req.body, actorOf(req))),
  );

  app.get(
    '/api/campaigns/:id/audience',
    {
      onRequest: read,
      schema: {
        tags,
        summary: 'The campaign’s audience now: count, exclusions with reasons, a sample',
        params: campaignIdParams,
        response: { 200: audiencePreviewSchema, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (req) => {
      const c = await findCampaign(req.params.id);
      return previewAudience(c.segmentId.toHexString(), c.channel, lookup);
    },
  );
}
