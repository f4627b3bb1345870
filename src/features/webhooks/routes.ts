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
import type { WebhookService } from './service.js';
import { ACCESS } from '../../kernel/roles.js';
import { actorOf, requireRole } from '../../http/guard.js';
import { errorResponses, noContent, pageOf } from '../../http/schemas.js';
import {
  changedWebhookSchema,
  deliveryIdParams,
  deliveryListQuery,
  deliverySchema,
  testSentSchema,
  webhookCreateBody,
  webhookIdParams as idParams,
  webhookListSchema,
  webhookPatchBody,
  webhookWithSecretSchema,
} from './schemas.js';

export function mountWebhookRoutes(server: FastifyInstance, webhooks: WebhookService): void {
  const app = server.withTypeProvider<ZodTypeProvider>();
  const read = requireRole(...ACCESS.webhooks.read);
  const write = requireRole(...ACCESS.webhooks.write);
  const tags = ['webhooks'];

  app.get(
    '/api/webhooks',
    {
      onRequest: read,
      schema: {
        tags,
        summary: 'List webhooks',
        response: { 200: webhookListSchema, ...errorResponses(401, 403) },
      },
    },
    async () => ({ items: await webhooks.list() }),
  );

  app.post(
    '/api/webhooks',
    {
      onRequest: write,
      schema: {
        tags,
        summary: 'Register a webhook (the answer holds its signing secret, shown only once)',
        body: webhookCreateBody,
        response: { 201: webhookWithSecretSchema, ...errorResponses(400, 401, 403) },
      },
    },
    async (req, reply) => reply.status(201).send(await webhooks.create(actorOf(req), req.body)),
  );

  app.patch(
    '/api/webhooks/:id',
    {
      onRequest: write,
      schema: {
        tags,
        summary: "Change a webhook's URL, events, description or active flag, or rotate its secret",
        params: idParams,
        body: webhookPatchBody,
        response: {
          200: changedWebhookSchema,
          ...errorResponses(400, 401, 403, 404),
        },
      },
    },
    async (req) => webhooks.update(actorOf(req), req.params.id, req.body),
  );

  app.delete(
    '/api/webhooks/:id',
    {
      onRequest: write,
      schema: {
        tags,
        summary: 'Delete a webhook and its delivery log',
        params: idParams,
        response: { 204: noContent.describe('Deleted'), ...errorResponses(401, 403, 404) },
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
      onRequest: read,
      schema: {
        tags,
        summary: "A webhook's deliveries, newest first (status=failed: what did not arrive)",
        params: idParams,
        querystring: deliveryListQuery,
        response: {
          200: pageOf(deliverySchema),
          ...errorResponses(400, 401, 403, 404),
        },
      },
    },
    async (req) => webhooks.deliveries(req.params.id, req.query),
  );

  app.post(
    '/api/webhooks/:id/test',
    {
      onRequest: write,
      schema: {
        tags,
        summary: 'Send a ping event to the webhook',
        params: idParams,
        response: { 202: testSentSchema, ...errorResponses(401, 403, 404) },
      },
    },
    async (req, reply) => reply.status(202).send(await webhooks.test(actorOf(req), req.params.id)),
  );

  app.post(
    '/api/webhooks/deliveries/:id/retry',
    {
      onRequest: write,
      schema: {
        tags,
        summary: 'Send a failed delivery again (same delivery id, attempts counted afresh)',
        params: deliveryIdParams,
        response: { 202: deliverySchema, ...errorResponses(401, 403, 404, 409) },
      },
    },
    async (req, reply) => reply.status(202).send(await webhooks.retry(actorOf(req), req.params.id)),
  );
}
