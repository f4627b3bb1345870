import { Schema, model, type InferSchemaType, type Types } from 'mongoose';
import { CHANNEL_IDS, CASE_STATUSES, CASE_PRIORITIES, CASE_TYPES } from '../../vocabulary.js';
import { searchable, termsOf } from './searchable.js';
export { CASE_STATUSES, CASE_PRIORITIES };

/** An internal note on a case (staff only, never sent). */
const caseNoteSchema = new Schema(
  { text: { type: String, required: true }, by: { id: String, name: String }, at: Date },
  { _id: true },
);

/** What happened to a case, oldest first: edits, notes, SLA breaches, the customer told, CSAT. */
const caseEventSchema = new Schema(
  {
    at: { type: Date, required: true },
    kind: { type: String, required: true },
    by: { id: String, name: String },
    from: String,
    to: String,
  },
  { _id: false },
);

const caseSchema = new Schema(
  {
    /** Human-facing number like CS-000042, from an atomic counter. */
    number: { type: String, required: true, unique: true },
    contactId: { type: Schema.Types.ObjectId, ref: 'Contact', index: true },
    conversationId: { type: Schema.Types.ObjectId, ref: 'Conversation', index: true },
    type: { type: String, enum: CASE_TYPES, default: 'support' },
    subject: String,
    description: String,
    email: String,
    phone: String,
    preferredTime: String,
    status: { type: String, enum: CASE_STATUSES, default: 'open', index: true },
    priority: { type: String, enum: CASE_PRIORITIES, default: 'normal' },
    channel: { type: String, enum: CHANNEL_IDS },
    /** The staff user working the case (`id` = User id). */
    assignee: { type: new Schema({ id: String, name: String }, { _id: false }), default: null },
    /** SLA deadlines (src/kernel/time/sla.ts), set when the case opens and when its priority changes. */
    firstResponseDueAt: Date,
    firstResponseRiskAt: Date,
    resolutionDueAt: Date,
    resolutionRiskAt: Date,
    /** First staff reply on the case's conversation, or the resolution if that came first. */
    firstRespondedAt: Date,
    resolvedAt: Date,
    /** SLA kinds already alerted to staff (first_response, resolution): one alert each. */
    slaAlerts: { type: [String], default: [] },
    notes: { type: [caseNoteSchema], default: [] },
    timeline: { type: [caseEventSchema], default: [] },
    /** Customer satisfaction: asked when resolved, answered 1–5 on the customer's channel. */
    csat: {
      type: new Schema(
        { rating: Number, at: Date, requestedAt: Date, messageId: Schema.Types.ObjectId },
        { _id: false },
      ),
      default: undefined,
    },
  },
  { timestamps: true },
);

/** Found by subject and description (the number is matched exactly; issue 19.7). */
searchable(caseSchema, {
  fields: ['subject', 'description'],
  terms: (d) => termsOf(d, ['subject', 'description']),
});

export type CaseDoc = InferSchemaType<typeof caseSchema> & { _id: Types.ObjectId };
export const Case = model('Case', caseSchema);
