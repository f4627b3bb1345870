/**
 * The nightly retention job: a BullMQ job scheduler (one id, so every instance upserts the same
 * schedule and one of them runs it) that calls purgeOldMessageTexts. Started only when
 * RETENTION_DAYS is set.
 */
import { Worker, type Job } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Logger } from '../../../kernel/logger.js';
import {
  InstallQueue,
  refuseForeignJobs,
  type InstallScope,
} from '../../../kernel/redis/install-scope.js';
import { purgeOldMessageTexts } from './retention.js';
import { logWorkerErrors } from '../../../kernel/redis/redis.js';

export const RETENTION_QUEUE = 'retention';
const SCHEDULER_ID = 'retention-nightly';
/** 03:15 UTC every day. */
export const RETENTION_PATTERN = '15 3 * * *';

export interface RetentionJobDeps {
  connection: Redis;
  prefix: string;
  install: InstallScope;
  days: number;
  logger: Logger;
  now?: () => Date;
}

export interface RetentionJob {
  queue: InstallQueue<{ installId?: string }>;
  close(): Promise<void>;
}

export async function startRetentionJob(deps: RetentionJobDeps): Promise<RetentionJob> {
  const { connection, prefix, logger } = deps;
  const queue = new InstallQueue<{ installId?: string }>(RETENTION_QUEUE, {
    installId: deps.install.installId,
    connection,
    prefix,
    defaultJobOptions: { removeOnComplete: { count: 30 }, removeOnFail: { count: 30 } },
  });
  const purge = async (_job: Job) => {
    const result = await purgeOldMessageTexts(deps.days, deps.now);
    logger.info(
      { messages: result.messages, conversations: result.conversations, days: deps.days },
      'retention: old message texts deleted',
    );
    return { messages: result.messages, conversations: result.conversations };
  };
  const worker = new Worker(
    RETENTION_QUEUE,
    refuseForeignJobs(deps.install, RETENTION_QUEUE, purge),
    {
      connection,
      prefix,
    },
  );
  worker.on('error', logWorkerErrors(logger, 'retention worker error'));
  await queue.upsertJobScheduler(
    SCHEDULER_ID,
    { pattern: RETENTION_PATTERN, tz: 'UTC' },
    { name: 'purge-texts', opts: { attempts: 3 } },
  );
  return {
    queue,
    async close() {
      await worker.close();
      await queue.close();
    },
  };
}
