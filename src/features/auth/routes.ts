/**
 * Staff sign-in (public routes; each checks its own credentials):
 *   POST /api/auth/login {email, password} → 200 {user, csrfToken} + session cookie + device
 *        cookie; 401 for a wrong email or password alike; 429 while this client is throttled for
 *        this account (login-throttle.ts: per account and client, never because of others).
 *        With two-factor on (or required by an admin): 200 {twoFactor, pendingToken} and no
 *        cookie yet — the second step is in two-factor/routes.ts.
 *   GET  /api/auth/me → {user, csrfToken} for the session cookie, else 401.
 *   POST /api/auth/logout → 204 (with the session's x-csrf-token), cookie cleared.
 *   GET  /api/auth/setup-status → {setupRequired}: no account exists yet.
 *   POST /api/auth/setup {token, email, name, password} → 201 {user, csrfToken} + cookie.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { LoginThrottledError } from './login-throttle.js';
import type { StaffAuth } from './staff-auth.js';
import type { UserDoc } from '../../kernel/db/models/user.js';
import { checkCsrf, sessionOf, SESSION_COOKIE } from './authenticator.js';
import {
  loginClientOf,
  sessionCookieOptions,
  startSession as startSessionOf,
  toSessionUser,
} from './session-cookie.js';
import type { TwoStepSignIn } from './two-factor/sign-in.js';
import { HttpError } from '../../http/errors.js';
import { errorResponses, noContent } from '../../http/schemas.js';
import {
  loginAnswerSchema,
  loginBody,
  sessionSchema as sessionBody,
  setupBody,
  setupStatusSchema,
} from './schemas.js';

export function mountAuthRoutes(
  server: FastifyInstance,
  auth: StaffAuth,
  twoStep: TwoStepSignIn,
): void {
  const app = server.withTypeProvider<ZodTypeProvider>();
  const cookieOptions = sessionCookieOptions(auth);
  const startSession = (reply: FastifyReply, user: UserDoc) => startSessionOf(auth, reply, user);

  app.post(
    '/api/auth/login',
    {
      schema: {
        tags: ['auth'],
        summary: 'Sign in with email and password; sets the session cookie',
        body: loginBody,
        response: {
          200: loginAnswerSchema,
          ...errorResponses(400, 401, 429),
        },
      },
    },
    async (req, reply) => {
      try {
        const { email: address, password } = req.body;
        const client = loginClientOf(req);
        const user = await auth.checkPassword(address, password, client);
        const next = await twoStep.afterPassword(user, address, client);
        if ('user' in next) return reply.send(await startSessionOf(auth, reply, next.user, req));
        const { step, token, expiresInSeconds } = next;
        return reply.send({ twoFactor: step, pendingToken: token, expiresInSeconds });
      } catch (err) {
        if (err instanceof LoginThrottledError) {
          reply.header('retry-after', String(Math.ceil(err.retryAfterMs / 1000)));
        }
        throw err;
      }
    },
  );

  app.get(
    '/api/auth/me',
    {
      schema: {
        tags: ['auth'],
        summary: 'The signed-in user and the session CSRF token',
        response: { 200: sessionBody, ...errorResponses(401) },
      },
    },
    async (req: FastifyRequest) => {
      const found = await sessionOf(req, auth.sessions);
      if (!found) throw new HttpError(401, 'unauthorized', 'Not signed in.');
      return { user: toSessionUser(found.user), csrfToken: found.session.csrfToken };
    },
  );

  app.post(
    '/api/auth/logout',
    {
      schema: {
        tags: ['auth'],
        summary: 'End the session (send x-csrf-token)',
        response: { 204: noContent.describe('Signed out'), ...errorResponses(403) },
      },
    },
    async (req, reply) => {
      const found = await sessionOf(req, auth.sessions);
      if (found) {
        checkCsrf(req, found.session);
        await auth.logout(found.session, found.user);
      }
      reply.clearCookie(SESSION_COOKIE, cookieOptions);
      return reply.status(204).send(null);
    },
  );

  app.get(
    '/api/auth/setup-status',
    {
      schema: {
        tags: ['auth'],
        summary: 'Whether first-run setup is still needed (no account exists)',
        response: { 200: setupStatusSchema },
      },
    },
    async () => ({ setupRequired: await auth.users.none() }),
  );

  app.post(
    '/api/auth/setup',
    {
      schema: {
        tags: ['auth'],
        summary: 'Create the first admin with the one-time setup token; signs them in',
        body: setupBody,
        response: { 201: sessionBody, ...errorResponses(400, 403, 409) },
      },
    },
    async (req, reply) => {
      const { token, ...admin } = req.body;
      const user = await auth.firstRun.complete(token, admin);
      return reply.status(201).send(await startSession(reply, user));
    },
  );
}
