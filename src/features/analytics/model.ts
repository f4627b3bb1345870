/**
 * Analytics rollups (src/features/analytics/): no personal data, only counts, durations, intent names
 * and message ids.
 *
 * - `AnalyticsConversation` (`_id` = the conversation's id): what one conversation contributes,
 *   recomputed from its records whenever it changes, indexed by `day` (its start, UTC).
 * - `AnalyticsDay` (`_id` = `day|channel|language`): the sum of that day's contributions for one
 *   channel and language, rewritten whole from them (`$set`), indexed by `month` so a summary
 *   reads a month of cells with one indexed equality (FerretDB serves it; ranges it scans).
 */
import { Schema, model, type Types } from 'mongoose';
import { COUNT_FIELDS } from './definitions.js';

const counts = Object.fromEntries(COUNT_FIELDS.map((f) => [f, { type: Number, default: 0 }]));
const intentCount = new Schema({ intent: String, count: Number }, { _id: false });

const contributionSchema = new Schema(
  {
    day: { type: String, required: true, index: true },
    channel: { type: String, required: true },
    language: { type: String, required: true },
    ...counts,
    queueWaits: { type: [Number], default: [] },
    firstReplies: { type: [Number], default: [] },
    intents: { type: [intentCount], default: [] },
    /** Inbound messages the bot had no intent for (ids only; texts are read when shown). */
    unanswered: { type: [Schema.Types.ObjectId], default: [] },
  },
  { timestamps: true },
);

const daySchema = new Schema(
  {
    _id: { type: String, required: true },
    day: { type: String, required: true },
    month: { type: String, required: true, index: true },
    channel: { type: String, required: true },
    language: { type: String, required: true },
    ...counts,
    queueWaits: { type: [Number], default: [] },
    firstReplies: { type: [Number], default: [] },
    intents: { type: [intentCount], default: [] },
    unanswered: { type: [Schema.Types.ObjectId], default: [] },
  },
  { timestamps: true },
);

export interface ContributionDoc {
  _id: Types.ObjectId;
  day: string;
  channel: string;
  language: string;
  queueWaits: number[];
  firstReplies: number[];
  intents: Array<{ intent: string; count: number }>;
  unanswered: Types.ObjectId[];
  [field: string]: unknown;
}

export const AnalyticsConversation = model(
  'AnalyticsConversation',
  contributionSchema,
  'analytics_conversations',
);
export const AnalyticsDay = model('AnalyticsDay', daySchema, 'analytics_days');
