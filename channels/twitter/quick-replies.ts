/**
 * The way back for quick replies offered as a numbered list: the last list sent to a participant is
 * kept, and an answer that is one of its numbers or titles is read as that option's payload.
 */
import { Schema, model } from 'mongoose';
import type { QuickReply } from '../../src/kernel/contracts/messages.js';

/** An offer older than this no longer explains a bare number. */
const OFFER_TTL_MS = 24 * 3600_000;

const offerSchema = new Schema(
  {
    /** The participant's X user id. */
    _id: { type: String, required: true },
    replies: {
      type: [new Schema({ title: String, payload: String }, { _id: false })],
      default: [],
    },
    offeredAt: { type: Date, required: true },
  },
  { versionKey: false },
);
export const TwitterQuickReplyOffer = model('TwitterQuickReplyOffer', offerSchema);

/** Remembers the options just sent to `participantId`; a message without options clears them. */
export async function rememberOffer(participantId: string, replies: QuickReply[] | undefined) {
  if (!replies || replies.length === 0) {
    await TwitterQuickReplyOffer.deleteOne({ _id: participantId });
    return;
  }
  await TwitterQuickReplyOffer.updateOne(
    { _id: participantId },
    { $set: { replies, offeredAt: new Date() } },
    { upsert: true },
  );
}

/** The payload the customer chose, or undefined when the text is not an answer to the offer. */
export async function resolveAnswer(
  participantId: string,
  text: string,
  now = new Date(),
): Promise<string | undefined> {
  const answer = text.trim().replace(/[.)]$/, '').trim();
  if (answer === '' || answer.length > 200) return undefined;
  const offer = await TwitterQuickReplyOffer.findById(participantId).lean();
  if (!offer || now.getTime() - offer.offeredAt.getTime() > OFFER_TTL_MS) return undefined;
  const replies = offer.replies.map((r) => ({ title: r.title ?? '', payload: r.payload ?? '' }));
  if (/^\d{1,2}$/.test(answer)) return replies[Number(answer) - 1]?.payload;
  const lower = answer.toLocaleLowerCase();
  return replies.find((r) => r.title.toLocaleLowerCase() === lower)?.payload;
}
