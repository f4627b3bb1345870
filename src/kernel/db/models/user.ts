/** Staff accounts: who may sign in to the console, with which role. */
import { Schema, model, type InferSchemaType, type Types } from 'mongoose';
import { ROLES, type Actor, type Role } from '../../roles.js';

const userSchema = new Schema(
  {
    /** Lowercased and trimmed; one account per address. */
    email: { type: String, required: true, lowercase: true, trim: true, unique: true },
    name: { type: String, required: true, trim: true },
    role: { type: String, enum: ROLES, required: true },
    /** argon2id (src/features/auth/passwords.ts); never leaves this module's callers. */
    passwordHash: { type: String, required: true },
    disabled: { type: Boolean, default: false },
    /** Set by an admin's temporary password: nothing but choosing a new one until it is done. */
    mustChangePassword: { type: Boolean, default: false },
    lastLoginAt: Date,
  },
  { timestamps: true },
);

export type UserDoc = InferSchemaType<typeof userSchema> & {
  _id: Types.ObjectId;
  createdAt: Date;
  updatedAt: Date;
};
export const User = model('User', userSchema);

export function actorOfUser(user: UserDoc): Actor {
  return {
    kind: 'user',
    id: user._id.toHexString(),
    email: user.email,
    name: user.name,
    role: user.role as Role,
  };
}
