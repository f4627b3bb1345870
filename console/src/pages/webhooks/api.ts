/** Webhooks out (admin): /api/webhooks. Shapes: the server's (src/features/webhooks/schemas.ts). */
import { call } from '../../api/client';
import type { BodyOf } from '../../api/endpoints';

import type {
  WebhookDeliveryStatus as DeliveryStatus,
  WebhookEvent,
} from '../../../../src/kernel/vocabulary';

export { WEBHOOK_EVENTS } from '../../../../src/kernel/vocabulary';
export type { DeliveryStatus, WebhookEvent };
export type {
  DeliveryView as Delivery,
  WebhookView as Webhook,
} from '../../../../src/features/webhooks/schemas';

/** What the form edits: every field of a new webhook, filled in. */
export type WebhookInput = Required<BodyOf<'POST /api/webhooks'>>;

export const listWebhooks = () => call('GET /api/webhooks');

export const createWebhook = (body: WebhookInput) => call('POST /api/webhooks', { body });

export const updateWebhook = (id: string, patch: BodyOf<'PATCH /api/webhooks/:id'>) =>
  call('PATCH /api/webhooks/:id', { params: { id }, body: patch });

export const deleteWebhook = (id: string) => call('DELETE /api/webhooks/:id', { params: { id } });

export const testWebhook = (id: string) => call('POST /api/webhooks/:id/test', { params: { id } });

export const listDeliveries = (
  id: string,
  query: { status?: string; limit: number; offset: number },
) => call('GET /api/webhooks/:id/deliveries', { params: { id }, query });

export const retryDelivery = (deliveryId: string) =>
  call('POST /api/webhooks/deliveries/:id/retry', { params: { id: deliveryId } });
