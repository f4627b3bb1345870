import { Schema, model } from 'mongoose';

/**
 * The live lead scoring rules (one document, `_id: 'live'`): the YAML text as the admin wrote
 * it, its parsed rules, and a version counter bumped by every save. Seeded from
 * scoring/rules.yaml on first start; each saved version is also kept in ScoringRulesVersion.
 */
const scoringRulesSchema = new Schema(
  {
    _id: { type: String, required: true },
    yaml: { type: String, required: true },
    rules: { type: Schema.Types.Mixed, required: true },
    version: { type: Number, required: true },
    updatedBy: String,
  },
  { timestamps: true, minimize: false },
);
export const ScoringRulesDoc = model('ScoringRules', scoringRulesSchema);

const scoringRulesVersionSchema = new Schema(
  {
    version: { type: Number, required: true },
    yaml: { type: String, required: true },
    savedBy: String,
  },
  { timestamps: { createdAt: true, updatedAt: false } },
);
export const ScoringRulesVersion = model('ScoringRulesVersion', scoringRulesVersionSchema);
