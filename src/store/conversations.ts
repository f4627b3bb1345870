/** Conversations repository: the open conversation per (channel, platform conversation). */
import { Types } from 'mongoose';
import type { ChannelId, Locale } from '../contracts/messages.js';
import { Conversation, type ConversationDoc } from './models/conversation.js';
import { isDuplicateKeyError } from './errors.js';

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

/** Finds the conversation that is not closed for this platform conversation, or starts one. */
export async function openConversation(input: OpenConversationInput): Promise<ConversationDoc> {
  const filter = {
    channel: input.channel,
    platformConversationId: input.platformConversationId,
    status: { $ne: 'closed' as const },
  };
  const found = await Conversation.findOne(filter).sort({ createdAt: -1 }).lean<ConversationDoc>();
  if (found) {
    // Written only when it changed: a write per message would cost a round trip and, on FerretDB,
    // could undo a concurrent engine update of the same conversation.
    if (input.replyContext && !sameContext(found.replyContext, input.replyContext)) {
      await Conversation.updateOne(
        { _id: found._id },
        { $set: { replyContext: input.replyContext } },
      );
    }
    return found;
  }
  try {
    const created = await Conversation.create({
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
    const again = await Conversation.findOne(filter).lean<ConversationDoc>();
    if (!again) throw err;
    return again;
  }
}

export async function findConversation(
  id: string | Types.ObjectId,
): Promise<ConversationDoc | null> {
  if (typeof id === 'string' && !Types.ObjectId.isValid(id)) return null;
  return Conversation.findById(id).lean<ConversationDoc>();
}
