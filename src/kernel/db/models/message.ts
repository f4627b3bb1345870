import { Schema, model, type InferSchemaType, type Types } from 'mongoose';
import { ANSWER_KINDS, CHANNEL_IDS, MESSAGE_STATUSES } from '../../vocabulary.js';
export { MESSAGE_STATUSES };

const attachmentSchema = new Schema(
  {
    kind: { type: String, required: true },
    url: String,
    mimeType: String,
    name: String,
    platformId: String,
    latitude: Number,
    longitude: Number,
    contactName: String,
    contactPhone: String,
  },
  { _id: false },
);

const messageSchema = new Schema(
  {
    conversationId: { type: Schema.Types.ObjectId, ref: 'Conversation', required: true },
    contactId: { type: Schema.Types.ObjectId, ref: 'Contact', required: true },
    channel: { type: String, enum: CHANNEL_IDS, required: true },
    direction: { type: String, enum: ['in', 'out'], required: true },
    /** customer | bot | staff | system */
    author: { type: String, enum: ['customer', 'bot', 'staff', 'system'], required: true },
    text: { type: String, default: '' },
    attachments: { type: [attachmentSchema], default: undefined },
    quickReplies: {
      type: [new Schema({ title: String, payload: String }, { _id: false })],
      default: undefined,
    },
    awaiting: {
      type: new Schema({ flow: String, slot: String }, { _id: false }),
      default: undefined,
    },
    /** A bot reply: the inbound message whose turn wrote it (its `_id` derives from that id). */
    replyTo: { type: Schema.Types.ObjectId, default: undefined },
    /** Staff-only note: never sent to the customer. */
    internal: { type: Boolean, default: false },
    platformMessageId: String,
    /**
     * Idempotency key, unique: `${channel}:${platformMessageId}` inbound, `out:${_id}` outbound.
     * A plain unique index (not partial/sparse) so it works on MongoDB and FerretDB alike.
     */
    dedupeKey: { type: String, required: true, unique: true },
    status: { type: String, enum: MESSAGE_STATUSES, required: true },
    error: String,
    attempts: { type: Number, default: 0 },
    nlu: {
      type: new Schema(
        { intent: { type: String, default: null }, confidence: Number, language: String },
        { _id: false },
      ),
      default: undefined,
    },
    staff: { id: String, name: String },
    /**
     * An inbound message that answered the bot (a slot, a rating, a button, a clarifying
     * question) rather than asking something: set by its turn, read by "what the bot missed".
     */
    answerTo: { type: String, enum: ANSWER_KINDS, default: undefined },
    /**
     * An answer to a clarifying question (answerTo = clarification): the message the bot asked
     * about (`of`) and the intent the customer picked (null: "something else"). The studio lists
     * the picks as training phrases to add; analytics counts the asked message as understood
     * only when an intent was picked.
     */
    clarified: {
      type: new Schema(
        { of: Schema.Types.ObjectId, intent: { type: String, default: null } },
        { _id: false },
      ),
      default: undefined,
    },
    /** A customer message's polarity in [-1, 1] (src/pipeline/insight/sentiment.ts); absent = no words. */
    sentiment: { type: Number, default: undefined },
    /**
     * Search terms of a customer's or staff member's text (src/kernel/search-terms.ts), written
     * with the message; bot and system texts are not searchable. Cleared by erase and retention.
     */
    terms: { type: [String], default: undefined },
  },
  { timestamps: true },
);
messageSchema.index({ conversationId: 1, createdAt: 1 });
messageSchema.index({ status: 1, direction: 1 });
/** Search (src/features/search): FerretDB serves `{terms: t}` from it, MongoDB as multikey. */
messageSchema.index({ terms: 1 });

export type MessageDoc = InferSchemaType<typeof messageSchema> & {
  _id: Types.ObjectId;
  createdAt: Date;
  updatedAt: Date;
};
export const Message = model('Message', messageSchema);
