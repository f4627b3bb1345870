/**
 * The webhooks API's shapes, declared once: the routes validate and document with them, the
 * service's views return their types, the console imports the types (console/README.md). A schema
 * file: it imports only zod and other schema files.
 */
import { z } from 'zod';
import { noContent, pageOf, pageQuery, type Endpoints } from '../../http/schemas.js';
import { WEBHOOK_DELIVERY_STATUSES, WEBHOOK_EVENTS } from '../../kernel/vocabulary.js';

const webhookUrl = z
  .string()
  .trim()
  .max(2000)
  .pipe(z.url({ protocol: /^https?$/, error: 'must be an http:// or https:// URL' }));
const events = z.array(z.enum(WEBHOOK_EVENTS)).min(1).max(WEBHOOK_EVENTS.length);
const description = z.string().trim().max(200);
const deliveryStatus = z.enum(WEBHOOK_DELIVERY_STATUSES);

export const webhookSchema = z
  .object({
    id: z.string(),
    url: z.string(),
    events: z.array(z.enum(WEBHOOK_EVENTS)),
    active: z.boolean(),
    description: z.string(),
    createdAt: z.string().nullable(),
    updatedAt: z.string().nullable(),
    lastDelivery: z.object({ status: deliveryStatus, at: z.string() }).nullable(),
  })
  .meta({ id: 'Webhook' });
export type WebhookView = z.infer<typeof webhookSchema>;

/** A created webhook: with its signing secret, shown only in this answer. */
export const webhookWithSecretSchema = webhookSchema.extend({
  secret: z.string().describe('HMAC-SHA256 key; shown only in this answer'),
});
/** A changed webhook: with the new secret when it was rotated. */
export const changedWebhookSchema = webhookSchema.extend({ secret: z.string().optional() });

export const deliverySchema = z
  .object({
    id: z.string(),
    webhookId: z.string(),
    event: z.string(),
    eventId: z.string(),
    status: deliveryStatus,
    attempts: z.number().int(),
    lastStatusCode: z.number().int().nullable(),
    lastError: z.string().nullable(),
    createdAt: z.string().nullable(),
    lastAttemptAt: z.string().nullable(),
    nextAttemptAt: z.string().nullable(),
    deliveredAt: z.string().nullable(),
  })
  .meta({ id: 'WebhookDelivery' });
export type DeliveryView = z.infer<typeof deliverySchema>;

export const webhookCreateBody = z.strictObject({
  url: webhookUrl,
  events,
  description: description.optional(),
  active: z.boolean().optional(),
});
export type WebhookInput = z.output<typeof webhookCreateBody>;

export const webhookPatchBody = z
  .strictObject({
    url: webhookUrl.optional(),
    events: events.optional(),
    description: description.optional(),
    active: z.boolean().optional(),
    rotateSecret: z.boolean().optional(),
  })
  .refine((b) => Object.values(b).some((v) => v !== undefined), 'name at least one field');
export type WebhookChanges = z.output<typeof webhookPatchBody>;

export const webhookIdParams = z.object({ id: z.string().max(64) });
export const deliveryIdParams = z.object({ id: z.string().max(80) });
export const deliveryListQuery = z.object({ status: deliveryStatus.optional(), ...pageQuery });
export type DeliveryListQuery = z.output<typeof deliveryListQuery>;

export const webhookListSchema = z.object({ items: z.array(webhookSchema) });
export const testSentSchema = z.object({ deliveryId: z.string() });

/** The console's calls, typed by what they hit (console/src/api/client.ts). */
export const webhookEndpoints = {
  'GET /api/webhooks': { response: webhookListSchema },
  'POST /api/webhooks': { body: webhookCreateBody, response: webhookWithSecretSchema },
  'PATCH /api/webhooks/:id': { body: webhookPatchBody, response: changedWebhookSchema },
  'DELETE /api/webhooks/:id': { response: noContent },
  'GET /api/webhooks/:id/deliveries': {
    query: deliveryListQuery,
    response: pageOf(deliverySchema),
  },
  'POST /api/webhooks/:id/test': { response: testSentSchema },
  'POST /api/webhooks/deliveries/:id/retry': { response: deliverySchema },
} as const satisfies Endpoints;
