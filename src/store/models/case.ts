import { Schema, model, type InferSchemaType, type Types } from 'mongoose';
import { CHANNEL_IDS } from '../../contracts/messages.js';

export const CASE_STATUSES = ['open', 'pending', 'resolved', 'closed'] as const;
export const CASE_PRIORITIES = ['low', 'normal', 'high', 'urgent'] as const;

const caseSchema = new Schema(
  {
    /** Human-facing number like CS-000042, from an atomic counter. */
    number: { type: String, required: true, unique: true },
    contactId: { type: Schema.Types.ObjectId, ref: 'Contact', index: true },
    conversationId: { type: Schema.Types.ObjectId, ref: 'Conversation', index: true },
    type: { type: String, enum: ['support', 'privacy', 'callback'], default: 'support' },
    subject: String,
    description: String,
    email: String,
    phone: String,
    preferredTime: String,
    status: { type: String, enum: CASE_STATUSES, default: 'open', index: true },
    priority: { type: String, enum: CASE_PRIORITIES, default: 'normal' },
    channel: { type: String, enum: CHANNEL_IDS },
  },
  { timestamps: true },
);

export type CaseDoc = InferSchemaType<typeof caseSchema> & { _id: Types.ObjectId };
export const Case = model('Case', caseSchema);
