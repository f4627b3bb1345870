/**
 * Route authorisation. Every admin/console route declares who may call it:
 *   scope.get('/api/leads', { preHandler: requireRole('marketer', 'viewer') }, handler)
 * `admin` is always allowed. The request is authenticated by `Authorization: Bearer ADMIN_TOKEN`
 * (an admin actor) or by the staff session cookie (see src/http/auth/ — sessions, CSRF).
 * 401 when nobody is signed in, 403 when the role may not. The actor is on `req.actor`.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Actor, Role } from '../../auth/roles.js';
import { HttpError } from '../errors.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** Set by `requireRole` (or `authenticate`) once the caller is known. */
    actor?: Actor;
  }
}

export type Authenticator = (
  req: FastifyRequest,
  reply: FastifyReply,
) => Promise<Actor | undefined>;

let authenticator: Authenticator | undefined;

/** Installed once by the composition root (src/app.ts). */
export function setAuthenticator(fn: Authenticator): void {
  authenticator = fn;
}

/** The caller, or 401. */
export async function authenticate(req: FastifyRequest, reply: FastifyReply): Promise<Actor> {
  if (req.actor) return req.actor;
  const actor = authenticator ? await authenticator(req, reply) : undefined;
  if (!actor) throw new HttpError(401, 'unauthorized', 'Sign in or send a valid bearer token.');
  req.actor = actor;
  return actor;
}

/** preHandler: the caller must have one of `roles` (admin always may). */
export function requireRole(...roles: Role[]) {
  return async (req: FastifyRequest, reply: FastifyReply): Promise<void> => {
    const actor = await authenticate(req, reply);
    if (actor.role !== 'admin' && !roles.includes(actor.role)) {
      throw new HttpError(
        403,
        'forbidden',
        `This needs one of the roles: admin, ${roles.join(', ')}.`,
      );
    }
  };
}

/** The actor of an authorised request (after requireRole). */
export function actorOf(req: FastifyRequest): Actor {
  if (!req.actor) throw new HttpError(401, 'unauthorized', 'Sign in or send a valid bearer token.');
  return req.actor;
}
