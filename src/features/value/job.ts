/**
 * The value fit as a background job (BullMQ `value`, worker instances only): nightly at 02:30 UTC
 * as of the day before, after orders change (one job `after-orders`, delayed a little so a
 * series of import calls is fitted once), and on request (POST /api/value/fit). One fit at a time
 * across instances: the job holds the kernel lock `value-fit`; a job that finds it taken is put
 * back for half a minute.
 */
import { DelayedError, Worker, type Job } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Logger } from '../../kernel/logger.js';
import { lockKey, release, tryAcquire } from '../../kernel/redis/lock.js';
import { logWorkerErrors } from '../../kernel/redis/redis.js';
import {
  InstallQueue,
  refuseForeignJobs,
  type InstallScope,
} from '../../kernel/redis/install-scope.js';
import { dayOf, runValueFit } from './fit.js';

export const VALUE_QUEUE = 'value';
export const VALUE_PATTERN = '30 2 * * *';
const LOCK_TTL_MS = 10 * 60_000;
const AFTER_ORDERS_DELAY_MS = 15_000;

interface FitJob {
  /** YYYY-MM-DD; unset: the day before the job runs (nightly) or today (after orders). */
  asOf?: string;
  trigger: 'nightly' | 'orders' | 'request';
  installId?: string;
}

export interface ValueJobs {
  /** Queues a fit as of `asOf` (default today). */
  fit(asOf?: string): Promise<string>;
  /** Orders changed: one fit soon, however many calls. */
  afterOrders(): Promise<void>;
  startWorker(host: (w: Worker) => void): Promise<void>;
  close(): Promise<void>;
}

export function createValueJobs(deps: {
  connection: Redis;
  prefix: string;
  install: InstallScope;
  logger: Logger;
  baseCurrency: string;
  now?: () => Date;
}): ValueJobs {
  const { connection, prefix, logger } = deps;
  const now = deps.now ?? (() => new Date());
  const queue = new InstallQueue<FitJob>(VALUE_QUEUE, {
    installId: deps.install.installId,
    connection,
    prefix,
    defaultJobOptions: {
      attempts: 3,
      backoff: { type: 'exponential', delay: 5000 },
      removeOnComplete: { count: 50 },
      removeOnFail: { count: 50 },
    },
  });
  let worker: Worker<FitJob> | undefined;
  const run = async (job: Job<FitJob>, token?: string) => {
    const key = lockKey(prefix, 'value-fit');
    const owner = await tryAcquire(connection, key, LOCK_TTL_MS);
    if (!owner) {
      await job.moveToDelayed(Date.now() + 30_000, token);
      throw new DelayedError();
    }
    try {
      const today = now();
      const asOf =
        job.data.asOf ??
        dayOf(job.data.trigger === 'nightly' ? new Date(today.getTime() - 86_400_000) : today);
      const result = await runValueFit(asOf, { baseCurrency: deps.baseCurrency, now });
      logger.info({ ...result, trigger: job.data.trigger }, 'value: model fitted');
      return result;
    } finally {
      await release(connection, key, owner);
    }
  };
  return {
    async fit(asOf) {
      const day = asOf ?? dayOf(now());
      await queue.add('fit', { asOf: day, trigger: 'request' });
      return day;
    },
    async afterOrders() {
      await queue.add(
        'fit',
        { trigger: 'orders' },
        {
          jobId: 'after-orders',
          delay: AFTER_ORDERS_DELAY_MS,
          removeOnComplete: true,
          removeOnFail: true,
        },
      );
    },
    async startWorker(host) {
      worker = new Worker<FitJob>(VALUE_QUEUE, refuseForeignJobs(deps.install, VALUE_QUEUE, run), {
        connection,
        prefix,
        concurrency: 1,
      });
      worker.on('error', logWorkerErrors(logger, 'value worker error'));
      host(worker as Worker);
      await queue.upsertJobScheduler(
        'value-nightly',
        { pattern: VALUE_PATTERN, tz: 'UTC' },
        { name: 'fit', data: { trigger: 'nightly' } },
      );
    },
    async close() {
      await worker?.close();
      await queue.close();
    },
  };
}
