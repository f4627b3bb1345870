import { Schema, model } from 'mongoose';

/**
 * Which conversation is open for a platform conversation: `_id` is the open key
 * (`<channel>:<platformConversationId>`), so "one open conversation per customer and channel" is
 * the `_id`'s uniqueness — the same on MongoDB and FerretDB, with no partial index — and the hot
 * path finds it by `_id`. Closing a conversation deletes its key; the next message opens a new one.
 */
const openConversationSchema = new Schema(
  {
    _id: { type: String },
    conversationId: { type: Schema.Types.ObjectId, ref: 'Conversation', required: true },
  },
  { timestamps: true },
);
export const OpenConversation = model('OpenConversation', openConversationSchema);
