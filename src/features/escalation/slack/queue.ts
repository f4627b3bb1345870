/**
 * Every Slack call of the staff queue is a BullMQ job ('escalation' queue), so Slack being down
 * or rate-limiting loses nothing: jobs retry with exponential backoff (Slack's Retry-After wins
 * on 429) for about a week before they are set aside as failed.
 *
 * Job kinds: post-item (the queue item), update-item (re-render after claim/close), relay (copy
 * customer messages into the item's thread, in order; waits until the item exists), thread-note
 * (who claimed/closed), notify (SLA re-ping), sla-sweep (repeatable: finds items waiting too
 * long), case-alert (a case missed an SLA target: src/features/cases/sla-monitor.ts). Job data never carries message texts: they are read from MongoDB when the job runs.
 *
 * One more kind runs with or without Slack: customer-notice, a notice to the customer that the
 * escalator deferred until the engine finished the escalating turn (the after-hours notice).
 */
import { Worker, type Job, type Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { Locale } from '../../../kernel/contracts/messages.js';
import { refuseForeignJobs, type InstallScope } from '../../../kernel/redis/install-scope.js';
import type { BusinessHours } from '../../../kernel/time/business-hours.js';
import type { ConversationLock } from '../../../kernel/redis/conversation-lock.js';
import type { DeferredNotice } from '../escalation-context.js';
import { TurnInProgress } from '../notices.js';
import { ESCALATION_QUEUE, escalationBackoff, type EscalationJob } from './jobs.js';
import {
  caseAlert,
  notify,
  postItem,
  relay,
  staffEcho,
  threadNote,
  updateItem,
  type SlackJobContext,
  type SlackTarget,
} from './slack-jobs.js';
import { sweepOverdue } from './sla-sweep.js';
import { logWorkerErrors } from '../../../kernel/redis/redis.js';

export {
  ESCALATION_ATTEMPTS,
  ESCALATION_QUEUE,
  createEscalationQueue,
  deferNotice,
  escalationBackoff,
  queueCaseAlert,
  scheduleSlaSweep,
  type EscalationJob,
} from './jobs.js';
export { createSlackNotifier } from './notifier.js';
export { relayLine, type SlackTarget } from './slack-jobs.js';

export interface EscalationWorkerDeps {
  connection: Redis;
  prefix: string;
  /** Jobs of another install are refused (src/kernel/redis/install-scope.ts). */
  install: InstallScope;
  queue: Queue<EscalationJob>;
  /** The Slack side: absent without Slack, when only customer notices run here. */
  slack: SlackTarget | undefined;
  /** Delivers a customer notice the escalator deferred (escalator.sendDeferredNotice). */
  sendNotice: (conversationId: string, notice: DeferredNotice) => Promise<void>;
  locale: Locale;
  slaMinutes: number;
  businessHours: BusinessHours | undefined;
  logger: Logger;
  backoffBaseMs?: number;
  /** Every write to a conversation happens under it (see conversation-lock.ts). */
  lock: ConversationLock;
  now?: () => Date;
}

/** Runs one job: customer notices always, the Slack kinds only while Slack is configured. */
function jobRunner(deps: EscalationWorkerDeps) {
  const { slack } = deps;
  const ctx: SlackJobContext | undefined = slack && {
    slack,
    connection: deps.connection,
    prefix: deps.prefix,
    locale: deps.locale,
    lock: deps.lock,
  };
  const sweepDeps = { ...deps, now: deps.now ?? (() => new Date()) };
  return async (job: Job<EscalationJob>, token?: string): Promise<void> => {
    const data = job.data;
    if (data.kind === 'customer-notice') return deps.sendNotice(data.conversationId, data.notice);
    if (!ctx) return; // Slack was configured when this job was queued, and is not any more.
    switch (data.kind) {
      case 'post-item':
        return postItem(ctx, data);
      case 'update-item':
        return updateItem(ctx, data.conversationId);
      case 'relay':
        return relay(ctx, job, data.conversationId, token);
      case 'thread-note':
        return threadNote(ctx, data.conversationId, data.text);
      case 'staff-echo':
        return staffEcho(ctx, data.conversationId, data.messageId);
      case 'notify':
        return notify(ctx, data.conversationId, data.minutes);
      case 'sla-sweep':
        return sweepOverdue(sweepDeps);
      case 'case-alert':
        return caseAlert(ctx, data.caseId, data.breach);
    }
  };
}

export function createEscalationWorker(deps: EscalationWorkerDeps): Worker<EscalationJob> {
  const { logger, connection, prefix } = deps;
  const accepted = refuseForeignJobs(deps.install, ESCALATION_QUEUE, jobRunner(deps));
  const worker = new Worker<EscalationJob>(ESCALATION_QUEUE, accepted, {
    connection,
    prefix,
    concurrency: 8,
    settings: {
      backoffStrategy: (attemptsMade: number, _type?: string, err?: Error) =>
        escalationBackoff(attemptsMade, err, deps.backoffBaseMs),
    },
  });
  worker.on('failed', (job, err) => {
    if (err instanceof TurnInProgress) return; // expected: the engine is mid-turn
    // Slack outages are expected: log once in a while, not on every retry.
    if (!job || job.attemptsMade <= 1 || job.attemptsMade % 20 === 0) {
      logger.warn(
        {
          err: { name: err.name, message: err.message },
          kind: job?.data.kind,
          attempts: job?.attemptsMade,
        },
        'escalation job failed; will retry',
      );
    }
  });
  worker.on('error', logWorkerErrors(logger, 'escalation worker error'));
  return worker;
}
