/**
 * Conversation events over Redis pub/sub, so a WebSocket on any instance sees messages stored or
 * sent by any other instance.
 */
import type { Redis } from 'ioredis';

export type ConversationListener = (payload: unknown) => void;

export interface Realtime {
  publish(conversationId: string, payload: unknown): Promise<void>;
  /** Returns an unsubscribe function. */
  subscribe(conversationId: string, listener: ConversationListener): Promise<() => Promise<void>>;
  close(): Promise<void>;
}

export function createRealtime(publisher: Redis, subscriber: Redis, prefix: string): Realtime {
  const listeners = new Map<string, Set<ConversationListener>>();
  const channelOf = (id: string) => `${prefix}:conversation:${id}`;

  subscriber.on('message', (channel: string, raw: string) => {
    const set = listeners.get(channel);
    if (!set) return;
    let payload: unknown;
    try {
      payload = JSON.parse(raw);
    } catch {
      return;
    }
    for (const l of set) l(payload);
  });

  return {
    async publish(conversationId, payload) {
      await publisher.publish(channelOf(conversationId), JSON.stringify(payload));
    },
    async subscribe(conversationId, listener) {
      const channel = channelOf(conversationId);
      let set = listeners.get(channel);
      if (!set) {
        set = new Set();
        listeners.set(channel, set);
        await subscriber.subscribe(channel);
      }
      set.add(listener);
      return async () => {
        const s = listeners.get(channel);
        if (!s) return;
        s.delete(listener);
        if (s.size === 0) {
          listeners.delete(channel);
          await subscriber.unsubscribe(channel);
        }
      };
    },
    async close() {
      listeners.clear();
      subscriber.disconnect();
    },
  };
}
