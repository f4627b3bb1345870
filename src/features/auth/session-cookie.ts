/**
 * The session cookie every way of signing in ends with (password, two-factor, single sign-on):
 * httpOnly, SameSite=Lax, Secure when PUBLIC_URL is https; and the device cookie of the login
 * throttle (`charla_device`, path /api/auth).
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { UserDoc } from '../../kernel/db/models/user.js';
import { SESSION_COOKIE } from './authenticator.js';
import type { StaffAuth } from './staff-auth.js';
import type { Session, SessionUser } from './schemas.js';

export const sessionCookieOptions = (auth: Pick<StaffAuth, 'secureCookie'>) => ({
  httpOnly: true,
  sameSite: 'lax' as const,
  path: '/',
  secure: auth.secureCookie,
});

export const toSessionUser = (u: UserDoc): SessionUser => ({
  id: u._id.toHexString(),
  email: u.email,
  name: u.name,
  role: u.role as SessionUser['role'],
  mustChangePassword: u.mustChangePassword === true,
});

/** The device cookie: a client's standing with the accounts it signed in to (login-throttle.ts). */
export const DEVICE_COOKIE = 'charla_device';

/** The client of a sign-in request: its IP and its device cookie, if any. */
export const loginClientOf = (req: FastifyRequest) => ({
  ip: req.ip,
  device: req.cookies?.[DEVICE_COOKIE],
});

/**
 * A new session for the user: sets the cookie, answers `{user, csrfToken}`. Given the request of
 * a finished sign-in, the browser's device cookie gets standing with the account too.
 */
export async function startSession(
  auth: StaffAuth,
  reply: FastifyReply,
  user: UserDoc,
  req?: FastifyRequest,
): Promise<Session> {
  if (req) {
    const device = await auth.throttle.rememberDevice(user.email, loginClientOf(req));
    reply.setCookie(DEVICE_COOKIE, device, {
      ...sessionCookieOptions(auth),
      path: '/api/auth',
      maxAge: Math.floor(auth.throttle.options.deviceTtlMs / 1000),
    });
  }
  const session = await auth.sessions.create(user._id.toHexString());
  reply.setCookie(SESSION_COOKIE, session.id, sessionCookieOptions(auth));
  return { user: toSessionUser(user), csrfToken: session.csrfToken };
}
