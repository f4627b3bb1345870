/**
 * A staff member's two-factor sign-in (src/features/auth/two-factor/): the TOTP secret, the last
 * time step a code was accepted for (a code is good once: no replay within its window) and the
 * argon2id hashes of the unused recovery codes. One document per user, only while it is enabled.
 */
import { Schema, model, type InferSchemaType, type Types } from 'mongoose';

const staffTwoFactorSchema = new Schema(
  {
    userId: { type: Schema.Types.ObjectId, required: true, unique: true },
    /** The TOTP secret sealed with SECRET_KEY (src/kernel/secret-box.ts; older rows: plain base32,
     * sealed on first use); never logged, never shown again after enrolment. */
    secret: { type: String, required: true },
    /** The TOTP counter (time step) of the last accepted code. */
    lastStep: { type: Number, required: true, default: 0 },
    /** argon2id hashes of the recovery codes not used yet. */
    recoveryCodes: { type: [String], default: [] },
    enabledAt: { type: Date, required: true },
  },
  { timestamps: true },
);

export type StaffTwoFactorDoc = InferSchemaType<typeof staffTwoFactorSchema> & {
  _id: Types.ObjectId;
};
export const StaffTwoFactor = model('StaffTwoFactor', staffTwoFactorSchema);
