/**
 * Where DM polling stopped: the newest dm_event id already handed to ingest, per account, so a
 * restart neither re-reads old events nor misses new ones.
 */
import { Schema, model } from 'mongoose';

const cursorSchema = new Schema(
  {
    /** The account's X user id. */
    _id: { type: String, required: true },
    /** Newest event id ingested; null when polling started on an empty inbox. */
    lastEventId: { type: String, default: null },
    lastPolledAt: Date,
  },
  { versionKey: false, timestamps: true },
);
export const TwitterDmCursor = model('TwitterDmCursor', cursorSchema);
