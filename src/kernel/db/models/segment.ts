import { Schema, model, type InferSchemaType, type Types } from 'mongoose';

/**
 * A saved filter over leads and their contacts (src/features/leads/segments/): a name and its filter
 * definition (validated by src/features/leads/segments/definition.ts before it is stored).
 */
const segmentSchema = new Schema(
  {
    name: { type: String, required: true, trim: true },
    description: String,
    filter: { type: Schema.Types.Mixed, required: true, default: {} },
    /** `user:<id>` or `admin-token`. */
    createdBy: String,
  },
  { timestamps: true, minimize: false },
);

export type SegmentDoc = InferSchemaType<typeof segmentSchema> & { _id: Types.ObjectId };
export const Segment = model('Segment', segmentSchema);
