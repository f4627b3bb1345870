/** The latest propensity model: one document (`_id: 'latest'`), what GET /api/value/propensity answers. */
import { Schema, model } from 'mongoose';

const factor = new Schema({ feature: String, weight: Number }, { _id: false });

const propensityModelSchema = new Schema(
  {
    _id: { type: String, default: 'latest' },
    status: { type: String, enum: ['model', 'rule_fallback'], required: true },
    trainedAt: Date,
    closed: Number,
    won: Number,
    lost: Number,
    minClosed: Number,
    trainSize: Number,
    testSize: Number,
    auc: { type: Number, default: null },
    topFactors: { type: [factor], default: [] },
    features: Number,
    openLeadsScored: Number,
    lambda: Number,
    durationMs: Number,
  },
  { collection: 'propensity_models', versionKey: false },
);

export const PropensityModel = model('PropensityModel', propensityModelSchema);
