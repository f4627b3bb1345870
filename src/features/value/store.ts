/**
 * Where fits are kept. A fit writes its model (`ValueFit`, `_id` = the as-of day, parameters
 * only, kept) and its per-customer scores in buckets (`ValueScores`, `_id` = `<run>:<bucket>`,
 * a contact's bucket a hash of its id): a contact's value is one read by `_id`, and 100,000
 * customers are a few hundred documents instead of 100,000 inserts (each ~1 ms on FerretDB).
 * `_id: 'latest'` names the run the contact view reads; older runs' buckets are deleted.
 */
import { Schema, model, type Types } from 'mongoose';

const valueFitSchema = new Schema(
  {
    _id: { type: String, required: true },
    /** For `_id: 'latest'`: the as-of day and run of the scores the contact view reads. */
    latestAsOf: String,
    runId: String,
    buckets: Number,
    customers: Number,
    orders: Number,
    horizonDays: Number,
    baseCurrency: String,
    bgnbd: Schema.Types.Mixed,
    gammaGamma: Schema.Types.Mixed,
    segments: Schema.Types.Mixed,
    fittedAt: Date,
    durationMs: Number,
  },
  { versionKey: false },
);
export const ValueFit = model('ValueFit', valueFitSchema);

export interface ValueFitDoc {
  _id: string;
  latestAsOf?: string;
  runId?: string;
  buckets?: number;
  customers: number;
  orders: number;
  horizonDays: number;
  baseCurrency: string;
  bgnbd: Record<string, number> | null;
  gammaGamma: Record<string, number> | null;
  segments: Record<string, number>;
  fittedAt: Date;
  durationMs: number;
}

/** One customer's scores, short keys (a bucket holds hundreds). */
export interface StoredScore {
  c: string;
  e: number | null;
  p: number | null;
  s: number | null;
  v: number | null;
  rev: number;
  n: number;
  /** Repeat purchase days and days since the last purchase (fits before these were kept: absent). */
  x?: number;
  d?: number;
  r: [number, number, number, string];
}

const valueScoresSchema = new Schema(
  { _id: { type: String, required: true }, runId: String, scores: Schema.Types.Mixed },
  { versionKey: false },
);
export const ValueScores = model('ValueScores', valueScoresSchema);

/** FNV-1a of the id's hex: the bucket of a contact. */
export function bucketOf(contactId: string | Types.ObjectId, buckets: number): number {
  const text = String(contactId);
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i += 1) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h % buckets;
}

export const CUSTOMERS_PER_BUCKET = 400;
