import { Schema, model } from 'mongoose';

/** Atomic sequences (case numbers). `_id` is the sequence name. */
const counterSchema = new Schema({ _id: { type: String }, seq: { type: Number, default: 0 } });
export const Counter = model('Counter', counterSchema);
