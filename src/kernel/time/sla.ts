/**
 * Case SLAs, as pure functions of their inputs (the clock is always passed in): per priority a
 * first-response and a resolution target, the deadlines they give a case, and the SLA state
 * (ok, at risk from 80 % of the target, breached) at a given moment.
 *
 * With BUSINESS_HOURS the clock runs only while open: a 4 h target of a case opened on Friday
 * at 17:00 with Mon-Fri 09:00-18:00 hours is due on Monday at 12:00. Targets are durations of
 * running clock, so `1d` is 24 open hours, not one business day.
 *
 * CASE_SLA overrides the defaults, e.g. `urgent=1h/4h,high=4h/1d,normal=1d/3d,low=3d/7d`
 * (priority=first-response/resolution; units m, h, d; priorities left out keep their default).
 */
import { openIntervals, type BusinessHours } from './business-hours.js';

import { CASE_PRIORITIES, SLA_STATES, type CasePriority, type SlaState } from '../vocabulary.js';

export { CASE_PRIORITIES, SLA_STATES, type CasePriority, type SlaState };
export interface SlaTarget {
  firstResponseMs: number;
  resolutionMs: number;
}
export type SlaPolicy = Record<CasePriority, SlaTarget>;

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
/** From this share of a target on, the case is at risk. */
export const AT_RISK_SHARE = 0.8;

export const DEFAULT_SLA: SlaPolicy = {
  urgent: { firstResponseMs: HOUR, resolutionMs: 4 * HOUR },
  high: { firstResponseMs: 4 * HOUR, resolutionMs: DAY },
  normal: { firstResponseMs: DAY, resolutionMs: 3 * DAY },
  low: { firstResponseMs: 3 * DAY, resolutionMs: 7 * DAY },
};

export class CaseSlaError extends Error {
  constructor(message: string) {
    super(`CASE_SLA ${message} (expected e.g. "urgent=1h/4h,high=4h/1d,normal=1d/3d,low=3d/7d")`);
    this.name = 'CaseSlaError';
  }
}

const UNITS: Record<string, number> = { m: MINUTE, h: HOUR, d: DAY };

function duration(text: string, rule: string): number {
  const m = /^(\d+(?:\.\d+)?)\s*([mhd])$/i.exec(text.trim());
  const ms = m ? Number(m[1]) * UNITS[m[2]!.toLowerCase()]! : NaN;
  if (!Number.isFinite(ms) || ms <= 0) {
    throw new CaseSlaError(`has a duration it cannot read in "${rule}" (use 30m, 4h, 2d)`);
  }
  return ms;
}

export function parseCaseSla(spec: string): SlaPolicy {
  const policy: SlaPolicy = structuredClone(DEFAULT_SLA);
  const seen = new Set<string>();
  for (const raw of spec.split(',')) {
    const rule = raw.trim();
    if (!rule) continue;
    const m = /^([a-z]+)\s*=\s*([^/]+)\/(.+)$/i.exec(rule);
    if (!m) throw new CaseSlaError(`has a rule it cannot read: "${rule}"`);
    const priority = m[1]!.toLowerCase();
    if (!(CASE_PRIORITIES as readonly string[]).includes(priority)) {
      throw new CaseSlaError(
        `names an unknown priority "${m[1]}" (use ${CASE_PRIORITIES.join(', ')})`,
      );
    }
    if (seen.has(priority)) throw new CaseSlaError(`names "${priority}" twice`);
    seen.add(priority);
    const target = { firstResponseMs: duration(m[2]!, rule), resolutionMs: duration(m[3]!, rule) };
    if (target.resolutionMs < target.firstResponseMs) {
      throw new CaseSlaError(`has a resolution target shorter than the first response: "${rule}"`);
    }
    policy[priority as CasePriority] = target;
  }
  return policy;
}

/** The moment `ms` of running clock after `start` (the clock stops outside business hours). */
export function addClockTime(start: Date, ms: number, hours?: BusinessHours): Date {
  if (!hours || hours.windows.length === 0) return new Date(start.getTime() + ms);
  let remaining = ms;
  let cursor = start.getTime();
  for (const [open, close] of openIntervals(hours, start)) {
    const from = Math.max(open.getTime(), cursor);
    const length = close.getTime() - from;
    if (length <= 0) continue;
    if (remaining <= length) return new Date(from + remaining);
    remaining -= length;
    cursor = close.getTime();
  }
  return new Date(cursor + remaining);
}

export interface SlaDeadlines {
  firstResponseDueAt: Date;
  firstResponseRiskAt: Date;
  resolutionDueAt: Date;
  resolutionRiskAt: Date;
}

export function slaDeadlines(
  openedAt: Date,
  priority: CasePriority,
  policy: SlaPolicy = DEFAULT_SLA,
  hours?: BusinessHours,
): SlaDeadlines {
  const t = policy[priority];
  return {
    firstResponseDueAt: addClockTime(openedAt, t.firstResponseMs, hours),
    firstResponseRiskAt: addClockTime(openedAt, t.firstResponseMs * AT_RISK_SHARE, hours),
    resolutionDueAt: addClockTime(openedAt, t.resolutionMs, hours),
    resolutionRiskAt: addClockTime(openedAt, t.resolutionMs * AT_RISK_SHARE, hours),
  };
}

export const SLA_KINDS = ['first_response', 'resolution'] as const;
export type SlaKind = (typeof SLA_KINDS)[number];

/** One target of a case: pending, met in time, or missed (met late or not met by now). */
export interface TargetState {
  dueAt: Date | null;
  state: SlaState;
  /** When it was met (first staff reply / resolution), if it was. */
  metAt: Date | null;
}

export interface CaseSlaInput {
  status: string;
  firstResponseDueAt?: Date | null;
  firstResponseRiskAt?: Date | null;
  firstRespondedAt?: Date | null;
  resolutionDueAt?: Date | null;
  resolutionRiskAt?: Date | null;
  resolvedAt?: Date | null;
}

function targetState(
  due: Date | null | undefined,
  risk: Date | null | undefined,
  metAt: Date | null | undefined,
  now: Date,
): TargetState {
  const dueAt = due ? new Date(due) : null;
  const met = metAt ? new Date(metAt) : null;
  if (!dueAt) return { dueAt, state: 'ok', metAt: met };
  const at = met ?? now;
  if (at.getTime() > dueAt.getTime()) return { dueAt, state: 'breached', metAt: met };
  if (!met && risk && now.getTime() >= new Date(risk).getTime()) {
    return { dueAt, state: 'at_risk', metAt: met };
  }
  return { dueAt, state: 'ok', metAt: met };
}

const RANK: Record<SlaState, number> = { ok: 0, at_risk: 1, breached: 2 };

export interface CaseSla {
  state: SlaState;
  firstResponse: TargetState;
  resolution: TargetState;
  /** The next deadline still running (the one the console counts down to), if any. */
  nextDueAt: Date | null;
}

/** A resolved or closed case counts as resolved at `resolvedAt` (its first response too). */
export function caseSlaAt(c: CaseSlaInput, now: Date): CaseSla {
  const done = c.status === 'resolved' || c.status === 'closed';
  const resolvedAt = c.resolvedAt ?? (done ? now : null);
  const firstMet = c.firstRespondedAt ?? resolvedAt;
  const firstResponse = targetState(c.firstResponseDueAt, c.firstResponseRiskAt, firstMet, now);
  const resolution = targetState(c.resolutionDueAt, c.resolutionRiskAt, resolvedAt, now);
  const state =
    RANK[firstResponse.state] >= RANK[resolution.state] ? firstResponse.state : resolution.state;
  const running = [firstResponse, resolution].filter((t) => !t.metAt && t.dueAt);
  return { state, firstResponse, resolution, nextDueAt: running[0]?.dueAt ?? null };
}

/** Targets missed by `now` (met late or overdue): each is alerted once (the SLA monitor). */
export function breachedKinds(c: CaseSlaInput, now: Date): SlaKind[] {
  const sla = caseSlaAt(c, now);
  const kinds: SlaKind[] = [];
  if (sla.firstResponse.state === 'breached') kinds.push('first_response');
  if (sla.resolution.state === 'breached') kinds.push('resolution');
  return kinds;
}

/**
 * A MongoDB filter for active (open, pending) cases in an SLA state at `now`, by the stored
 * deadlines: breached = a running target past due; at risk = not breached, a running target past
 * its 80 % mark; ok = neither.
 */
export function slaStateFilter(state: SlaState, now: Date): Record<string, unknown> {
  const active = { status: { $in: ['open', 'pending'] } };
  const past = (field: 'DueAt' | 'RiskAt') => ({
    $or: [
      { firstRespondedAt: null, [`firstResponse${field}`]: { $lt: now } },
      { [`resolution${field}`]: { $lt: now } },
      // A first response that came late (the monitor alerted it) stays a breach.
      ...(field === 'DueAt' ? [{ slaAlerts: 'first_response' }] : []),
    ],
  });
  if (state === 'breached') return { ...active, ...past('DueAt') };
  if (state === 'at_risk') return { ...active, $and: [past('RiskAt'), { $nor: [past('DueAt')] }] };
  return { ...active, $nor: [past('RiskAt')] };
}

/** The SLA policy and business hours a process applies to cases (from CASE_SLA, BUSINESS_HOURS). */
export interface CaseSlaSettings {
  policy: SlaPolicy;
  hours?: BusinessHours;
}

export const DEFAULT_CASE_SLA: CaseSlaSettings = { policy: DEFAULT_SLA };
