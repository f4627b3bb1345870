/**
 * A canned reply: shared (owner `shared`, admins edit) or personal (owner = the staff label,
 * `user:<id>`). One shortcut per owner and language (unique index).
 */
import { Schema, model, type InferSchemaType, type Types } from 'mongoose';
import { LOCALES } from '../../kernel/vocabulary.js';
import { CANNED_SCOPES } from './schemas.js';

const cannedReplySchema = new Schema(
  {
    scope: { type: String, enum: CANNED_SCOPES, required: true },
    /** `shared`, or the owner's staff label for a personal reply. */
    owner: { type: String, required: true },
    language: { type: String, enum: LOCALES, required: true },
    shortcut: { type: String, required: true },
    title: { type: String, required: true },
    text: { type: String, required: true },
  },
  { timestamps: true },
);
cannedReplySchema.index({ owner: 1, language: 1, shortcut: 1 }, { unique: true });

export type CannedReplyDoc = InferSchemaType<typeof cannedReplySchema> & {
  _id: Types.ObjectId;
  updatedAt?: Date;
};
export const CannedReply = model('CannedReply', cannedReplySchema);
