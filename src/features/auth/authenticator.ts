/**
 * The staff authenticator the auth feature decorates the server with (src/http/guard.ts asks it):
 *   `Authorization: Bearer <ADMIN_TOKEN>` (compared in constant time) → the admin token actor;
 *   else the `charla_session` cookie → the session's user, read afresh (a disabled or deleted
 *   user's sessions end here at once; a role change applies to the next request).
 * A state-changing request (POST/PUT/PATCH/DELETE) authenticated by the cookie must carry
 * `x-csrf-token` equal to the session's token, else 403 `csrf`. Bearer requests need no CSRF
 * token: browsers do not attach that header by themselves. A user whose password an admin set as
 * temporary gets 403 `password_change_required` on every staff route until they change it.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import { Types } from 'mongoose';
import { TOKEN_ACTOR } from '../../kernel/roles.js';
import type { SessionStore, StaffSession } from './sessions.js';
import { actorOfUser, User, type UserDoc } from '../../kernel/db/models/user.js';
import { forbidden } from '../../kernel/errors.js';
import type { Authenticator } from '../../http/guard.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** The staff session behind a cookie-authenticated request. */
    staffSession?: StaffSession;
  }
}

export const SESSION_COOKIE = 'charla_session';
export const CSRF_HEADER = 'x-csrf-token';
const STATE_CHANGING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

const digest = (v: string) => createHash('sha256').update(v).digest();
/** Constant time, whatever the lengths (both sides are hashed first). */
export const sameSecret = (given: string, expected: string) =>
  timingSafeEqual(digest(given), digest(expected));

export const csrfError = () =>
  forbidden(
    'csrf',
    `Send the ${CSRF_HEADER} header of your session (from sign-in or GET /api/auth/me) with every change.`,
  );

export const passwordChangeRequired = () =>
  forbidden(
    'password_change_required',
    'Choose a new password first (POST /api/auth/change-password): an admin set a temporary one.',
  );

/** The cookie's session and its user, when both are still valid. */
export async function sessionOf(
  req: FastifyRequest,
  sessions: SessionStore,
): Promise<{ session: StaffSession; user: UserDoc } | undefined> {
  const id = req.cookies?.[SESSION_COOKIE];
  if (!id) return undefined;
  const session = await sessions.touch(id);
  if (!session) return undefined;
  const user = /^[0-9a-f]{24}$/i.test(session.userId)
    ? await User.findById(new Types.ObjectId(session.userId)).lean<UserDoc>()
    : null;
  if (!user || user.disabled) {
    await sessions.endAllOf(session.userId);
    return undefined;
  }
  return { session, user };
}

export function checkCsrf(req: FastifyRequest, session: StaffSession): void {
  if (!STATE_CHANGING.has(req.method)) return;
  const given = req.headers[CSRF_HEADER];
  if (typeof given !== 'string' || !sameSecret(given, session.csrfToken)) throw csrfError();
}

export function createAuthenticator(deps: {
  adminToken: string | undefined;
  sessions: SessionStore;
}): Authenticator {
  return async (req) => {
    const header = req.headers.authorization;
    if (header !== undefined) {
      // A credential was offered: it must be the admin token (no fallback to the cookie).
      const bearer = /^Bearer (.+)$/i.exec(header)?.[1];
      if (!deps.adminToken || bearer === undefined) return undefined;
      return sameSecret(bearer, deps.adminToken) ? TOKEN_ACTOR : undefined;
    }
    const found = await sessionOf(req, deps.sessions);
    if (!found) return undefined;
    checkCsrf(req, found.session);
    // An admin's temporary password: nothing but choosing a new one (change-password-routes.ts).
    if (found.user.mustChangePassword) throw passwordChangeRequired();
    req.staffSession = found.session;
    return actorOfUser(found.user);
  };
}
