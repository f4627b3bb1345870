import { Schema, model } from 'mongoose';

/**
 * Editable intent and flow definitions, seeded from intents/ and flows/. Each edit writes a new
 * version; the highest version of a name is the live one.
 */
const intentDefinitionSchema = new Schema(
  {
    name: { type: String, required: true },
    version: { type: Number, required: true },
    training: { es: [String], en: [String] },
    answers: { es: [String], en: [String] },
    action: { type: Schema.Types.Mixed },
    /** Buttons offered with the answer, per language. */
    quickReplies: { type: Schema.Types.Mixed },
    /** How a clarifying question names the intent, per language ({phrase, button}). */
    label: { type: Schema.Types.Mixed },
    source: { type: String, enum: ['seed', 'admin'], default: 'seed' },
  },
  { timestamps: true },
);
intentDefinitionSchema.index({ name: 1, version: 1 }, { unique: true });
export const IntentDefinitionModel = model('IntentDefinition', intentDefinitionSchema);

const flowDefinitionSchema = new Schema(
  {
    name: { type: String, required: true },
    version: { type: Number, required: true },
    definition: { type: Schema.Types.Mixed, required: true },
    source: { type: String, enum: ['seed', 'admin'], default: 'seed' },
  },
  { timestamps: true },
);
flowDefinitionSchema.index({ name: 1, version: 1 }, { unique: true });
export const FlowDefinitionModel = model('FlowDefinition', flowDefinitionSchema);
