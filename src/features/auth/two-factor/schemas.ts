/**
 * Two-factor sign-in's API shapes (routes in ./routes.ts).
 */
import { z } from 'zod';

const code = z.string().trim().min(6).max(32);
const pendingToken = z.string().min(20).max(200);

export const twoFactorVerifyBody = z.object({ pendingToken, code });
export const twoFactorPendingBody = z.object({ pendingToken });
export const twoFactorCodeBody = z.object({ code });
export const twoFactorPendingCodeBody = z.object({ pendingToken, code });

export const twoFactorEnrolmentSchema = z
  .object({ secret: z.string(), uri: z.string() })
  .meta({ id: 'TwoFactorEnrolment' });
export type TwoFactorEnrolment = z.infer<typeof twoFactorEnrolmentSchema>;

export const recoveryCodesSchema = z.object({ recoveryCodes: z.array(z.string()) });

export const twoFactorStatusSchema = z
  .object({ enabled: z.boolean(), recoveryCodesLeft: z.number().int(), required: z.boolean() })
  .meta({ id: 'TwoFactorStatus' });
export type TwoFactorStatus = z.infer<typeof twoFactorStatusSchema>;

export const twoFactorPolicySchema = z.object({ required: z.boolean() });
