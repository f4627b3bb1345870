/** Webhooks out (admin): /api/webhooks. */
import { api } from '../../api/client';
import type { Page } from '../../api/types';

import type {
  WebhookDeliveryStatus as DeliveryStatus,
  WebhookEvent,
} from '../../../../src/kernel/vocabulary';

export { WEBHOOK_EVENTS } from '../../../../src/kernel/vocabulary';
export type { DeliveryStatus, WebhookEvent };

export interface Webhook {
  id: string;
  url: string;
  events: WebhookEvent[];
  active: boolean;
  description: string;
  createdAt: string | null;
  updatedAt: string | null;
  lastDelivery: { status: DeliveryStatus; at: string } | null;
}

export interface Delivery {
  id: string;
  webhookId: string;
  event: string;
  eventId: string;
  status: DeliveryStatus;
  attempts: number;
  lastStatusCode: number | null;
  lastError: string | null;
  createdAt: string | null;
  lastAttemptAt: string | null;
  nextAttemptAt: string | null;
  deliveredAt: string | null;
}

export interface WebhookInput {
  url: string;
  events: WebhookEvent[];
  description: string;
  active: boolean;
}

const at = (id: string) => `/api/webhooks/${encodeURIComponent(id)}`;

export const listWebhooks = () => api<{ items: Webhook[] }>('/api/webhooks');

export const createWebhook = (body: WebhookInput) =>
  api<Webhook & { secret: string }>('/api/webhooks', { method: 'POST', body });

export const updateWebhook = (
  id: string,
  patch: Partial<WebhookInput> & { rotateSecret?: boolean },
) => api<Webhook & { secret?: string }>(at(id), { method: 'PATCH', body: patch });

export const deleteWebhook = (id: string) => api<void>(at(id), { method: 'DELETE' });

export const testWebhook = (id: string) =>
  api<{ deliveryId: string }>(`${at(id)}/test`, { method: 'POST' });

export const listDeliveries = (
  id: string,
  query: { status?: string; limit: number; offset: number },
) => api<Page<Delivery>>(`${at(id)}/deliveries`, { query });

export const retryDelivery = (deliveryId: string) =>
  api<Delivery>(`/api/webhooks/deliveries/${encodeURIComponent(deliveryId)}/retry`, {
    method: 'POST',
  });
