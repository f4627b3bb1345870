/** Messages repository: inbound dedupe by platform id, outbound delivery status. */
import { Types } from 'mongoose';
import {
  CHANNEL_IDS,
  type Attachment,
  type Awaiting,
  type ChannelId,
  type QuickReply,
} from '../contracts/messages.js';
import { Message, type MessageDoc } from './models/message.js';
import { allDuplicates, isDuplicateKeyError } from './errors.js';
import { leanById } from './by-id.js';
import { searchTerms } from '../search-terms.js';

/** The search terms a message is stored with: customers' and staff's texts only. */
export function messageTerms(author: string, text: string): { terms?: string[] } {
  return author === 'customer' || author === 'staff' ? { terms: searchTerms(text) } : {};
}

export interface InboundRecord {
  /** Chosen by ingest when it indexed the message before storing it; else generated here. */
  _id?: Types.ObjectId;
  conversationId: Types.ObjectId;
  contactId: Types.ObjectId;
  channel: ChannelId;
  platformMessageId: string;
  text: string;
  attachments?: Attachment[];
}

/** An attachment as the schema keeps it (known fields only, as mongoose's cast would). */
function storedAttachment(a: Attachment): Attachment {
  const out: Record<string, unknown> = {};
  for (const k of ATTACHMENT_FIELDS) if (a[k] !== undefined && a[k] !== null) out[k] = a[k];
  return out as unknown as Attachment;
}
const ATTACHMENT_FIELDS = [
  'kind',
  'url',
  'mimeType',
  'name',
  'platformId',
  'latitude',
  'longitude',
  'contactName',
  'contactPhone',
] as const satisfies ReadonlyArray<keyof Attachment>;

/**
 * Stores an inbound message once; a redelivery returns the first copy with `duplicate: true`.
 * Hot path: one native `insertOne` of the complete document (the fields, defaults and timestamps
 * `Message.create` would write) instead of a hydrated mongoose document and its validation.
 */
export async function storeInbound(
  rec: InboundRecord,
): Promise<{ message: MessageDoc; duplicate: boolean }> {
  if (!(CHANNEL_IDS as readonly string[]).includes(rec.channel)) {
    throw new Error(`unknown channel ${rec.channel}`);
  }
  const dedupeKey = `${rec.channel}:${rec.platformMessageId}`;
  const at = new Date();
  const doc = {
    _id: rec._id ?? new Types.ObjectId(),
    conversationId: rec.conversationId,
    contactId: rec.contactId,
    channel: rec.channel,
    direction: 'in' as const,
    author: 'customer' as const,
    text: rec.text,
    terms: searchTerms(rec.text),
    ...(rec.attachments ? { attachments: rec.attachments.map(storedAttachment) } : {}),
    internal: false,
    platformMessageId: rec.platformMessageId,
    dedupeKey,
    status: 'received' as const,
    attempts: 0,
    createdAt: at,
    updatedAt: at,
    __v: 0,
  };
  try {
    await Message.collection.insertOne(doc);
    return { message: doc as unknown as MessageDoc, duplicate: false };
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

/** Outbound messages as stored by `storeReplies` (all fields a delivery needs). */
export interface ReplyRecord {
  _id: Types.ObjectId;
  text: string;
  quickReplies?: QuickReply[];
  awaiting?: Awaiting;
}

/**
 * Stores a batch of outbound messages (status pending) in one `insertMany`. With given `_id`s
 * (a turn's deterministic reply ids) storing the same batch again is a no-op: duplicates are
 * ignored, so a replayed turn never writes a reply twice.
 */
export async function storeReplies(
  base: Omit<OutboundRecord, 'text' | 'quickReplies' | 'awaiting'> & { replyTo?: Types.ObjectId },
  replies: ReplyRecord[],
): Promise<MessageDoc[]> {
  if (replies.length === 0) return [];
  const at = new Date();
  const docs = replies.map(
    (r) =>
      ({
        ...base,
        _id: r._id,
        text: r.text,
        ...messageTerms(base.author, r.text),
        ...(r.quickReplies?.length ? { quickReplies: r.quickReplies } : {}),
        ...(r.awaiting ? { awaiting: r.awaiting } : {}),
        direction: 'out',
        dedupeKey: `out:${r._id.toHexString()}`,
        status: 'pending',
        attempts: 0,
        internal: false,
        createdAt: at,
        updatedAt: at,
      }) as unknown as MessageDoc,
  );
  try {
    // The documents are complete here: the native insert, no hydration, validation or cast.
    await Message.collection.insertMany(docs as unknown as Array<Record<string, unknown>>, {
      ordered: false,
    });
  } catch (err) {
    if (!allDuplicates(err)) throw err;
  }
  return docs;
}

export type MessageUpdate = Partial<
  Pick<
    MessageDoc,
    | 'status'
    | 'error'
    | 'platformMessageId'
    | 'nlu'
    | 'attempts'
    | 'contactId'
    | 'sentiment'
    | 'answerTo'
    | 'clarified'
  >
>;

/**
 * The `$set` of a message update as mongoose would cast it: undefined fields left out (the
 * driver would write them as null), ids as ObjectIds, `platformMessageId` as a string, and the
 * `updatedAt` timestamp.
 */
function setOf(update: MessageUpdate): Record<string, unknown> {
  const set: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(update)) if (v !== undefined) set[k] = v;
  if (set.platformMessageId !== undefined && set.platformMessageId !== null) {
    set.platformMessageId = String(set.platformMessageId);
  }
  if (typeof set.contactId === 'string') set.contactId = new Types.ObjectId(set.contactId);
  if (update.nlu) {
    const { intent, confidence, language } = update.nlu;
    set.nlu = {
      intent: intent ?? null,
      ...(confidence !== undefined ? { confidence } : {}),
      ...(language !== undefined ? { language } : {}),
    };
  }
  set.updatedAt = new Date();
  return set;
}

const objectId = (id: Types.ObjectId | string) =>
  typeof id === 'string' ? new Types.ObjectId(id) : id;

/**
 * Several messages' updates in one round trip (one `update` command with a statement each),
 * through the native collection: the delivery's hot path pays no mongoose casting.
 */
export async function markMessages(
  updates: Array<{ id: Types.ObjectId | string; set: MessageUpdate }>,
): Promise<void> {
  if (updates.length === 0) return;
  if (updates.length === 1) {
    await markMessage(updates[0]!.id, updates[0]!.set);
    return;
  }
  await Message.collection.bulkWrite(
    updates.map((u) => ({
      updateOne: { filter: { _id: objectId(u.id) }, update: { $set: setOf(u.set) } },
    })),
    { ordered: true },
  );
}

export async function storeOutbound(rec: OutboundRecord): Promise<MessageDoc> {
  const _id = new Types.ObjectId();
  const doc = await Message.create({
    ...rec,
    ...messageTerms(rec.author, rec.text),
    _id,
    direction: 'out',
    dedupeKey: `out:${_id.toHexString()}`,
    status: 'pending',
  });
  return doc.toObject() as MessageDoc;
}

export async function findMessage(id: string | Types.ObjectId): Promise<MessageDoc | null> {
  return leanById<MessageDoc>(Message, id);
}

export async function listConversationMessages(
  conversationId: Types.ObjectId | string,
  opts: { includeInternal?: boolean } = {},
): Promise<MessageDoc[]> {
  const filter: Record<string, unknown> = { conversationId };
  if (!opts.includeInternal) filter.internal = { $ne: true };
  return Message.find(filter).sort({ createdAt: 1, _id: 1 }).lean<MessageDoc[]>();
}

/**
 * Sets fields of one message. With `whileStatus`, only while the message still has that status:
 * a delivery attempt that ends after a bounce marked the message failed must not overwrite it.
 */
export async function markMessage(
  id: Types.ObjectId | string,
  update: MessageUpdate,
  whileStatus?: string,
): Promise<void> {
  const filter = { _id: objectId(id), ...(whileStatus ? { status: whileStatus } : {}) };
  await Message.collection.updateOne(filter, { $set: setOf(update) });
}

/** Messages by id, in the order of `ids` (missing ones left out). */
export async function findMessages(ids: Types.ObjectId[]): Promise<MessageDoc[]> {
  const docs = await Message.find({ _id: { $in: ids } }).lean<MessageDoc[]>();
  const byId = new Map(docs.map((d) => [d._id.toHexString(), d]));
  return ids.map((id) => byId.get(id.toHexString())).filter((d): d is MessageDoc => !!d);
}

/** Moves an inbound message to another conversation (ingest's rerouting after a close). */
export async function moveInbound(
  id: Types.ObjectId,
  conversationId: Types.ObjectId,
  contactId: Types.ObjectId,
): Promise<void> {
  await Message.updateOne({ _id: id }, { $set: { conversationId, contactId } });
}
