/**
 * Sending and results (ACCESS.campaigns; changes audited):
 *   POST /api/campaigns/:id/send {sendAt?}     draft → sending now, or scheduled for sendAt
 *   POST /api/campaigns/:id/pause | resume | cancel
 *   POST /api/campaigns/:id/test {language?, variant?}   the message to your own email address
 *   GET  /api/campaigns/:id/recipients?status=&limit=&offset=   by state or tracked step
 *   GET  /api/campaigns/:id/report             funnel, variants with the winner, channel, language
 *   GET  /api/campaigns/:id/report.csv         the recipients, one row each
 */
import { Readable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { actorOf, requireRole } from '../../http/guard.js';
import { errorResponses, pageOf } from '../../http/schemas.js';
import { ACCESS } from '../../kernel/roles.js';
import { cancelCampaign, pauseCampaign, resumeCampaign, sendCampaign } from './lifecycle.js';
import { campaignReport, listRecipients, recipientsCsv } from './report.js';
import { tags } from './routes.js';
import {
  campaignIdParams,
  campaignReportSchema,
  campaignSchema,
  campaignSendBody,
  campaignTestBody,
  campaignTestResponse,
  recipientSchema,
  recipientsQuery,
} from './schemas.js';
import type { SenderDeps } from './sending.js';
import { campaignView, findCampaign } from './service.js';
import { testSend } from './test-send.js';

export function mountSendingRoutes(server: FastifyInstance, deps: SenderDeps): void {
  const app = server.withTypeProvider<ZodTypeProvider>();
  const read = requireRole(...ACCESS.campaigns.read);
  const write = requireRole(...ACCESS.campaigns.write);
  const change = (summary: string) => ({
    onRequest: write,
    schema: {
      tags,
      summary,
      params: campaignIdParams,
      response: { 200: campaignSchema, ...errorResponses(400, 401, 403, 404, 409) },
    },
  });
  const sendOptions = change('Send a draft now, or schedule it (sendAt)');

  app.post(
    '/api/campaigns/:id/send',
    { ...sendOptions, schema: { ...sendOptions.schema, body: campaignSendBody } },
    async (req) =>
      campaignView(await sendCampaign(deps, req.params.id, actorOf(req), req.body ?? {})),
  );
  app.post(
    '/api/campaigns/:id/pause',
    change('Pause a scheduled or sending campaign'),
    async (req) => campaignView(await pauseCampaign(req.params.id, actorOf(req))),
  );
  app.post('/api/campaigns/:id/resume', change('Resume a paused campaign'), async (req) =>
    campaignView(await resumeCampaign(deps, req.params.id, actorOf(req))),
  );
  app.post('/api/campaigns/:id/cancel', change('Cancel: nobody else gets it'), async (req) =>
    campaignView(await cancelCampaign(req.params.id, actorOf(req))),
  );

  app.post(
    '/api/campaigns/:id/test',
    {
      onRequest: write,
      schema: {
        tags,
        summary: 'Send the message to your own email address, as a recipient would see it',
        params: campaignIdParams,
        body: campaignTestBody,
        response: { 200: campaignTestResponse, ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (req) =>
      testSend(deps.marketing, await findCampaign(req.params.id), actorOf(req), req.body ?? {}),
  );

  app.get(
    '/api/campaigns/:id/recipients',
    {
      onRequest: read,
      schema: {
        tags,
        summary: 'The campaign’s recipients, by state (queued…) or tracked step (clicked…)',
        params: campaignIdParams,
        querystring: recipientsQuery,
        response: { 200: pageOf(recipientSchema), ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (req) => listRecipients(await findCampaign(req.params.id), req.query),
  );

  app.get(
    '/api/campaigns/:id/report',
    {
      onRequest: read,
      schema: {
        tags,
        summary: 'Funnel, per variant with the winner, per channel and language',
        params: campaignIdParams,
        response: { 200: campaignReportSchema, ...errorResponses(401, 403, 404) },
      },
    },
    async (req) => campaignReport(await findCampaign(req.params.id)),
  );

  app.get(
    '/api/campaigns/:id/report.csv',
    {
      onRequest: read,
      schema: { tags, summary: 'The recipients as CSV', params: campaignIdParams },
    },
    async (req, reply) => {
      const c = await findCampaign(req.params.id);
      return reply
        .header('content-type', 'text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="campaign-${c._id.toHexString()}.csv"`)
        .send(Readable.from(recipientsCsv(c)));
    },
  );
}
