import { Schema, model, type InferSchemaType } from 'mongoose';

/**
 * A web chat visitor's session. The bearer token itself is never stored: only its SHA-256, so a
 * database leak does not let anyone read or write a visitor's conversation.
 */
const webchatSessionSchema = new Schema(
  {
    /** The session id: every lookup is by `_id` (FerretDB scans any other filter). */
    _id: { type: String },
    /** 128 random bits and a MAC (session-codec.ts); also the platform user/conversation id. */
    sessionId: { type: String, required: true, unique: true },
    /** Hex SHA-256 of the 32-byte random bearer token. */
    tokenHash: { type: String, required: true },
    /** The conversation opened with the session; later ones are found by platform id. */
    conversationId: { type: Schema.Types.ObjectId, ref: 'Conversation', required: true },
    contactId: { type: Schema.Types.ObjectId, ref: 'Contact', required: true },
    locale: { type: String, enum: ['es', 'en'] },
  },
  { timestamps: { createdAt: true, updatedAt: false } },
);

export type WebchatSessionDoc = InferSchemaType<typeof webchatSessionSchema> & {
  _id: string;
  createdAt: Date;
};
export const WebchatSession = model('WebchatSession', webchatSessionSchema);
