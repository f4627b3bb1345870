/**
 * What the email channel keeps beside the messages: attachment bytes and original mails
 * (EmailBlob, keyed by their SHA-256, so a redelivered mail stores nothing new), and mail it
 * recorded without answering — auto-replies, bounces, lists, loops — with its authentication
 * results (MailEvent).
 */
import { createHash } from 'node:crypto';
import { Schema, model, type Types } from 'mongoose';

const blobSchema = new Schema(
  {
    _id: { type: String, required: true },
    contentType: String,
    name: String,
    size: Number,
    data: { type: Buffer, required: true },
  },
  { timestamps: { createdAt: true, updatedAt: false } },
);
export const EmailBlob = model('EmailBlob', blobSchema);

/** Stores bytes once; returns the id a Message attachment names (`email-blob:<sha256>`). */
export async function storeBlob(data: Buffer, contentType: string, name: string): Promise<string> {
  const id = createHash('sha256').update(data).digest('hex');
  await EmailBlob.updateOne(
    { _id: id },
    { $setOnInsert: { contentType, name, size: data.length, data } },
    { upsert: true },
  );
  return `email-blob:${id}`;
}

export const MAIL_EVENT_KINDS = ['auto-reply', 'bounce', 'list', 'loop'] as const;
export type MailEventKind = (typeof MAIL_EVENT_KINDS)[number];

const mailEventSchema = new Schema(
  {
    /** The mail's Message-ID (or content hash): one event per mail, whatever redelivers it. */
    _id: { type: String, required: true },
    kind: { type: String, enum: MAIL_EVENT_KINDS, required: true },
    from: String,
    subject: String,
    reason: String,
    /** The conversation it belongs to, when its thread is known. */
    conversationId: { type: Schema.Types.ObjectId, default: undefined },
    /** Our outbound message a bounce reports failed. */
    bouncedMessageId: { type: Schema.Types.ObjectId, default: undefined },
    auth: { spf: String, dkim: String, dmarc: String },
  },
  { timestamps: { createdAt: true, updatedAt: false } },
);
export const MailEvent = model('MailEvent', mailEventSchema);

export interface MailEventRecord {
  id: string;
  kind: MailEventKind;
  from?: string;
  subject?: string;
  reason?: string;
  conversationId?: Types.ObjectId;
  bouncedMessageId?: Types.ObjectId;
  auth?: { spf: string; dkim: string; dmarc: string };
}

export async function recordMailEvent(e: MailEventRecord): Promise<void> {
  const { id, ...rest } = e;
  await MailEvent.updateOne({ _id: id }, { $setOnInsert: rest }, { upsert: true });
}
