/** Single sign-on's API shapes (routes in ./routes.ts). */
import { z } from 'zod';

export const ssoStatusSchema = z.object({ enabled: z.boolean() }).meta({ id: 'SsoStatus' });
export type SsoStatus = z.infer<typeof ssoStatusSchema>;

export const ssoStartQuery = z.object({ next: z.string().max(2000).optional() });
