/** Single sign-on's API shapes (routes in ./routes.ts). */
import { z } from 'zod';
import type { Endpoints } from '../../../http/schemas.js';

export const ssoStatusSchema = z.object({ enabled: z.boolean() }).meta({ id: 'SsoStatus' });
export type SsoStatus = z.infer<typeof ssoStatusSchema>;

export const ssoStartQuery = z.object({ next: z.string().max(2000).optional() });

/** The login page asks whether to offer "Sign in with SSO" (console/src/api/endpoints.ts). */
export const ssoEndpoints = {
  'GET /api/auth/sso': { response: ssoStatusSchema },
} as const satisfies Endpoints;
