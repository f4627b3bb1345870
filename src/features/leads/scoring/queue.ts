/**
 * The scoring queue (BullMQ `scoring`): `lead` jobs refresh one lead after a turn of the
 * conversation that captured it (job id from the lead and the message, so a replayed turn adds
 * nothing new, and a refresh run twice writes the same values); an `all` job rescores every lead
 * after the rules change, outside the request; an `unscored` job at start refreshes the leads
 * that were never scored. Conversations without a lead queue nothing.
 */
import { Worker, type Job } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Types } from 'mongoose';
import type { Logger } from '../../../kernel/logger.js';
import {
  InstallQueue,
  refuseForeignJobs,
  type InstallScope,
} from '../../../kernel/redis/install-scope.js';
import { refreshLead, refreshUnscored, rescoreAll } from './refresh.js';
import { loadRules } from './store.js';
import { logWorkerErrors } from '../../../kernel/redis/redis.js';

export const SCORING_QUEUE = 'scoring';

type ScoringJob =
  | { kind: 'lead'; leadId: string; conversationId?: string; installId?: string }
  | { kind: 'all'; installId?: string }
  | { kind: 'unscored'; installId?: string };

export interface Scoring {
  /** After a turn: queue a refresh when the conversation has a lead (else nothing). */
  afterTurn(
    conversation: { _id: Types.ObjectId; leadId?: Types.ObjectId | null } | undefined,
    messageId: Types.ObjectId,
  ): Promise<void>;
  /** Queue a rescore of every lead (after the rules changed). */
  rescoreAll(): Promise<void>;
  /** Start the worker (worker and all-in-one roles). */
  startWorker(): void;
  close(): Promise<void>;
}

export function createScoring(deps: {
  connection: Redis;
  prefix: string;
  install: InstallScope;
  logger: Logger;
}): Scoring {
  const { connection, prefix, logger } = deps;
  const queue = new InstallQueue<ScoringJob>(SCORING_QUEUE, {
    installId: deps.install.installId,
    connection,
    prefix,
    defaultJobOptions: {
      attempts: 5,
      backoff: { type: 'exponential', delay: 1000 },
      removeOnComplete: { count: 1000 },
      removeOnFail: { count: 1000 },
    },
  });
  let worker: Worker<ScoringJob> | undefined;
  const run = async (job: Job<ScoringJob>) => {
    const data = job.data;
    if (data.kind === 'lead') {
      await refreshLead(data.leadId, data.conversationId);
      return;
    }
    if (data.kind === 'unscored') {
      const refreshed = await refreshUnscored();
      if (refreshed > 0) logger.info({ refreshed }, 'scoring: unscored leads refreshed');
      return;
    }
    const live = await loadRules();
    const changed = await rescoreAll(live.rules, live.version);
    logger.info({ changed, version: live.version }, 'scoring: leads rescored');
  };
  return {
    async afterTurn(conversation, messageId) {
      const leadId = conversation?.leadId;
      if (!conversation || !leadId) return;
      try {
        await queue.add(
          'lead',
          { kind: 'lead', leadId: String(leadId), conversationId: String(conversation._id) },
          { jobId: `lead-${String(leadId)}-${String(messageId)}` },
        );
      } catch (err) {
        // A missed refresh only leaves a score stale until the lead's next change.
        logger.warn({ err, leadId: String(leadId) }, 'scoring: could not queue a lead refresh');
      }
    },
    async rescoreAll() {
      await queue.add('all', { kind: 'all' });
    },
    startWorker() {
      worker = new Worker<ScoringJob>(
        SCORING_QUEUE,
        refuseForeignJobs(deps.install, SCORING_QUEUE, run),
        { connection, prefix, concurrency: 1 },
      );
      worker.on('error', logWorkerErrors(logger, 'scoring worker error'));
      // Leads stored before scoring existed get their facts and score once, in the background.
      queue
        .add(
          'unscored',
          { kind: 'unscored' },
          { jobId: 'unscored-at-start', removeOnComplete: true },
        )
        .catch((err: unknown) => logger.warn({ err }, 'scoring: could not queue the backfill'));
    },
    async close() {
      await worker?.close();
      await queue.close();
    },
  };
}
