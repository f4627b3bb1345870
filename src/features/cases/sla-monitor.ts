/**
 * The case SLA monitor (worker role, every minute, one instance at a time under a Redis lock):
 * gives deadlines to active cases that have none (opened before SLAs existed), notes first
 * responses (the first staff reply on the case's conversation), and alerts each missed target
 * once per case and kind — the kind is added to `slaAlerts` under the case's lock, and only the
 * check that added it queues the Slack message (`alert`). Off the hot path: on the embedded
 * FerretDB the `status: {$in}` read scans the cases collection.
 */
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import {
  ConversationBusyError,
  type ConversationLock,
} from '../../kernel/redis/conversation-lock.js';
import { release, tryAcquire } from '../../kernel/redis/lock.js';
import { Case, type CaseDoc } from '../../kernel/db/models/case.js';
import { caseLockId, firstStaffReply } from './edits.js';
import {
  breachedKinds,
  DEFAULT_CASE_SLA,
  slaDeadlines,
  type CaseSlaSettings,
  type SlaKind,
} from '../../kernel/time/sla.js';

/** At most this many active cases are looked at per check (oldest deadlines first). */
const BATCH = 500;

export interface SlaCheckDeps {
  lock: ConversationLock;
  /** Queues the staff alert (the Slack staff channel); idempotent per (case, kind). */
  alert: (caseId: string, kind: SlaKind) => Promise<void>;
  /** CASE_SLA and BUSINESS_HOURS, for cases written before they had deadlines. */
  sla?: CaseSlaSettings;
  /** Counts a missed target (charla_sla_breaches_total): once per (case, kind), like the alert. */
  onBreach?: (kind: SlaKind, priority: string) => void;
}

export interface SlaCheckReport {
  checked: number;
  backfilled: number;
  alerted: number;
}

async function backfill(now: Date, sla: CaseSlaSettings): Promise<number> {
  const { policy, hours } = sla;
  const missing = await Case.find(
    { status: { $in: ['open', 'pending'] }, resolutionDueAt: null },
    { priority: 1, createdAt: 1 },
  )
    .limit(BATCH)
    .lean<Array<CaseDoc & { createdAt?: Date }>>();
  for (const c of missing) {
    const opened = c.createdAt ? new Date(c.createdAt) : now;
    await Case.updateOne(
      { _id: c._id, resolutionDueAt: null },
      { $set: slaDeadlines(opened, c.priority, policy, hours) },
    );
  }
  return missing.length;
}

async function checkCase(deps: SlaCheckDeps, c: CaseDoc, now: Date): Promise<number> {
  const replied = c.firstRespondedAt ? null : await firstStaffReply(c);
  const seen: CaseDoc = replied ? { ...c, firstRespondedAt: replied } : c;
  const kinds = breachedKinds(seen, now).filter((k) => !(c.slaAlerts ?? []).includes(k));
  if (!replied && kinds.length === 0) return 0;
  const added = await deps.lock(
    caseLockId(c),
    async () => {
      const fresh = await Case.findById(c._id, { slaAlerts: 1 }).lean<CaseDoc>();
      const todo = kinds.filter((k) => !(fresh?.slaAlerts ?? []).includes(k));
      if (!fresh || (!replied && todo.length === 0)) return [];
      await Case.updateOne(
        { _id: c._id },
        {
          ...(replied ? { $set: { firstRespondedAt: replied } } : {}),
          ...(todo.length
            ? {
                $push: {
                  slaAlerts: { $each: todo },
                  timeline: { $each: todo.map((k) => ({ at: now, kind: 'sla_breached', to: k })) },
                },
              }
            : {}),
        },
      );
      return todo;
    },
    { waitMs: 1000 },
  );
  for (const kind of added) {
    deps.onBreach?.(kind, c.priority ?? 'normal');
    await deps.alert(c._id.toHexString(), kind);
  }
  return added.length;
}

/** One pass over the active cases at `now` (the clock is the caller's: tests pass their own). */
export async function checkCaseSlas(deps: SlaCheckDeps, now: Date): Promise<SlaCheckReport> {
  const backfilled = await backfill(now, deps.sla ?? DEFAULT_CASE_SLA);
  const active = await Case.find(
    { status: { $in: ['open', 'pending'] } },
    { notes: 0, timeline: 0 },
  )
    .sort({ resolutionDueAt: 1 })
    .limit(BATCH)
    .lean<CaseDoc[]>();
  let alerted = 0;
  for (const c of active) {
    try {
      alerted += await checkCase(deps, c, now);
    } catch (err) {
      if (!(err instanceof ConversationBusyError)) throw err; // the next check tries again
    }
  }
  return { checked: active.length, backfilled, alerted };
}

export interface SlaMonitor {
  /** Runs one check now (also what the timer calls). */
  runOnce(): Promise<SlaCheckReport | undefined>;
  stop(): void;
}

export function startSlaMonitor(
  deps: SlaCheckDeps & {
    redis: Redis;
    prefix: string;
    logger: Logger;
    everyMs?: number;
    now?: () => Date;
  },
): SlaMonitor {
  const key = `${deps.prefix}:lock:case-sla-monitor`;
  const now = deps.now ?? (() => new Date());
  let running: Promise<unknown> | undefined;
  const runOnce = async () => {
    const owner = await tryAcquire(deps.redis, key, 55_000);
    if (!owner) return undefined; // another instance is checking
    try {
      return await checkCaseSlas(deps, now());
    } finally {
      await release(deps.redis, key, owner);
    }
  };
  const tick = () => {
    if (running) return;
    running = runOnce()
      .catch((err: unknown) => deps.logger.warn({ err }, 'case SLA check failed'))
      .finally(() => (running = undefined));
  };
  const timer = setInterval(tick, deps.everyMs ?? 60_000);
  timer.unref();
  return {
    runOnce,
    stop: () => clearInterval(timer),
  };
}
