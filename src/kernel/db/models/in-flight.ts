import { Schema, model, type InferSchemaType, type Types } from 'mongoose';

/**
 * Work not finished yet, one small document per item, keyed by `_id` (the message's id): an
 * inbound message until its turn is delivered (`in`), a staff/system reply until it is sent or
 * failed (`out`). The reconciler reads only this collection, so its cost follows the work in
 * flight, never the size of the messages collection (see docs/ARCHITECTURE.md).
 */
const inFlightSchema = new Schema(
  {
    kind: { type: String, enum: ['in', 'out'], required: true },
    conversationId: { type: Schema.Types.ObjectId, required: true },
    at: { type: Date, required: true },
  },
  { versionKey: false },
);

export type InFlightDoc = InferSchemaType<typeof inFlightSchema> & { _id: Types.ObjectId };
export const InFlight = model('InFlight', inFlightSchema, 'inflight');
