/**
 * The propensity run as a background job (BullMQ `propensity`, worker instances only): nightly at
 * 03:15 UTC and on request (POST /api/value/propensity/fit). One run at a time across instances
 * under the kernel lock `propensity-fit`; a job finding it taken is put back for half a minute.
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
import { runPropensity } from './train.js';

export const PROPENSITY_QUEUE = 'propensity';
const LOCK_TTL_MS = 10 * 60_000;

interface PropensityJob {
  trigger: 'nightly' | 'request';
  installId?: string;
}

export interface PropensityJobs {
  fit(): Promise<void>;
  startWorker(host: (w: Worker) => void): Promise<void>;
  close(): Promise<void>;
}

export function createPropensityJobs(deps: {
  connection: Redis;
  prefix: string;
  install: InstallScope;
  logger: Logger;
}): PropensityJobs {
  const { connection, prefix, logger } = deps;
  const queue = new InstallQueue<PropensityJob>(PROPENSITY_QUEUE, {
    installId: deps.install.installId,
    connection,
    prefix,
    defaultJobOptions: {
      attempts: 3,
      backoff: { type: 'exponential', delay: 5000 },
      removeOnComplete: { count: 20 },
      removeOnFail: { count: 20 },
    },
  });
  let worker: Worker<PropensityJob> | undefined;
  const run = async (job: Job<PropensityJob>, token?: string) => {
    const key = lockKey(prefix, 'propensity-fit');
    const owner = await tryAcquire(connection, key, LOCK_TTL_MS);
    if (!owner) {
      await job.moveToDelayed(Date.now() + 30_000, token);
      throw new DelayedError();
    }
    try {
      const { status, closed, auc, openLeadsScored, durationMs } = await runPropensity();
      logger.info(
        { status, closed, auc, openLeadsScored, durationMs, trigger: job.data.trigger },
        'propensity: model trained',
      );
      return { status, closed, auc };
    } finally {
      await release(connection, key, owner);
    }
  };
  return {
    async fit() {
      await queue.add('fit', { trigger: 'request' });
    },
    async startWorker(host) {
      worker = new Worker<PropensityJob>(
        PROPENSITY_QUEUE,
        refuseForeignJobs(deps.install, PROPENSITY_QUEUE, run),
        { connection, prefix, concurrency: 1 },
      );
      worker.on('error', logWorkerErrors(logger, 'propensity worker error'));
      host(worker as Worker);
      await queue.upsertJobScheduler(
        'propensity-nightly',
        { pattern: '15 3 * * *', tz: 'UTC' },
        { name: 'fit', data: { trigger: 'nightly' } },
      );
    },
    async close() {
      await worker?.close();
      await queue.close();
    },
  };
}
