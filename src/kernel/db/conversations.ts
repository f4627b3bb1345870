/**
 * Conversations repository: exactly one open conversation per (channel, platform conversation),
 * held by a unique open key (models/open-conversation.ts), even when first messages race.
 */
import { Types } from 'mongoose';
import type { ChannelId, Locale } from '../contracts/messages.js';
import { Conversation, type ConversationDoc } from './models/conversation.js';
import { OpenConversation } from './models/open-conversation.js';
import { Setting } from './models/setting.js';
import { isDuplicateKeyError } from './errors.js';
import { leanById } from './by-id.js';

export interface OpenConversationInput {
  channel: ChannelId;
  platformConversationId: string;
  platformUserId: string;
  contactId: Types.ObjectId;
  locale?: Locale;
  replyContext?: Record<string, string>;
}

function sameContext(stored: unknown, next: Record<string, string>): boolean {
  if (typeof stored !== 'object' || stored === null) return false;
  const a = stored as Record<string, unknown>;
  const keys = Object.keys(next);
  return keys.length === Object.keys(a).length && keys.every((k) => a[k] === next[k]);
}

/** The `_id` of a platform conversation's open-key document (see models/open-conversation.ts). */
export const openKeyOf = (channel: ChannelId, platformConversationId: string): string =>
  `${channel}:${platformConversationId}`;

/** How often a lost race (key taken, or released under us) is retried before giving up. */
const OPEN_ATTEMPTS = 5;

/**
 * The conversation that is open for this platform conversation, or a new one. Race-safe: the open
 * key is claimed first by inserting it with the new conversation's id (its `_id` is unique, so one
 * of several concurrent first messages wins and the others read the winner's key), and only then
 * is the conversation written, by that id, so a claimer that crashed in between is completed by
 * the next message instead of leaving a second conversation. Both reads are by `_id`.
 */
export async function openConversation(input: OpenConversationInput): Promise<ConversationDoc> {
  const key = openKeyOf(input.channel, input.platformConversationId);
  for (let attempt = 0; attempt < OPEN_ATTEMPTS; attempt++) {
    const claimed = await OpenConversation.findById(key).lean<{ conversationId: Types.ObjectId }>();
    if (!claimed) {
      const conversationId = new Types.ObjectId();
      try {
        await OpenConversation.create({ _id: key, conversationId });
      } catch (err) {
        if (isDuplicateKeyError(err)) continue; // another first message won: use theirs
        throw err;
      }
      return createConversation(conversationId, input);
    }
    const found = await Conversation.findById(claimed.conversationId).lean<ConversationDoc>();
    if (!found) return createConversation(claimed.conversationId, input);
    if (found.status !== 'closed') return withReplyContext(found, input.replyContext);
    // Closed, but the close did not get to release the key: release it and open a new one.
    await releaseOpenKey(key, found._id);
  }
  throw new Error(`could not open a conversation for ${key}`);
}

/** Writes the conversation whose open key was claimed; a concurrent writer of the same id wins. */
async function createConversation(
  _id: Types.ObjectId,
  input: OpenConversationInput,
): Promise<ConversationDoc> {
  try {
    const created = await Conversation.create({
      _id,
      channel: input.channel,
      platformConversationId: input.platformConversationId,
      platformUserId: input.platformUserId,
      contactId: input.contactId,
      locale: input.locale,
      replyContext: input.replyContext,
      status: 'bot',
      statusHistory: [{ status: 'bot', at: new Date() }],
    });
    return created.toObject() as ConversationDoc;
  } catch (err) {
    if (!isDuplicateKeyError(err)) throw err;
    const again = await Conversation.findById(_id).lean<ConversationDoc>();
    if (!again) throw err;
    return again;
  }
}

async function withReplyContext(
  found: ConversationDoc,
  replyContext: Record<string, string> | undefined,
): Promise<ConversationDoc> {
  // Written only when it changed: a write per message would cost a round trip and, on FerretDB,
  // could undo a concurrent engine update of the same conversation.
  if (replyContext && !sameContext(found.replyContext, replyContext)) {
    await Conversation.updateOne({ _id: found._id }, { $set: { replyContext } });
  }
  return found;
}

/** Deletes the open key only while it still points at `conversationId`. */
async function releaseOpenKey(key: string, conversationId: Types.ObjectId): Promise<void> {
  await OpenConversation.deleteOne({ _id: key, conversationId });
}

/**
 * Closes a conversation for good: status `closed`, then its open key released, so the customer's
 * next message opens a new conversation. Call it under the conversation lock. A crash between the
 * two writes is repaired by the next message (openConversation releases a closed conversation's
 * key). Returns false when there was no such open conversation.
 */
export async function closeConversation(
  id: Types.ObjectId,
  by: { by?: string; reason?: string } = {},
): Promise<boolean> {
  const at = new Date();
  const closed = await Conversation.findOneAndUpdate(
    { _id: id, status: { $ne: 'closed' } },
    {
      $set: { status: 'closed', 'escalation.closedAt': at },
      $push: { statusHistory: { status: 'closed', at, ...by } },
    },
    { returnDocument: 'after' },
  ).lean<ConversationDoc>();
  if (!closed) return false;
  await releaseOpenKey(openKeyOf(closed.channel as ChannelId, closed.platformConversationId), id);
  return true;
}

/**
 * Gives conversations opened before open keys existed their key (newest wins when several are
 * open for one platform conversation, as the old lookup chose). Runs once per database; safe to
 * run concurrently (keys are inserted by `_id`).
 */
export async function backfillOpenConversationKeys(): Promise<number> {
  const MARK = 'migration:open-conversation-keys';
  if (await Setting.exists({ _id: MARK })) return 0;
  const open = await Conversation.find(
    { status: { $ne: 'closed' } },
    { _id: 1, channel: 1, platformConversationId: 1 },
  )
    .sort({ createdAt: -1, _id: -1 })
    .lean<Array<Pick<ConversationDoc, '_id' | 'channel' | 'platformConversationId'>>>();
  let added = 0;
  for (const c of open) {
    const key = openKeyOf(c.channel as ChannelId, c.platformConversationId);
    try {
      await OpenConversation.create({ _id: key, conversationId: c._id });
      added++;
    } catch (err) {
      if (!isDuplicateKeyError(err)) throw err;
    }
  }
  await Setting.updateOne(
    { _id: MARK },
    { $setOnInsert: { value: { doneAt: new Date(), added } } },
    { upsert: true },
  ).catch((err: unknown) => {
    if (!isDuplicateKeyError(err)) throw err;
  });
  return added;
}

export async function findConversation(
  id: string | Types.ObjectId,
): Promise<ConversationDoc | null> {
  if (typeof id === 'string' && !Types.ObjectId.isValid(id)) return null;
  return leanById<ConversationDoc>(Conversation, id);
}
