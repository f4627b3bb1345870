/**
 * A sequence (its trigger, steps and exits) and an enrolment: one contact's run through one
 * sequence. One enrolment per (sequence, contact) — the unique index makes a trigger that fires
 * twice (a replayed turn, two instances) enrol once. `claimedUntil` is the runner's lease: a
 * runner that dies mid-step leaves it to expire and another picks the step up. A SequenceSend
 * row per `<enrolment>:<step>` is written before a send, so a step retried after a crash is
 * never sent twice.
 */
import { Schema, model, type InferSchemaType, type Types } from 'mongoose';
import { ENROLMENT_STATUSES } from './schemas.js';

const sequenceSchema = new Schema(
  {
    name: { type: String, required: true },
    trigger: { type: Schema.Types.Mixed, required: true },
    /** The trigger's type, copied out of `trigger` for the index the event handlers read. */
    triggerType: { type: String, required: true, index: true },
    steps: { type: [Schema.Types.Mixed], required: true },
    exitOn: { type: [String], default: [] },
    active: { type: Boolean, default: true },
    createdBy: { type: String },
  },
  { timestamps: true },
);

export type SequenceDoc = InferSchemaType<typeof sequenceSchema> & {
  _id: Types.ObjectId;
  updatedAt?: Date;
};
export const Sequence = model('Sequence', sequenceSchema);

const historySchema = new Schema(
  { at: Date, step: Number, event: String, detail: String },
  { _id: false },
);

const enrolmentSchema = new Schema(
  {
    sequenceId: { type: Schema.Types.ObjectId, ref: 'Sequence', required: true },
    contactId: { type: Schema.Types.ObjectId, ref: 'Contact', required: true, index: true },
    status: { type: String, enum: ENROLMENT_STATUSES, default: 'active' },
    step: { type: Number, default: 0 },
    /** When the current step is due (a wait's end); null while finished. */
    nextAt: { type: Date, default: null },
    claimedUntil: { type: Date, default: null },
    /** When the sequence last sent the contact something (a reply counts only after one). */
    lastSentAt: { type: Date, default: null },
    reason: { type: String, default: null },
    history: { type: [historySchema], default: [] },
  },
  { timestamps: true },
);
enrolmentSchema.index({ sequenceId: 1, contactId: 1 }, { unique: true });
enrolmentSchema.index({ status: 1, nextAt: 1 });

export type EnrolmentDoc = InferSchemaType<typeof enrolmentSchema> & {
  _id: Types.ObjectId;
  createdAt: Date;
};
export const Enrolment = model('SequenceEnrolment', enrolmentSchema);

const sendSchema = new Schema(
  {
    key: { type: String, required: true, unique: true },
    enrolmentId: { type: Schema.Types.ObjectId, required: true },
    step: { type: Number, required: true },
    channel: { type: String, required: true },
    /** Unset while in flight (or lost to a crash): the step is then not attempted again. */
    outcome: { type: String, enum: ['sent', 'refused'] },
    reason: { type: String, default: null },
    at: { type: Date },
  },
  { timestamps: true },
);
export const SequenceSend = model('SequenceSend', sendSchema);
