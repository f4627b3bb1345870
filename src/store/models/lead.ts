import { Schema, model, type InferSchemaType, type Types } from 'mongoose';
import { CHANNEL_IDS } from '../../contracts/messages.js';

export const LEAD_STATUSES = ['new', 'contacted', 'qualified', 'won', 'lost'] as const;

const leadSchema = new Schema(
  {
    contactId: { type: Schema.Types.ObjectId, ref: 'Contact', index: true },
    conversationId: { type: Schema.Types.ObjectId, ref: 'Conversation' },
    name: String,
    email: { type: String, lowercase: true, trim: true, index: true },
    /** E.164 */
    phone: { type: String, index: true },
    company: String,
    interest: String,
    status: { type: String, enum: LEAD_STATUSES, default: 'new', index: true },
    score: { type: Number, default: 0 },
    /** The channel the lead came from. */
    channel: { type: String, enum: CHANNEL_IDS, required: true, index: true },
    /** The staff user (User id) working this lead; set by marketers in the workspace. */
    owner: { type: Schema.Types.ObjectId, ref: 'User' },
    notes: String,
    tags: { type: [String], default: [] },
  },
  { timestamps: true },
);

export type LeadDoc = InferSchemaType<typeof leadSchema> & { _id: Types.ObjectId };
export const Lead = model('Lead', leadSchema);
