/**
 * Which active webhooks want which event, held in memory so that publishing an event costs no
 * database read. Loaded at start; every change made through the API publishes on
 * `<QUEUE_PREFIX>:webhooks` and every instance reloads; a reload every `ttlMs` (5 min) covers a
 * missed message (a subscriber reconnecting).
 */
import type { Redis } from 'ioredis';
import type { Logger } from '../../kernel/logger.js';
import { Webhook, type WebhookEvent } from './models.js';
import { duplicateRedis } from '../../kernel/redis/redis.js';

export interface WebhookCache {
  /** Ids of the active webhooks subscribed to `event`. */
  subscribers(event: WebhookEvent): Promise<string[]>;
  /** Whether any webhook, active or not, exists (then deliveries may be queued). */
  hasAny(): boolean;
  /** Called after each load. */
  onLoad(listener: () => void): void;
  /** Tells every instance (this one included) to reload. */
  changed(): Promise<void>;
  close(): Promise<void>;
}

export async function createWebhookCache(deps: {
  redis: Redis;
  prefix: string;
  logger: Logger;
  ttlMs?: number;
}): Promise<WebhookCache> {
  const channel = `${deps.prefix}:webhooks`;
  const ttlMs = deps.ttlMs ?? 300_000;
  let byEvent = new Map<string, string[]>();
  let loadedAt = 0;
  let loading: Promise<void> | undefined;
  let any = false;
  const listeners: Array<() => void> = [];

  async function load(): Promise<void> {
    const hooks = await Webhook.find({}, { events: 1, active: 1 }).lean();
    const next = new Map<string, string[]>();
    for (const h of hooks) {
      if (h.active === false) continue;
      for (const e of h.events) next.set(e, [...(next.get(e) ?? []), h._id.toHexString()]);
    }
    byEvent = next;
    any = hooks.length > 0;
    loadedAt = Date.now();
    for (const listener of listeners) listener();
  }
  const reload = () => {
    loading ??= load().finally(() => (loading = undefined));
    return loading;
  };

  const subscriber = duplicateRedis(deps.redis, deps.logger, 'webhook-cache');
  subscriber.on('message', () => {
    reload().catch((err: unknown) => deps.logger.warn({ err }, 'webhook cache reload failed'));
  });
  await subscriber.subscribe(channel);
  await reload();

  return {
    async subscribers(event) {
      if (Date.now() - loadedAt > ttlMs) await reload();
      return byEvent.get(event) ?? [];
    },
    hasAny: () => any,
    onLoad: (listener) => listeners.push(listener),
    async changed() {
      await reload();
      await deps.redis.publish(channel, 'changed');
    },
    async close() {
      subscriber.disconnect();
    },
  };
}
