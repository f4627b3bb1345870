/**
 * Starts a real Charla (real FerretDB/MongoDB, real Redis) on a free port for a test file, in its
 * own database and queue prefix.
 */
import { randomUUID } from 'node:crypto';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Types } from 'mongoose';
import { inject } from 'vitest';
import type { ChannelId } from '../../src/kernel/contracts/messages.js';
import { Conversation } from '../../src/kernel/db/models/conversation.js';
import { Message } from '../../src/kernel/db/models/message.js';
import { loadConfig, type RawEnv } from '../../src/kernel/config/config.js';
import { createCharla, type Charla, type CreateOptions } from '../../src/app/charla.js';
import { createLogger } from '../../src/kernel/logger.js';

export const ADMIN_TOKEN = 'test-admin-token-0123456789abcdef';

/**
 * One NLU model cache for every test app (src/pipeline/nlu/trained-models.ts): the many apps that
 * train the shipped catalogue train it once per code version, not once each.
 */
export const TEST_NLU_CACHE_DIR = path.join(tmpdir(), 'charla-test-nlu-cache');

export interface TestApp {
  charla: Charla;
  url: string;
  admin: Record<string, string>;
  stop(): Promise<void>;
}

export async function startTestApp(env: RawEnv = {}, opts: CreateOptions = {}): Promise<TestApp> {
  const id = randomUUID().slice(0, 8);
  const config = loadConfig({
    PORT: '0',
    HOST: '127.0.0.1',
    MONGODB_URI: inject('mongoUri'),
    REDIS_URL: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
    QUEUE_PREFIX: `charla-test-${id}`,
    ADMIN_TOKEN,
    NLU_CACHE_DIR: TEST_NLU_CACHE_DIR,
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    ...env,
  });
  const charla = await createCharla(config, {
    logger: createLogger(config.logLevel),
    dbName: `charla_test_${id}`,
    outboundBackoffMs: 50,
    ...opts,
  });
  const url = await charla.listen();
  return {
    charla,
    url,
    admin: { authorization: `Bearer ${ADMIN_TOKEN}` },
    async stop() {
      const redis = charla.services.redis;
      const { queuePrefix: prefix, redisTopology } = charla.services.config;
      // Leave Redis as we found it: drop this app's queue keys (a Cluster or Sentinel setup is
      // the test's own, thrown away whole).
      const keys = redisTopology ? [] : await redis.keys(`${prefix}:*`);
      await charla.stop();
      if (keys.length > 0) {
        const { Redis } = await import('ioredis');
        const r = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
        await r.del(...keys);
        r.disconnect();
      }
    },
  };
}

/** Polls `fn` until it returns a truthy value or the timeout passes. */
export async function eventually<T>(
  fn: () => Promise<T | undefined | null | false>,
  timeoutMs = 10_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const v = await fn();
      if (v) return v;
    } catch (err) {
      last = err;
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`condition not met within ${timeoutMs} ms${last ? `: ${String(last)}` : ''}`);
}

/** The conversation of a platform user (or platform conversation), once ingest created it. */
export function conversationOf(
  channel: ChannelId,
  by: { platformUserId: string } | { platformConversationId: string },
) {
  return eventually(() => Conversation.findOne({ channel, ...by }).lean());
}

/** The conversation's first outbound message that reached the platform. */
export function sentReply(conversationId: Types.ObjectId | string) {
  return eventually(() =>
    Message.findOne({ conversationId, direction: 'out', status: 'sent' }).lean(),
  );
}
