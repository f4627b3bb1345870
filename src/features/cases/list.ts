/** The cases list: filters (status, priority, SLA state, assignee, channel, type, number), paging. */
import type { ChannelId } from '../../kernel/contracts/messages.js';
import {
  Case,
  type CaseDoc,
  type CASE_PRIORITIES,
  type CASE_STATUSES,
} from '../../kernel/db/models/case.js';
import { slaStateFilter, type SlaState } from '../../kernel/time/sla.js';
import { caseSummaries, type CaseSummary } from './views.js';

export interface CaseQuery {
  status?: (typeof CASE_STATUSES)[number];
  priority?: (typeof CASE_PRIORITIES)[number];
  sla?: SlaState;
  /** A staff user id, or `none` for unassigned cases. */
  assignee?: string;
  channel?: ChannelId;
  type?: 'support' | 'privacy' | 'callback';
  /** A case number, whole or its digits (CS-000042, 42). */
  number?: string;
  conversationId?: string;
  limit: number;
  offset: number;
}

function numberOf(q: string): string {
  const digits = q.replace(/^cs-?/i, '').trim();
  return /^\d+$/.test(digits) ? `CS-${digits.padStart(6, '0')}` : q.trim().toUpperCase();
}

export function caseFilter(q: CaseQuery, now: Date): Record<string, unknown> {
  const filter: Record<string, unknown> = q.sla ? slaStateFilter(q.sla, now) : {};
  if (q.status !== undefined) {
    // The SLA filter keeps to active cases; a status filter narrows it further.
    filter.status = q.sla && !['open', 'pending'].includes(q.status) ? '__none__' : q.status;
  }
  if (q.priority !== undefined) filter.priority = q.priority;
  if (q.assignee === 'none') filter['assignee.id'] = null;
  else if (q.assignee !== undefined) filter['assignee.id'] = q.assignee;
  if (q.channel !== undefined) filter.channel = q.channel;
  if (q.type !== undefined) filter.type = q.type;
  if (q.number !== undefined) filter.number = numberOf(q.number);
  if (q.conversationId !== undefined) filter.conversationId = q.conversationId;
  return filter;
}

export async function listCases(
  q: CaseQuery,
  now: Date,
): Promise<{ items: CaseSummary[]; total: number }> {
  const filter = caseFilter(q, now);
  const [docs, total] = await Promise.all([
    Case.find(filter, { notes: 0, timeline: 0 })
      .sort({ createdAt: -1, _id: -1 })
      .skip(q.offset)
      .limit(q.limit)
      .lean<CaseDoc[]>(),
    Case.countDocuments(filter),
  ]);
  return { items: await caseSummaries(docs, now), total };
}
