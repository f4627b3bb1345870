/**
 * Live events for the console, over one Redis pub/sub channel (`<prefix>:console`), so a change
 * made through any instance reaches the WebSocket of every instance (GET /api/stream).
 *
 * Publishing is one PUBLISH per event built from data the caller already holds (no database
 * reads), and it is best effort: a lost event costs a console a refresh, so a Redis hiccup here
 * never fails the customer message or the staff action that caused it.
 */
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { MessageDoc } from './db/models/message.js';
import type { ConsoleEvent, MessageCreatedEvent } from './console-event-types.js';
import { duplicateRedis } from './redis/redis.js';

export const PREVIEW_CHARS = 140;

export type {
  ConsoleEvent,
  ConversationUpdatedEvent,
  MessageCreatedEvent,
  StaffPresenceEvent,
} from './console-event-types.js';
export type ConsoleEventListener = (event: ConsoleEvent) => void;

export interface ConsoleEventPublisher {
  /** Never throws. */
  publish(event: ConsoleEvent): Promise<void>;
}

export interface ConsoleEvents extends ConsoleEventPublisher {
  /** Resolves once this process is subscribed; returns the unsubscribe function. */
  subscribe(listener: ConsoleEventListener): Promise<() => void>;
  close(): Promise<void>;
}

/** At most PREVIEW_CHARS characters of a text, whitespace folded, "…" when cut. */
export function preview(text: string | null | undefined): string {
  const flat = (text ?? '').replace(/\s+/g, ' ').trim();
  return flat.length > PREVIEW_CHARS ? `${flat.slice(0, PREVIEW_CHARS - 1)}…` : flat;
}

export function messageCreated(
  m: Pick<
    MessageDoc,
    '_id' | 'conversationId' | 'direction' | 'author' | 'channel' | 'text' | 'internal'
  > & { createdAt?: Date },
): MessageCreatedEvent {
  return {
    type: 'message.created',
    conversationId: String(m.conversationId),
    messageId: String(m._id),
    direction: m.direction,
    author: m.author,
    channel: m.channel,
    internal: m.internal === true,
    preview: preview(m.text),
    at: (m.createdAt ?? new Date()).toISOString(),
  };
}

export function createConsoleEvents(
  publisher: Redis,
  prefix: string,
  logger: Logger,
): ConsoleEvents {
  const channel = `${prefix}:console`;
  const listeners = new Set<ConsoleEventListener>();
  let subscriber: Redis | undefined;
  let subscribing: Promise<unknown> | undefined;

  function onMessage(from: string, raw: string): void {
    if (from !== channel) return;
    let event: ConsoleEvent;
    try {
      event = JSON.parse(raw) as ConsoleEvent;
    } catch {
      return;
    }
    for (const listener of listeners) listener(event);
  }

  return {
    async publish(event) {
      try {
        await publisher.publish(channel, JSON.stringify(event));
      } catch (err) {
        logger.warn({ err, type: event.type }, 'console event not published');
      }
    },
    async subscribe(listener) {
      listeners.add(listener);
      if (!subscriber) {
        // A connection in subscriber mode can do nothing else: this process's own, made once.
        subscriber = duplicateRedis(publisher, logger, 'console-events');
        subscriber.on('message', onMessage);
        subscribing = subscriber.subscribe(channel);
      }
      await subscribing;
      return () => {
        listeners.delete(listener);
      };
    },
    async close() {
      listeners.clear();
      subscriber?.disconnect();
      subscriber = undefined;
    },
  };
}
