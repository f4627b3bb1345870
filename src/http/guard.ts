/**
 * Route authorisation. Every admin/console route declares who may call it:
 *   scope.get('/api/leads', { preHandler: requireRole('marketer', 'viewer') }, handler)
 * `admin` is always allowed. The request is authenticated by `Authorization: Bearer ADMIN_TOKEN`
 * (an admin actor) or by the staff session cookie (see src/features/auth/routes/ — sessions, CSRF).
 * 401 when nobody is signed in, 403 when the role may not. The actor is on `req.actor`.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Actor, Role } from '../kernel/roles.js';
import { HttpError } from './errors.js';
import { assertSameOriginJson } from './same-origin.js';
import {
  ADMIN_TOKEN_FAILURES_PER_MINUTE,
  createFailureLimiter,
  tooManyFailures,
  type FailureLimiter,
} from './failed-attempts.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** Set by `requireRole` (or `authenticate`) once the caller is known. */
    actor?: Actor;
  }
  interface FastifyInstance {
    /** This server's staff authenticator (decorated by the auth feature when it mounts). */
    staffAuthenticator?: Authenticator;
  }
}

export type Authenticator = (
  req: FastifyRequest,
  reply: FastifyReply,
) => Promise<Actor | undefined>;

const bearerLimiters = new WeakMap<object, FailureLimiter>();

/**
 * Wrong bearer tokens are charged to the client IP (bucket `admin-token`): past
 * ADMIN_TOKEN_FAILURES_PER_MINUTE a minute the IP's wrong tokens get 429 instead of 401. The right
 * token is always served: someone else's failures never lock out automation or scraping.
 */
function bearerFailures(req: FastifyRequest): FailureLimiter | undefined {
  const limits = req.server.failureLimits;
  if (!limits || req.headers.authorization === undefined) return undefined;
  let limiter = bearerLimiters.get(limits);
  if (!limiter) {
    limiter = createFailureLimiter({
      ...limits,
      bucket: 'admin-token',
      maxFailures: ADMIN_TOKEN_FAILURES_PER_MINUTE,
    });
    bearerLimiters.set(limits, limiter);
  }
  return limiter;
}

/** The caller, or 401 (429 for a wrong token from an IP that sent too many of them). */
export async function authenticate(req: FastifyRequest, reply: FastifyReply): Promise<Actor> {
  if (req.actor) return req.actor;
  // Without a bearer token the caller is a browser session: changes only as same-origin JSON.
  if (req.headers.authorization === undefined) assertSameOriginJson(req);
  // Each server answers with its own staff authentication (none mounted: nobody is signed in).
  const actor = await req.server.staffAuthenticator?.(req, reply);
  if (!actor) {
    const wait = (await bearerFailures(req)?.fail(req)) ?? 0;
    if (wait > 0) throw tooManyFailures(wait);
    throw new HttpError(401, 'unauthorized', 'Sign in or send a valid bearer token.');
  }
  req.actor = actor;
  return actor;
}

const guardedRoles = new WeakMap<object, readonly Role[]>();

/** The roles a `requireRole` guard admits besides admin (undefined for any other hook). */
export function guardRoles(hook: object): readonly Role[] | undefined {
  return guardedRoles.get(hook);
}

/** preHandler: the caller must have one of `roles` (admin always may). */
export function requireRole(...roles: Role[]) {
  const guard = async (req: FastifyRequest, reply: FastifyReply): Promise<void> => {
    const actor = await authenticate(req, reply);
    if (actor.role !== 'admin' && !roles.includes(actor.role)) {
      throw new HttpError(
        403,
        'forbidden',
        `This needs one of the roles: admin, ${roles.join(', ')}.`,
      );
    }
  };
  guardedRoles.set(guard, roles);
  return guard;
}

/** The actor of an authorised request (after requireRole). */
export function actorOf(req: FastifyRequest): Actor {
  if (!req.actor) throw new HttpError(401, 'unauthorized', 'Sign in or send a valid bearer token.');
  return req.actor;
}
