/**
 * Two-factor sign-in's API shapes (routes in ./routes.ts).
 */
import { z } from 'zod';
import { noContent, type Endpoints } from '../../../http/schemas.js';
import { sessionSchema } from '../schemas.js';

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

/** The console's two-factor calls (console/src/api/endpoints.ts). */
export const twoFactorEndpoints = {
  'POST /api/auth/two-factor/verify': { body: twoFactorVerifyBody, response: sessionSchema },
  'POST /api/auth/two-factor/pending-enrolment': {
    body: twoFactorPendingBody,
    response: twoFactorEnrolmentSchema,
  },
  'POST /api/auth/two-factor/pending-enrolment/confirm': {
    body: twoFactorPendingCodeBody,
    response: sessionSchema.extend(recoveryCodesSchema.shape),
  },
  'GET /api/auth/two-factor': { response: twoFactorStatusSchema },
  'POST /api/auth/two-factor/enrolment': { response: twoFactorEnrolmentSchema },
  'POST /api/auth/two-factor/enrolment/confirm': {
    body: twoFactorCodeBody,
    response: recoveryCodesSchema,
  },
  'POST /api/auth/two-factor/recovery-codes': {
    body: twoFactorCodeBody,
    response: recoveryCodesSchema,
  },
  'POST /api/auth/two-factor/disable': { body: twoFactorCodeBody, response: noContent },
  'GET /api/auth/two-factor/policy': { response: twoFactorPolicySchema },
  'PUT /api/auth/two-factor/policy': {
    body: twoFactorPolicySchema,
    response: twoFactorPolicySchema,
  },
} as const satisfies Endpoints;
