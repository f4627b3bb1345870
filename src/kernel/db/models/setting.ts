import { Schema, model } from 'mongoose';

/**
 * Install-wide settings, one document per setting, `_id` its name (e.g. 'install': the install
 * id). Read by `_id` only, so FerretDB serves them without a scan.
 */
const settingSchema = new Schema(
  { _id: { type: String }, value: { type: Schema.Types.Mixed, required: true } },
  { timestamps: true, minimize: false },
);
export const Setting = model('Setting', settingSchema);
