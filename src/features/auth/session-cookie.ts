/**
 * The session cookie every way of signing in ends with (password, two-factor, single sign-on):
 * httpOnly, SameSite=Lax, Secure when PUBLIC_URL is https.
 */
import type { FastifyReply } from 'fastify';
import type { Role } from '../../kernel/roles.js';
import type { UserDoc } from '../../kernel/db/models/user.js';
import { SESSION_COOKIE } from './authenticator.js';
import type { StaffAuth } from './staff-auth.js';

export const sessionCookieOptions = (auth: Pick<StaffAuth, 'secureCookie'>) => ({
  httpOnly: true,
  sameSite: 'lax' as const,
  path: '/',
  secure: auth.secureCookie,
});

export const toSessionUser = (u: UserDoc) => ({
  id: u._id.toHexString(),
  email: u.email,
  name: u.name,
  role: u.role as Role,
});

/** A new session for the user: sets the cookie, answers `{user, csrfToken}`. */
export async function startSession(auth: StaffAuth, reply: FastifyReply, user: UserDoc) {
  const session = await auth.sessions.create(user._id.toHexString());
  reply.setCookie(SESSION_COOKIE, session.id, sessionCookieOptions(auth));
  return { user: toSessionUser(user), csrfToken: session.csrfToken };
}
