import { Schema, model, type InferSchemaType, type Types } from 'mongoose';
import { CHANNEL_IDS, LEAD_STATUSES } from '../../vocabulary.js';
import { searchable, termsOf } from './searchable.js';
export { LEAD_STATUSES };

const scoreReasonSchema = new Schema(
  {
    rule: { type: String, required: true },
    points: { type: Number, required: true },
    label: { es: String, en: String },
  },
  { _id: false },
);

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
    score: { type: Number, default: 0, index: true },
    /** Why the lead has its score: the matching rules of the scoring rules (src/features/leads/scoring/). */
    scoreReasons: { type: [scoreReasonSchema], default: [] },
    /** When and with which rules version the score was computed. */
    scoredAt: Date,
    scoreRulesVersion: Number,
    /**
     * Facts copied from the contact and its conversations by the scoring job
     * (src/features/leads/scoring/refresh.ts), so segments, scoring and the CSV export read the lead alone.
     */
    language: { type: String, enum: ['es', 'en'] },
    marketingConsent: { type: Boolean, default: false },
    intentsSeen: { type: [String], default: [] },
    /** The contact's last message seen by the scoring job. */
    lastContactAt: Date,
    /** The contact's first message more than an hour after the lead was created. */
    returnedAt: Date,
    /** The channel the lead came from. */
    channel: { type: String, enum: CHANNEL_IDS, required: true, index: true },
    /** The staff user (User id) working this lead; set by marketers in the workspace. */
    owner: { type: Schema.Types.ObjectId, ref: 'User' },
    notes: String,
    /** What a won lead was worth, in BASE_CURRENCY (set by staff). */
    amount: Number,
    tags: { type: [String], default: [] },
    /**
     * Likelihood to be won, from the propensity model trained on this install's won/lost leads
     * (src/features/propensity/), with the lead's strongest factors; unset while there is too
     * little history (the rule score is the guide then).
     */
    propensity: {
      type: new Schema(
        {
          p: Number,
          factors: { type: [{ feature: String, weight: Number, _id: false }], default: [] },
          at: Date,
        },
        { _id: false },
      ),
      default: undefined,
    },
  },
  { timestamps: true },
);

/** Found by name, email, phone, company and interest (issue 19.7). */
searchable(leadSchema, {
  fields: ['name', 'email', 'phone', 'company', 'interest'],
  terms: (d) => termsOf(d, ['name', 'email', 'company', 'interest'], ['phone']),
});

export type LeadDoc = InferSchemaType<typeof leadSchema> & { _id: Types.ObjectId };
export const Lead = model('Lead', leadSchema);
