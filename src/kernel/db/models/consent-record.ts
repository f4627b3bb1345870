import { Schema, model, type InferSchemaType, type Types } from 'mongoose';

/**
 * One change of a contact's marketing consent: granted or withdrawn, when, on which channel,
 * the wording shown, and by whom (the customer or staff). The contact keeps the current state
 * (`marketingConsent`); these records are its history, never edited.
 */
const consentRecordSchema = new Schema(
  {
    contactId: { type: Schema.Types.ObjectId, ref: 'Contact', required: true, index: true },
    granted: { type: Boolean, required: true },
    /** A channel id (telegram, webchat…) or `console` for staff changes. */
    channel: String,
    /** Set when the change is for this one channel only (e.g. `email`); absent: every channel. */
    scope: String,
    /** The text shown to (or agreed by) the customer when consent changed. */
    wording: String,
    /** The language the wording was shown in (es | en). */
    language: String,
    by: { type: String, enum: ['customer', 'staff', 'system'], required: true },
    /** `customer`, `user:<id>`, `admin-token`, `system`. */
    actor: { type: String, required: true },
    conversationId: { type: Schema.Types.ObjectId, ref: 'Conversation' },
  },
  { timestamps: { createdAt: true, updatedAt: false } },
);

export type ConsentRecordDoc = InferSchemaType<typeof consentRecordSchema> & {
  _id: Types.ObjectId;
  createdAt: Date;
};
export const ConsentRecord = model('ConsentRecord', consentRecordSchema);
