/**
 * The staff queue's jobs ('escalation' BullMQ queue): their kinds, the queue, its backoff, and
 * the helpers that add the jobs with idempotent ids. What each job does: queue.ts.
 */
import type { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { webApi } from '@slack/bolt';
import { InstallQueue } from '../../../kernel/redis/install-scope.js';
import type { SlaKind } from '../../../kernel/time/sla.js';
import type { DeferredNotice } from '../escalation-context.js';
import { TurnInProgress } from '../notices.js';

export const ESCALATION_QUEUE = 'escalation';
/** With the backoff capped at a minute, this keeps retrying for about a week. */
export const ESCALATION_ATTEMPTS = 10_000;
const SWEEP_SCHEDULER = 'escalation-sla-sweep';

export type EscalationJob =
  | { kind: 'post-item'; conversationId: string; episode: number }
  | { kind: 'update-item'; conversationId: string }
  | { kind: 'relay'; conversationId: string; messageId: string }
  | { kind: 'staff-echo'; conversationId: string; messageId: string }
  | { kind: 'thread-note'; conversationId: string; text: string }
  | { kind: 'notify'; conversationId: string; minutes: number }
  | { kind: 'sla-sweep' }
  | { kind: 'case-alert'; caseId: string; breach: SlaKind }
  | { kind: 'customer-notice'; conversationId: string; notice: DeferredNotice };

export function createEscalationQueue(
  connection: Redis,
  prefix: string,
  installId: string,
): Queue<EscalationJob> {
  return new InstallQueue<EscalationJob>(ESCALATION_QUEUE, {
    installId,
    connection,
    prefix,
    defaultJobOptions: {
      attempts: ESCALATION_ATTEMPTS,
      backoff: { type: 'slack' },
      removeOnComplete: { age: 3600, count: 10_000 },
      removeOnFail: { age: 30 * 24 * 3600 },
    },
  });
}

/** Backoff: Slack's Retry-After on 429, else exponential from `baseMs`, capped at 64×base (≤ 60 s). */
export function escalationBackoff(
  attemptsMade: number,
  err: Error | undefined,
  baseMs = 1000,
): number {
  const e = err as { code?: string; retryAfter?: number } | undefined;
  if (e?.code === webApi.ErrorCode.RateLimitedError && typeof e.retryAfter === 'number') {
    return Math.max(0, e.retryAfter * 1000);
  }
  if (err instanceof TurnInProgress) return Math.min(baseMs, 250);
  const cap = Math.min(60_000, baseMs * 64);
  return Math.min(baseMs * 2 ** Math.max(0, attemptsMade - 1), cap);
}

/**
 * Queues a customer notice to be sent once the escalating turn is over (see escalator), once per
 * escalation episode (`episode` = its queuedAt in ms), however often the escalation is replayed.
 */
export async function deferNotice(
  queue: Queue<EscalationJob>,
  conversationId: string,
  notice: DeferredNotice,
  episode: number,
): Promise<void> {
  await queue.add(
    'customer-notice',
    { kind: 'customer-notice', conversationId, notice },
    { jobId: `notice-${conversationId}-${notice}-${episode}` },
  );
}

/** Queues a case's SLA alert for the staff channel; one job id per (case, kind). */
export async function queueCaseAlert(
  queue: Queue<EscalationJob>,
  caseId: string,
  breach: SlaKind,
): Promise<void> {
  await queue.add(
    'case-alert',
    { kind: 'case-alert', caseId, breach },
    { jobId: `case-sla-${caseId}-${breach}` },
  );
}

/** Schedules the SLA sweep (idempotent across instances: one scheduler id). */
export async function scheduleSlaSweep(
  queue: Queue<EscalationJob>,
  everyMs: number,
): Promise<void> {
  await queue.upsertJobScheduler(
    SWEEP_SCHEDULER,
    { every: everyMs },
    { name: 'sla-sweep', data: { kind: 'sla-sweep' }, opts: { attempts: 1 } },
  );
}
