/**
 * The inbox's views (mine, unassigned, all open, closed; each by channel) and their counts, and
 * each staff member's "seen up to" marks behind the unread markers.
 *
 * Counts are one aggregation over the open conversations (status bot, queued or assigned; the
 * status index), grouped by status, channel and assignee with `$sum` only — what FerretDB and
 * MongoDB both run; closed conversations are not counted (their number only grows: the closed
 * view shows its total when opened). Unread: a conversation with staff (queued or assigned) whose
 * customer wrote after this member of staff last opened it (or that they never opened); the
 * bot's own conversations ask nobody's attention.
 */
import { Schema, model, type Types } from 'mongoose';
import { ACCESS, actorLabel, type Actor } from '../../kernel/roles.js';
import { Conversation, type ConversationDoc } from '../../kernel/db/models/conversation.js';
import { CHANNEL_IDS, type ChannelId } from '../../kernel/vocabulary.js';
import type { InboxCounts, InboxView } from './schemas.js';

const seenSchema = new Schema(
  {
    /** `<staff id>:<conversation id>`: one mark per person and conversation. */
    _id: { type: String, required: true },
    staffId: { type: String, required: true },
    conversationId: { type: Schema.Types.ObjectId, required: true },
    at: { type: Date, required: true },
  },
  { versionKey: false },
);
seenSchema.index({ staffId: 1, conversationId: 1 });
export const ConversationSeen = model('ConversationSeen', seenSchema, 'conversation_seen');

const OPEN_STATUSES = ['bot', 'queued', 'assigned'] as const;
const WITH_STAFF = new Set(['queued', 'assigned']);
/** Mine ids handed to the console for its alerts, at most. */
const MAX_MINE_IDS = 500;

/** Whether this actor can own conversations (and so has a "mine" view). */
export function hasMine(actor: Actor): boolean {
  return (
    actor.role === 'admin' || (ACCESS.conversations.write as readonly string[]).includes(actor.role)
  );
}

/** The filter of a view for this actor (null: all). */
export function viewFilter(view: InboxView | undefined, actor: Actor): Record<string, unknown> {
  switch (view) {
    case 'mine':
      return { status: 'assigned', 'assignee.id': actorLabel(actor) };
    case 'unassigned':
      return { status: 'queued' };
    case 'open':
      return { status: { $in: [...OPEN_STATUSES] } };
    case 'closed':
      return { status: 'closed' };
    default:
      return {};
  }
}

/** Waiting first: the unassigned view runs longest-waiting first; the others newest activity. */
export function viewSort(view: InboxView | undefined): Record<string, 1 | -1> {
  return view === 'unassigned'
    ? { 'escalation.queuedAt': 1, _id: 1 }
    : { lastMessageAt: -1, _id: -1 };
}

export async function markSeen(actor: Actor, conversationId: Types.ObjectId): Promise<void> {
  const staffId = actorLabel(actor);
  await ConversationSeen.updateOne(
    { _id: `${staffId}:${conversationId.toHexString()}` },
    { $set: { staffId, conversationId, at: new Date() } },
    { upsert: true },
  );
}

/** Which of these conversations have customer messages this actor has not seen. */
export async function unreadOf(
  actor: Actor,
  docs: Pick<ConversationDoc, '_id' | 'status' | 'lastMessageAt'>[],
): Promise<Set<string>> {
  const candidates = docs.filter((d) => WITH_STAFF.has(d.status) && d.lastMessageAt);
  if (candidates.length === 0) return new Set();
  const marks = await ConversationSeen.find(
    { staffId: actorLabel(actor), conversationId: { $in: candidates.map((d) => d._id) } },
    { conversationId: 1, at: 1 },
  ).lean<{ conversationId: Types.ObjectId; at: Date }[]>();
  const seen = new Map(marks.map((m) => [m.conversationId.toHexString(), m.at.getTime()]));
  return new Set(
    candidates
      .filter((d) => new Date(d.lastMessageAt!).getTime() > (seen.get(d._id.toHexString()) ?? 0))
      .map((d) => d._id.toHexString()),
  );
}

interface Group {
  _id: { status: string; channel: string; assignee?: string | null; team?: string | null };
  n: number;
}

/** The counts of every view for this actor: one aggregation, plus their own conversations. */
export async function inboxCounts(actor: Actor): Promise<InboxCounts> {
  const groups = await Conversation.aggregate<Group>([
    { $match: { status: { $in: [...OPEN_STATUSES] }, channel: { $ne: 'studio' } } },
    {
      $group: {
        _id: {
          status: '$status',
          channel: '$channel',
          assignee: '$assignee.id',
          team: '$team.id',
        },
        n: { $sum: 1 },
      },
    },
  ]);
  const me = actorLabel(actor);
  const channels = Object.fromEntries(
    CHANNEL_IDS.filter((c) => c !== 'studio').map((c) => [c, 0]),
  ) as Record<Exclude<ChannelId, 'studio'>, number>;
  const counts = { mine: 0, unassigned: 0, open: 0 };
  const teams: Record<string, number> = {};
  for (const g of groups) {
    counts.open += g.n;
    if (g._id.team && WITH_STAFF.has(g._id.status)) {
      teams[g._id.team] = (teams[g._id.team] ?? 0) + g.n;
    }
    if (g._id.channel in channels) channels[g._id.channel as keyof typeof channels] += g.n;
    if (g._id.status === 'queued') counts.unassigned += g.n;
    if (g._id.status === 'assigned' && g._id.assignee === me) counts.mine += g.n;
  }
  if (!hasMine(actor)) {
    return { ...counts, mine: null, mineUnread: null, mineIds: [], channels, teams };
  }
  const mine = await Conversation.find(viewFilter('mine', actor), {
    _id: 1,
    status: 1,
    lastMessageAt: 1,
  })
    .sort({ lastMessageAt: -1 })
    .limit(MAX_MINE_IDS)
    .lean<Pick<ConversationDoc, '_id' | 'status' | 'lastMessageAt'>[]>();
  const unread = await unreadOf(actor, mine);
  return {
    ...counts,
    mineUnread: unread.size,
    mineIds: mine.map((d) => d._id.toHexString()),
    channels,
    teams,
  };
}
