/**
 * Webhooks out (admin only; src/features/webhooks/):
 *   GET    /api/webhooks → {items}                       (each with its last delivery's status)
 *   POST   /api/webhooks {url, events, description?, active?} → 201 webhook + secret (shown once)
 *   PATCH  /api/webhooks/:id {url?, events?, description?, active?, rotateSecret?} → webhook
 *          (+ the new secret when rotateSecret)
 *   DELETE /api/webhooks/:id → 204 (its delivery records too)
 *   GET    /api/webhooks/:id/deliveries?status=&limit=&offset= → {items, total}, newest first
 *   POST   /api/webhooks/:id/test → 202 {deliveryId}     (a `ping` event, even when inactive)
 *   POST   /api/webhooks/deliveries/:id/retry → 202 delivery (only a failed one; 409 otherwise)
 */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { DELIVERY_STATUSES, WEBHOOK_EVENTS } from './models.js';
import type { WebhookService } from './service.js';
import { actorOf, requireRole } from '../../http/guard.js';
import { errorResponses, pageQuery } from '../../http/schemas.js';

const webhookUrl = z
  .string()
  .trim()
  .max(2000)
  .pipe(z.url({ protocol: /^https?$/, error: 'must be an http:// or https:// URL' }));
const events = z.array(z.enum(WEBHOOK_EVENTS)).min(1).max(WEBHOOK_EVENTS.length);
const description = z.string().trim().max(200);

const lastDelivery = z.object({ status: z.enum(DELIVERY_STATUSES), at: z.string() }).nullable();
const webhookItem = z
  .object({
    id: z.string(),
    url: z.string(),
    events: z.array(z.enum(WEBHOOK_EVENTS)),
    active: z.boolean(),
    description: z.string(),
    createdAt: z.string().nullable(),
    updatedAt: z.string().nullable(),
    lastDelivery,
  })
  .meta({ id: 'Webhook' });
const withSecret = webhookItem.extend({
  secret: z.string().describe('HMAC-SHA256 key; shown only in this answer'),
});
const deliveryItem = z
  .object({
    id: z.string(),
    webhookId: z.string(),
    event: z.string(),
    eventId: z.string(),
    status: z.enum(DELIVERY_STATUSES),
    attempts: z.number().int(),
    lastStatusCode: z.number().int().nullable(),
    lastError: z.string().nullable(),
    createdAt: z.string().nullable(),
    lastAttemptAt: z.string().nullable(),
    nextAttemptAt: z.string().nullable(),
    deliveredAt: z.string().nullable(),
  })
  .meta({ id: 'WebhookDelivery' });

const createBody = z.strictObject({
  url: webhookUrl,
  events,
  description: description.optional(),
  active: z.boolean().optional(),
});
const patchBody = z
  .strictObject({
    url: webhookUrl.optional(),
    events: events.optional(),
    description: description.optional(),
    active: z.boolean().optional(),
    rotateSecret: z.boolean().optional(),
  })
  .refine((b) => Object.values(b).some((v) => v !== undefined), 'name at least one field');
const idParams = z.object({ id: z.string().max(64) });

export function mountWebhookRoutes(server: FastifyInstance, webhooks: WebhookService): void {
  const app = server.withTypeProvider<ZodTypeProvider>();
  const onRequest = requireRole(); // admin only
  const tags = ['webhooks'];

  app.get(
    '/api/webhooks',
    {
      onRequest,
      schema: {
        tags,
        summary: 'List webhooks',
        response: { 200: z.object({ items: z.array(webhookItem) }), ...errorResponses(401, 403) },
      },
    },
    async () => ({ items: await webhooks.list() }),
  );

  app.post(
    '/api/webhooks',
    {
      onRequest,
      schema: {
        tags,
        summary: 'Register a webhook (the answer holds its signing secret, shown only once)',
        body: createBody,
        response: { 201: withSecret, ...errorResponses(400, 401, 403) },
      },
    },
    async (req, reply) => reply.status(201).send(await webhooks.create(actorOf(req), req.body)),
  );

  app.patch(
    '/api/webhooks/:id',
    {
      onRequest,
      schema: {
        tags,
        summary: "Change a webhook's URL, events, description or active flag, or rotate its secret",
        params: idParams,
        body: patchBody,
        response: {
          200: webhookItem.extend({ secret: z.string().optional() }),
          ...errorResponses(400, 401, 403, 404),
        },
      },
    },
    async (req) => webhooks.update(actorOf(req), req.params.id, req.body),
  );

  app.delete(
    '/api/webhooks/:id',
    {
      onRequest,
      schema: {
        tags,
        summary: 'Delete a webhook and its delivery log',
        params: idParams,
        response: { 204: z.null().describe('Deleted'), ...errorResponses(401, 403, 404) },
      },
    },
    async (req, reply) => {
      await webhooks.remove(actorOf(req), req.params.id);
      return reply.status(204).send(null);
    },
  );

  app.get(
    '/api/webhooks/:id/deliveries',
    {
      onRequest,
      schema: {
        tags,
        summary: "A webhook's deliveries, newest first (status=failed: what did not arrive)",
        params: idParams,
        querystring: z.object({ status: z.enum(DELIVERY_STATUSES).optional(), ...pageQuery }),
        response: {
          200: z.object({ items: z.array(deliveryItem), total: z.number().int() }),
          ...errorResponses(400, 401, 403, 404),
        },
      },
    },
    async (req) => webhooks.deliveries(req.params.id, req.query),
  );

  app.post(
    '/api/webhooks/:id/test',
    {
      onRequest,
      schema: {
        tags,
        summary: 'Send a ping event to the webhook',
        params: idParams,
        response: { 202: z.object({ deliveryId: z.string() }), ...errorResponses(401, 403, 404) },
      },
    },
    async (req, reply) => reply.status(202).send(await webhooks.test(actorOf(req), req.params.id)),
  );

  app.post(
    '/api/webhooks/deliveries/:id/retry',
    {
      onRequest,
      schema: {
        tags,
        summary: 'Send a failed delivery again (same delivery id, attempts counted afresh)',
        params: z.object({ id: z.string().max(80) }),
        response: { 202: deliveryItem, ...errorResponses(401, 403, 404, 409) },
      },
    },
    async (req, reply) => reply.status(202).send(await webhooks.retry(actorOf(req), req.params.id)),
  );
}
