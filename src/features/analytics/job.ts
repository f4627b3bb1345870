/**
 * Runs the rollup (rollup.ts) every `intervalMs` on one instance at a time (a Redis lock), and
 * feeds the touched set from the console's live events: every stored message and every
 * hand-over already publishes one, so analytics costs the turn nothing. Touches wait in memory
 * for at most a second; a process killed in that second leaves those conversations' figures as
 * they were until their next message (or a rollup after a Redis loss, which rebuilds all).
 */
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { ConsoleEvents } from '../../kernel/console-events.js';
import { release, tryAcquire } from '../../kernel/redis/lock.js';
import { runRollup, type RollupReport } from './rollup.js';
import { touch } from './touches.js';

export interface AnalyticsJob {
  /** One rollup pass now (skipped, `undefined`, while another instance runs one). */
  runOnce(opts?: { settleMs?: number }): Promise<RollupReport | undefined>;
  stop(): Promise<void>;
}

export async function startAnalyticsJob(deps: {
  redis: Redis;
  prefix: string;
  events: ConsoleEvents;
  logger: Logger;
  intervalMs: number;
  touchFlushMs?: number;
}): Promise<AnalyticsJob> {
  const { redis, prefix, logger } = deps;
  // Touches are batched: one ZADD a second for however many conversations changed, so the
  // stream adds no Redis round trip per message (test/pipeline/queues/hot-path-budget.test.ts).
  let pending = new Set<string>();
  const flush = async () => {
    if (pending.size === 0) return;
    const ids = [...pending];
    pending = new Set();
    await touch(redis, prefix, ids).catch((err: unknown) => {
      ids.forEach((id) => pending.add(id));
      logger.warn({ err }, 'analytics: changed conversations not noted yet');
    });
  };
  const unsubscribe = await deps.events.subscribe((event) => {
    if (event.type === 'message.created') pending.add(event.conversationId);
    else if (event.type === 'conversation.updated') pending.add(event.id);
  });
  const flusher = setInterval(() => void flush(), deps.touchFlushMs ?? 1_000);
  flusher.unref();
  let running: Promise<unknown> | undefined;

  async function runOnce(opts: { settleMs?: number } = {}) {
    const key = `${prefix}:lock:analytics`;
    const owner = await tryAcquire(redis, key, 10 * 60_000);
    if (!owner) return undefined;
    try {
      await flush();
      return await runRollup({ redis, prefix, settleMs: opts.settleMs });
    } finally {
      await release(redis, key, owner);
    }
  }
  const tick = () => {
    running = runOnce().catch((err: unknown) => logger.error({ err }, 'analytics rollup failed'));
  };
  const timer = setInterval(tick, deps.intervalMs);
  timer.unref();
  return {
    runOnce,
    async stop() {
      clearInterval(timer);
      clearInterval(flusher);
      unsubscribe();
      await running;
      await flush();
    },
  };
}
