/**
 * Staff edits of a case (PATCH /api/cases/:id): status, priority, assignee and an internal note.
 * Everything is checked before anything is written (an unknown or disabled assignee, or one who
 * may not work cases, changes nothing). The write happens under the case's conversation lock
 * (FerretDB loses concurrent updates of one document; the engine writes CSAT answers there too),
 * each change lands in the case's timeline, and one audit entry (`case.update`) holds before/after.
 *
 * Becoming `resolved` stamps `resolvedAt` (which also meets the first-response target if no
 * staff reply came first) and tells the customer, asking for a rating (src/features/cases/notify.ts).
 * Any status change is mailed to a customer who left an email (mail-update.ts).
 * A priority change recomputes the SLA deadlines from the case's opening.
 */
import { Types } from 'mongoose';
import { recordAudit } from '../../kernel/audit.js';
import type { Actor, Role } from '../../kernel/roles.js';
import { User, type UserDoc } from '../../kernel/db/models/user.js';
import type { Locale } from '../../kernel/contracts/messages.js';
import type { ConversationLock } from '../../kernel/redis/conversation-lock.js';
import { staffOfActor } from '../../kernel/staff.js';
import { invalid, notFound } from '../../kernel/errors.js';
import type { Outbox } from '../../pipeline/outbox.js';
import {
  Case,
  type CaseDoc,
  type CASE_PRIORITIES,
  type CASE_STATUSES,
} from '../../kernel/db/models/case.js';
import { Message } from '../../kernel/db/models/message.js';
import { notifyResolved } from './notify.js';
import { mailCaseUpdate, type CaseMailDeps } from './mail-update.js';
import type { EventPublisher } from '../../kernel/events.js';
import { DEFAULT_CASE_SLA, type CaseSlaSettings } from '../../kernel/time/sla.js';
import { slaDeadlines } from '../../kernel/time/sla.js';

export interface CaseChanges {
  status?: (typeof CASE_STATUSES)[number];
  priority?: (typeof CASE_PRIORITIES)[number];
  /** A staff user id (agent or admin); null unassigns. */
  assignee?: string | null;
  /** An internal note to add (staff only, never sent). */
  note?: string;
}

export interface CaseEditDeps extends Partial<Omit<CaseMailDeps, 'defaultLocale'>> {
  outbox: Outbox;
  lock: ConversationLock;
  defaultLocale: Locale;
  /** Hears case.updated (webhooks). */
  events: EventPublisher;
  /** CASE_SLA and BUSINESS_HOURS: a priority change moves the deadlines. */
  caseSla?: CaseSlaSettings;
  now?: () => Date;
}

const CASE_ROLES = new Set<Role>(['agent', 'admin']);

async function findCase(id: string): Promise<CaseDoc> {
  const c = /^[0-9a-f]{24}$/i.test(id) ? await Case.findById(id).lean<CaseDoc>() : null;
  if (!c) throw notFound('The case');
  return c;
}

async function assigneeOf(id: string | null | undefined) {
  if (id === undefined || id === null) return id;
  const user = Types.ObjectId.isValid(id) ? await User.findById(id).lean<UserDoc>() : null;
  if (!user || user.disabled === true || !CASE_ROLES.has(user.role)) {
    throw invalid('invalid_assignee', 'The assignee must be an active agent or admin.');
  }
  return { id: user._id.toHexString(), name: user.name?.trim() || user.email };
}

/** Who may be assigned cases: active agents and admins, by name (at most 500). */
export async function caseAssignees(): Promise<{ id: string; name: string | null }[]> {
  const users = await User.find(
    { role: { $in: [...CASE_ROLES] } },
    { name: 1, email: 1, disabled: 1 },
  )
    .limit(500)
    .lean<UserDoc[]>();
  return users
    .filter((u) => u.disabled !== true)
    .map((u) => ({ id: u._id.toHexString(), name: u.name?.trim() || u.email }))
    .sort((a, b) => a.name.localeCompare(b.name));
}

/** The case's lock: its conversation's (shared with the engine), else one of its own. */
export const caseLockId = (c: CaseDoc): string =>
  c.conversationId ? c.conversationId.toHexString() : `case-${c._id.toHexString()}`;

/** The first staff reply on the case's conversation since it opened (first response). */
export async function firstStaffReply(c: CaseDoc): Promise<Date | null> {
  if (!c.conversationId) return null;
  const opened = (c as { createdAt?: Date }).createdAt ?? new Date(0);
  const m = await Message.findOne(
    {
      conversationId: c.conversationId,
      author: 'staff',
      direction: 'out',
      internal: { $ne: true },
    },
    { createdAt: 1 },
  )
    .sort({ createdAt: 1 })
    .lean<{ createdAt: Date }>();
  return m && new Date(m.createdAt).getTime() >= new Date(opened).getTime() ? m.createdAt : null;
}

type Plan = { set: Record<string, unknown>; events: Record<string, unknown>[] };

function planChanges(
  c: CaseDoc,
  changes: CaseChanges,
  assignee: { id: string; name: string } | null | undefined,
  now: Date,
  by: { id: string; name?: string },
  sla: CaseSlaSettings,
): Plan & { before: Record<string, unknown>; after: Record<string, unknown> } {
  const set: Record<string, unknown> = {};
  const events: Record<string, unknown>[] = [];
  const before: Record<string, unknown> = {};
  const after: Record<string, unknown> = {};
  const change = (field: string, from: unknown, to: unknown, label = to) => {
    before[field] = from ?? null;
    after[field] = to ?? null;
    events.push({ at: now, kind: field, by, from: from ?? undefined, to: label ?? undefined });
  };
  if (changes.status !== undefined && changes.status !== c.status) {
    change('status', c.status, changes.status);
    set.status = changes.status;
    const done = changes.status === 'resolved' || changes.status === 'closed';
    set.resolvedAt = done ? (c.resolvedAt ?? now) : null;
    if (done && !c.firstRespondedAt) set.firstRespondedAt = now;
  }
  if (changes.priority !== undefined && changes.priority !== c.priority) {
    change('priority', c.priority, changes.priority);
    set.priority = changes.priority;
    const { policy, hours } = sla;
    const opened = (c as { createdAt?: Date }).createdAt ?? now;
    Object.assign(set, slaDeadlines(new Date(opened), changes.priority, policy, hours));
  }
  if (assignee !== undefined && (assignee?.id ?? null) !== (c.assignee?.id ?? null)) {
    change('assignee', c.assignee?.id, assignee?.id, assignee?.name);
    set.assignee = assignee;
  }
  return { set, events, before, after };
}

export async function editCase(
  deps: CaseEditDeps,
  id: string,
  changes: CaseChanges,
  actor: Actor,
): Promise<CaseDoc> {
  const found = await findCase(id);
  const assignee = await assigneeOf(changes.assignee);
  const now = (deps.now ?? (() => new Date()))();
  const staff = staffOfActor(actor);
  const by = { id: staff.id, name: staff.name };
  const note = changes.note?.trim();
  return deps.lock(caseLockId(found), async () => {
    const c = await findCase(id);
    const plan = planChanges(c, changes, assignee, now, by, deps.caseSla ?? DEFAULT_CASE_SLA);
    if (!c.firstRespondedAt && !plan.set.firstRespondedAt) {
      const replied = await firstStaffReply(c);
      if (replied) plan.set.firstRespondedAt = replied;
    }
    const push: Record<string, unknown> = {};
    if (note) {
      push.notes = { _id: new Types.ObjectId(), text: note, by, at: now };
      plan.events.push({ at: now, kind: 'note', by });
    }
    if (plan.events.length) push.timeline = { $each: plan.events };
    const changed = Object.keys(plan.after);
    if (Object.keys(plan.set).length === 0 && !note) return c;
    await Case.updateOne(
      { _id: c._id },
      {
        ...(Object.keys(plan.set).length ? { $set: plan.set } : {}),
        ...(Object.keys(push).length ? { $push: push } : {}),
      },
    );
    const updated = await findCase(id);
    if (plan.set.status === 'resolved') {
      await notifyResolved(
        { outbox: deps.outbox, defaultLocale: deps.defaultLocale },
        updated,
        now,
      );
    }
    if (changes.status && plan.set.status) {
      // A customer who left an email hears of the new status by mail (mail-update.ts).
      await mailCaseUpdate(deps, updated, changes.status, now);
    }
    await recordAudit({
      actor,
      action: 'case.update',
      targetType: 'Case',
      targetId: id,
      before: plan.before,
      after: plan.after,
      ...(note ? { details: { noteLength: note.length } } : {}),
    });
    // Webhooks: status, priority and assignee changes (a note alone is staff-internal).
    if (changed.length) await deps.events.publish('case.updated', { case: updated });
    return plan.set.status ? findCase(id) : updated;
  });
}
