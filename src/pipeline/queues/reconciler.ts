/**
 * The reconciler: at start and every interval, puts back on a queue what MongoDB holds as
 * unfinished but no live job covers — an inbound message still `received`, a reply still
 * `pending` — so a Redis flush or a restart without persistence loses nothing. It reads only the
 * small in-flight collection (src/kernel/db/models/in-flight.ts), never the messages collection as a
 * whole, and first drops the entries the workers noted as finished (one `deleteMany`).
 * One instance at a time runs it (a Redis lock); re-queueing is idempotent anyway.
 */
import type { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { forgetInFlight, listInFlight } from '../../kernel/db/in-flight.js';
import { findMessage } from '../../kernel/db/messages.js';
import type { InFlightDoc } from '../../kernel/db/models/in-flight.js';
import { enqueueInbound, type InboundJob } from './inbound.js';
import { enqueueOutbound, type OutboundJob } from './outbound.js';
import { release, tryAcquire } from '../../kernel/redis/lock.js';
import { finishedKey } from './turn-scripts.js';

/** Job states in which a job will still run. */
const LIVE = new Set(['waiting', 'active', 'delayed', 'prioritized', 'waiting-children']);
const FINISHED_BATCH = 5000;

export interface ReconcileReport {
  /** False when another instance was reconciling. */
  ran: boolean;
  inbound: number;
  outbound: number;
  /** In-flight entries dropped (finished work). */
  forgotten: number;
}

export interface ReconcilerDeps {
  redis: Redis;
  prefix: string;
  queues: { inbound: Queue<InboundJob>; outbound: Queue<OutboundJob> };
  logger: Logger;
  /** Entries younger than this are left alone (their jobs are being queued right now). */
  graceMs?: number;
  onRecovered?: (kind: 'inbound' | 'outbound', count: number) => void;
}

export interface Reconciler {
  runOnce(): Promise<ReconcileReport>;
  /** Runs now and then every `intervalMs` until `stop`. */
  start(intervalMs: number): void;
  stop(): Promise<void>;
}

export function createReconciler(deps: ReconcilerDeps): Reconciler {
  const { redis, prefix, queues, logger } = deps;
  const graceMs = deps.graceMs ?? 30_000;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<unknown> = Promise.resolve();

  /** Drops the entries the workers finished (noted in Redis, so the hot path skips MongoDB). */
  async function forgetFinished(): Promise<number> {
    let forgotten = 0;
    for (;;) {
      const ids = (await redis.spop(finishedKey(prefix), FINISHED_BATCH)) as string[] | null;
      if (!ids || ids.length === 0) return forgotten;
      forgotten += await forgetInFlight(ids);
      if (ids.length < FINISHED_BATCH) return forgotten;
    }
  }

  /** Whether a job of that id will still run; a finished or failed one is removed to re-add it. */
  async function hasLiveJob(queue: Queue, jobId: string): Promise<boolean> {
    const job = await queue.getJob(jobId);
    if (!job) return false;
    const state = await job.getState();
    if (LIVE.has(state)) return true;
    await job.remove().catch(() => undefined);
    return false;
  }

  /** 'requeued', 'done' (entry to drop) or 'live'. */
  async function reconcileInbound(entry: InFlightDoc): Promise<'requeued' | 'done' | 'live'> {
    const id = entry._id.toHexString();
    const message = await findMessage(entry._id);
    if (!message || message.status !== 'received') return 'done';
    if (await hasLiveJob(queues.inbound, id)) return 'live';
    await enqueueInbound(queues.inbound, {
      conversationId: entry.conversationId.toHexString(),
      messageId: id,
      message: {
        text: message.text ?? '',
        ...(message.attachments?.length
          ? {
              attachments: message.attachments as NonNullable<InboundJob['message']>['attachments'],
            }
          : {}),
        createdAt: message.createdAt.toISOString(),
      },
    });
    return 'requeued';
  }

  async function reconcileOutbound(entry: InFlightDoc): Promise<'requeued' | 'done' | 'live'> {
    const id = entry._id.toHexString();
    const message = await findMessage(entry._id);
    if (!message || message.status !== 'pending') return 'done';
    const conversationId = entry.conversationId.toHexString();
    // Still indexed: the job that indexed it is waiting or backing off (enqueueOutbound indexes
    // first, then queues); a Redis that lost its data lost the index too.
    const indexed = await redis.zscore(`${prefix}:pending:out:${conversationId}`, id);
    if (indexed !== null || (await hasLiveJob(queues.outbound, `out-${id}`))) return 'live';
    await enqueueOutbound(queues.outbound, conversationId, [id]);
    return 'requeued';
  }

  async function reconcile(): Promise<ReconcileReport> {
    const report: ReconcileReport = { ran: true, inbound: 0, outbound: 0, forgotten: 0 };
    report.forgotten += await forgetFinished();
    const done: InFlightDoc['_id'][] = [];
    const cutoff = Date.now() - graceMs;
    for (const entry of await listInFlight()) {
      if (entry.at.getTime() > cutoff) continue;
      const outcome =
        entry.kind === 'in' ? await reconcileInbound(entry) : await reconcileOutbound(entry);
      if (outcome === 'done') done.push(entry._id);
      if (outcome === 'requeued') report[entry.kind === 'in' ? 'inbound' : 'outbound'] += 1;
    }
    report.forgotten += await forgetInFlight(done);
    if (report.inbound > 0) deps.onRecovered?.('inbound', report.inbound);
    if (report.outbound > 0) deps.onRecovered?.('outbound', report.outbound);
    if (report.inbound + report.outbound > 0) {
      logger.warn(
        { inbound: report.inbound, outbound: report.outbound },
        'reconciler re-queued work whose jobs were lost',
      );
    }
    return report;
  }

  async function runOnce(): Promise<ReconcileReport> {
    const key = `${prefix}:lock:reconciler`;
    const owner = await tryAcquire(redis, key, 120_000);
    if (!owner) return { ran: false, inbound: 0, outbound: 0, forgotten: 0 };
    try {
      return await reconcile();
    } finally {
      await release(redis, key, owner);
    }
  }

  const tick = () => {
    running = runOnce().catch((err) => logger.error({ err }, 'reconciler run failed'));
  };

  return {
    runOnce,
    start(intervalMs) {
      tick();
      timer = setInterval(tick, intervalMs);
      timer.unref();
    },
    async stop() {
      if (timer) clearInterval(timer);
      timer = undefined;
      await running;
    },
  };
}
