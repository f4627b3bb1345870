/** Messages repository: inbound dedupe by platform id, outbound delivery status. */
import { Types } from 'mongoose';
import type { Attachment, Awaiting, ChannelId, QuickReply } from '../contracts/messages.js';
import { Message, type MessageDoc } from './models/message.js';
import { isDuplicateKeyError } from './errors.js';

export interface InboundRecord {
  conversationId: Types.ObjectId;
  contactId: Types.ObjectId;
  channel: ChannelId;
  platformMessageId: string;
  text: string;
  attachments?: Attachment[];
}

/** Stores an inbound message once; a redelivery returns the first copy with `duplicate: true`. */
export async function storeInbound(
  rec: InboundRecord,
): Promise<{ message: MessageDoc; duplicate: boolean }> {
  const dedupeKey = `${rec.channel}:${rec.platformMessageId}`;
  try {
    const doc = await Message.create({
      ...rec,
      direction: 'in',
      author: 'customer',
      dedupeKey,
      status: 'received',
    });
    return { message: doc.toObject() as MessageDoc, duplicate: false };
  } catch (err) {
    if (!isDuplicateKeyError(err)) throw err;
    const first = await Message.findOne({ dedupeKey }).lean<MessageDoc>();
    if (!first) throw err;
    return { message: first, duplicate: true };
  }
}

export interface OutboundRecord {
  conversationId: Types.ObjectId;
  contactId: Types.ObjectId;
  channel: ChannelId;
  author: 'bot' | 'staff' | 'system';
  text: string;
  quickReplies?: QuickReply[];
  awaiting?: Awaiting;
  staff?: { id: string; name?: string };
}

export async function storeOutbound(rec: OutboundRecord): Promise<MessageDoc> {
  const _id = new Types.ObjectId();
  const doc = await Message.create({
    ...rec,
    _id,
    direction: 'out',
    dedupeKey: `out:${_id.toHexString()}`,
    status: 'pending',
  });
  return doc.toObject() as MessageDoc;
}

export async function findMessage(id: string | Types.ObjectId): Promise<MessageDoc | null> {
  return Message.findById(id).lean<MessageDoc>();
}

export async function listConversationMessages(
  conversationId: Types.ObjectId | string,
  opts: { includeInternal?: boolean } = {},
): Promise<MessageDoc[]> {
  const filter: Record<string, unknown> = { conversationId };
  if (!opts.includeInternal) filter.internal = { $ne: true };
  return Message.find(filter).sort({ createdAt: 1, _id: 1 }).lean<MessageDoc[]>();
}

export async function markMessage(
  id: Types.ObjectId | string,
  update: Partial<Pick<MessageDoc, 'status' | 'error' | 'platformMessageId' | 'nlu' | 'attempts'>>,
): Promise<void> {
  await Message.updateOne({ _id: id }, { $set: update });
}
