/**
 * A staff account's identity at an OpenID Connect provider (src/features/auth/sso/): the
 * provider's `sub` for the user, which never changes even when their email does. One account may
 * be linked once per issuer.
 */
import { Schema, model, type InferSchemaType, type Types } from 'mongoose';

const staffIdentitySchema = new Schema(
  {
    issuer: { type: String, required: true },
    subject: { type: String, required: true },
    userId: { type: Schema.Types.ObjectId, required: true },
  },
  { timestamps: true },
);
staffIdentitySchema.index({ issuer: 1, subject: 1 }, { unique: true });

export type StaffIdentityDoc = InferSchemaType<typeof staffIdentitySchema> & {
  _id: Types.ObjectId;
};
export const StaffIdentity = model('StaffIdentity', staffIdentitySchema);
