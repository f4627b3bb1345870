/**
 * The Conversation's state transitions made outside the engine, each a named, conditional write:
 * the back office (escalation, its Slack queue, cases, privacy) changes a conversation only
 * through these, so each field group has one writer and a reader knows where to look.
 *
 * Who writes which fields of a Conversation:
 *   - the engine (src/pipeline/engine, through its conversation store): flow, suspendedFlow,
 *     lastTurn, locale, fallbacks, sentiment, priority, lastMessageAt/Text, awaitingRating (cleared
 *     when answered) — the turn's own state, written under the conversation lock the inbound
 *     worker holds;
 *   - src/kernel/db/conversations.ts: creation, replyContext, closing for good (status `closed`)
 *     and the open key; src/kernel/db/contacts.ts: contactId when contacts merge;
 *   - this module: the hand-over to staff (status bot ⇄ queued ⇄ assigned, statusHistory,
 *     assignee, team, escalation.{reason, queuedAt, assignedAt, closedAt, afterHours}; and when
 *     staff take a conversation straight from the bot, its running flow set aside into
 *     suspendedFlow, as the engine does when it hands over), the staff tool's
 *     bookkeeping (escalation.{itemChannel, itemTs, pendingRelay, lastPingAt}), the rating request
 *     of a resolved case (awaitingRating), and redaction (privacy erasure and retention).
 *
 * Callers outside the engine hold the conversation lock (src/kernel/redis/conversation-lock.ts)
 * around writes that race staff actions; the conditions below make each transition happen once.
 */
import type { Types } from 'mongoose';
import type { CustomerActivity, EscalationReason } from '../contracts/escalation.js';
import { Conversation, type ConversationDoc } from './models/conversation.js';

type Id = Types.ObjectId;

/** Statuses in which a person owns (or is about to own) the conversation. */
export const WITH_STAFF = ['queued', 'assigned'] as const;

/** bot → queued: a new escalation episode. Undefined when the bot did not own it. */
export function queueForHuman(
  _id: Id,
  episode: { reason: EscalationReason; at: Date; afterHours: boolean },
): Promise<ConversationDoc | null> {
  const { reason, at, afterHours } = episode;
  return Conversation.findOneAndUpdate(
    { _id, status: 'bot' },
    {
      $set: {
        status: 'queued',
        escalation: { reason, queuedAt: at, afterHours, pendingRelay: [] },
      },
      $unset: { assignee: 1, team: 1 },
      $push: { statusHistory: { status: 'queued', at, reason } },
    },
    { returnDocument: 'after' },
  ).lean<ConversationDoc>();
}

/** queued → assigned: of two staff claiming at once, exactly one gets the document back. */
export function assignToStaff(
  _id: Id,
  assignee: { id: string; name: string },
  at: Date,
): Promise<ConversationDoc | null> {
  return Conversation.findOneAndUpdate(
    { _id, status: 'queued' },
    {
      $set: { status: 'assigned', assignee, 'escalation.assignedAt': at },
      $push: { statusHistory: { status: 'assigned', at, by: assignee.id } },
    },
    { returnDocument: 'after' },
  ).lean<ConversationDoc>();
}

/**
 * bot → assigned: staff take the conversation from the bot (issue 19.3), as one episode that was
 * queued and claimed at the same instant (wait 0). A running flow is set aside as the engine
 * does when it hands over, so the bot resumes it on close. Call under the conversation lock
 * (`flow` is read before). Null when the bot no longer held it.
 */
export function takeFromBot(
  current: Pick<ConversationDoc, '_id' | 'flow'>,
  assignee: { id: string; name: string },
  at: Date,
): Promise<ConversationDoc | null> {
  return Conversation.findOneAndUpdate(
    { _id: current._id, status: 'bot' },
    {
      $set: {
        status: 'assigned',
        assignee,
        escalation: {
          reason: 'agent',
          queuedAt: at,
          assignedAt: at,
          afterHours: false,
          pendingRelay: [],
        },
        ...(current.flow ? { flow: null, suspendedFlow: current.flow } : {}),
      },
      $push: { statusHistory: { status: 'assigned', at, by: assignee.id, reason: 'agent' } },
    },
    { returnDocument: 'after' },
  ).lean<ConversationDoc>();
}

/** With staff; with `from`, only queued or held by `from`; with null, only queued. */
const withStaffFilter = (from?: string | null): Record<string, unknown> =>
  from === null
    ? { status: 'queued' }
    : from
      ? { $or: [{ status: 'queued' }, { status: 'assigned', 'assignee.id': from }] }
      : { status: { $in: [...WITH_STAFF] } };

/**
 * queued|assigned → assigned to `assignee`: a reassignment, or an automatic assignment
 * (src/features/assignment/). `by` is who did it, `to` who got it. With `from`, only while that
 * member of staff holds it (an agent passing on their own conversation), or while it is queued;
 * with `from` null, only while it is queued (the automatic assignment).
 */
export function reassignToStaff(
  _id: Id,
  change: { assignee: { id: string; name: string }; by: string; at: Date; reason: string },
  from?: string | null,
): Promise<ConversationDoc | null> {
  const { assignee, by, at, reason } = change;
  const mayTake = withStaffFilter(from);
  return Conversation.findOneAndUpdate(
    { _id, ...mayTake },
    {
      $set: { status: 'assigned', assignee, 'escalation.assignedAt': at },
      $push: { statusHistory: { status: 'assigned', at, by, reason, to: assignee.id } },
    },
    { returnDocument: 'after' },
  ).lean<ConversationDoc>();
}

/**
 * queued|assigned → queued for a team: handed to a team, its assignee (if any) let go. With
 * `from`, only while that member of staff holds it, or while it is queued.
 */
export function requeueToTeam(
  _id: Id,
  change: { team: { id: string; name: string }; by: string; at: Date },
  from?: string,
): Promise<ConversationDoc | null> {
  const { team, by, at } = change;
  const mayTake = withStaffFilter(from);
  return Conversation.findOneAndUpdate(
    { _id, ...mayTake },
    {
      $set: { status: 'queued', team },
      $unset: { assignee: 1, 'escalation.assignedAt': 1 },
      $push: { statusHistory: { status: 'queued', at, by, reason: 'reassigned' } },
    },
    { returnDocument: 'after' },
  ).lean<ConversationDoc>();
}

/** The routing's choice of team for a queued conversation (nothing else changes). */
export async function routeToTeam(_id: Id, team: { id: string; name: string }): Promise<void> {
  await Conversation.updateOne({ _id, status: 'queued' }, { $set: { team } });
}

/** queued|assigned → bot: staff closed the escalation. */
export function releaseToBot(_id: Id, by: string, at: Date): Promise<ConversationDoc | null> {
  return Conversation.findOneAndUpdate(
    { _id, status: { $in: WITH_STAFF } },
    {
      $set: { status: 'bot', 'escalation.closedAt': at },
      $push: { statusHistory: { status: 'bot', at, by, reason: 'closed' } },
    },
    { returnDocument: 'after' },
  ).lean<ConversationDoc>();
}

/** queued → bot: the customer chose a callback after hours. True when it happened. */
export async function handBackForCallback(_id: Id, at: Date): Promise<boolean> {
  const res = await Conversation.updateOne(
    { _id, status: 'queued' },
    {
      $set: { status: 'bot', 'escalation.closedAt': at },
      $push: { statusHistory: { status: 'bot', at, by: 'customer', reason: 'callback' } },
    },
  );
  return res.modifiedCount === 1;
}

/**
 * A customer message while staff own the conversation: its activity (last message, sentiment)
 * and, when a staff tool relays messages, its id appended to escalation.pendingRelay. One write.
 * False when the conversation is no longer with staff.
 */
export async function recordCustomerMessage(
  _id: Id,
  activity: CustomerActivity | undefined,
  relayMessageId?: Id,
): Promise<boolean> {
  if (!relayMessageId && !activity) return true;
  const res = await Conversation.updateOne(
    { _id, status: { $in: WITH_STAFF } },
    {
      ...(relayMessageId ? { $addToSet: { 'escalation.pendingRelay': relayMessageId } } : {}),
      ...(activity ? { $set: { ...activity } } : {}),
    },
  );
  return res.matchedCount > 0;
}

/** The staff tool posted this episode's queue item (ignored if a newer episode began). */
export async function markStaffItem(
  _id: Id,
  queuedAt: Date,
  item: { channel: string; ts: string | undefined },
): Promise<void> {
  await Conversation.updateOne(
    { _id, 'escalation.queuedAt': queuedAt },
    { $set: { 'escalation.itemChannel': item.channel, 'escalation.itemTs': item.ts } },
  );
}

/** The staff tool copied this customer message into the item's thread. */
export async function markRelayed(_id: Id, messageId: Id): Promise<void> {
  await Conversation.updateOne({ _id }, { $pull: { 'escalation.pendingRelay': messageId } });
}

/**
 * Claims the SLA re-ping of a waiting conversation: true for the one instance whose write moved
 * lastPingAt from `previous` to `at`.
 */
export async function markPinged(_id: Id, previous: Date | null, at: Date): Promise<boolean> {
  const res = await Conversation.updateOne(
    { _id, status: 'queued', 'escalation.lastPingAt': previous },
    { $set: { 'escalation.lastPingAt': at } },
  );
  return res.modifiedCount === 1;
}

/** A resolved case asked the customer for a rating; the engine reads the answer until `until`. */
export async function awaitRating(_id: Id, caseId: Id, until: Date): Promise<void> {
  await Conversation.updateOne({ _id }, { $set: { awaitingRating: { caseId, until } } });
}

/** Privacy erasure: the conversation replaced by its redacted copy (built by the privacy feature). */
export async function replaceWithRedacted(_id: Id, redacted: object): Promise<void> {
  await Conversation.collection.replaceOne({ _id }, redacted);
}

/** Retention: drops the last-message preview of conversations quiet since before `cutoff`. */
export async function forgetLastTextsBefore(cutoff: Date): Promise<number> {
  const res = await Conversation.collection.updateMany(
    { lastMessageAt: { $lt: cutoff }, lastMessageText: { $exists: true } },
    { $unset: { lastMessageText: '' } },
  );
  return res.modifiedCount;
}
