/**
 * Two-factor sign-in (service.ts, sign-in.ts):
 *   After POST /api/auth/login answers {twoFactor: 'verify'|'enrol', pendingToken} (no session):
 *   POST /api/auth/two-factor/verify {pendingToken, code}  → {user, csrfToken} + session cookie;
 *        code = a TOTP code or a recovery code; wrong → 401 (counts against the login throttle)
 *   POST /api/auth/two-factor/pending-enrolment {pendingToken} → {secret, uri}
 *   POST /api/auth/two-factor/pending-enrolment/confirm {pendingToken, code}
 *        → {user, csrfToken, recoveryCodes} + session cookie
 *   Signed in (any role, own account):
 *   GET  /api/auth/two-factor → {enabled, recoveryCodesLeft, required}
 *   POST /api/auth/two-factor/enrolment → {secret, uri}; …/enrolment/confirm {code} → {recoveryCodes}
 *   POST /api/auth/two-factor/recovery-codes {code} → {recoveryCodes} (new ones; the old stop working)
 *   POST /api/auth/two-factor/disable {code} → 204 (409 while an admin requires it)
 *   Admin:
 *   GET|PUT /api/auth/two-factor/policy {required}; DELETE /api/users/:id/two-factor → 204
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { Types } from 'mongoose';
import { z } from 'zod';
import { ACCESS } from '../../../kernel/roles.js';
import { forbidden, unauthenticated } from '../../../kernel/errors.js';
import { User, type UserDoc } from '../../../kernel/db/models/user.js';
import { actorOf, requireRole } from '../../../http/guard.js';
import { errorResponses } from '../../../http/schemas.js';
import { LoginThrottledError } from '../login-throttle.js';
import { sessionSchema as sessionBody } from '../schemas.js';
import { startSession } from '../session-cookie.js';
import type { StaffAuth } from '../staff-auth.js';
import {
  recoveryCodesSchema,
  twoFactorCodeBody,
  twoFactorEnrolmentSchema,
  twoFactorPendingBody,
  twoFactorPendingCodeBody,
  twoFactorPolicySchema,
  twoFactorStatusSchema,
  twoFactorVerifyBody,
} from './schemas.js';
import type { TwoFactor } from './service.js';
import type { TwoStepSignIn } from './sign-in.js';

const tags = ['auth'];
const anyRole = requireRole(...ACCESS.ownAccount.write);

/** The signed-in staff member's own account (the admin token has none). */
async function ownUser(req: FastifyRequest): Promise<UserDoc> {
  const actor = actorOf(req);
  if (actor.kind !== 'user') {
    throw forbidden('two_factor_staff_only', 'Two-factor sign-in belongs to staff accounts.');
  }
  const user = await User.findById(new Types.ObjectId(actor.id)).lean<UserDoc>();
  if (!user) throw unauthenticated('unauthorized', 'Not signed in.');
  return user;
}

/** Passes a throttle refusal's wait on as Retry-After. */
async function withRetryAfter<T>(reply: FastifyReply, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    if (err instanceof LoginThrottledError) {
      reply.header('retry-after', String(Math.ceil(err.retryAfterMs / 1000)));
    }
    throw err;
  }
}

function mountPendingRoutes(server: FastifyInstance, auth: StaffAuth, signIn: TwoStepSignIn) {
  const app = server.withTypeProvider<ZodTypeProvider>();
  app.post(
    '/api/auth/two-factor/verify',
    {
      schema: {
        tags,
        summary: 'Second sign-in step: a TOTP or recovery code for the pending token',
        body: twoFactorVerifyBody,
        response: { 200: sessionBody, ...errorResponses(400, 401, 409, 429) },
      },
    },
    async (req, reply) =>
      withRetryAfter(reply, async () => {
        const user = await signIn.verify(req.body.pendingToken, req.body.code);
        return reply.send(await startSession(auth, reply, user, req));
      }),
  );
  app.post(
    '/api/auth/two-factor/pending-enrolment',
    {
      schema: {
        tags,
        summary: 'Two-factor required: a secret to add to an authenticator app',
        body: twoFactorPendingBody,
        response: { 200: twoFactorEnrolmentSchema, ...errorResponses(400, 401, 409) },
      },
    },
    async (req) => signIn.startEnrolment(req.body.pendingToken),
  );
  app.post(
    '/api/auth/two-factor/pending-enrolment/confirm',
    {
      schema: {
        tags,
        summary: 'Two-factor required: confirm with a first code; signs in, shows recovery codes',
        body: twoFactorPendingCodeBody,
        response: {
          200: sessionBody.extend(recoveryCodesSchema.shape),
          ...errorResponses(400, 401, 409, 429),
        },
      },
    },
    async (req, reply) =>
      withRetryAfter(reply, async () => {
        const done = await signIn.confirmEnrolment(req.body.pendingToken, req.body.code);
        const session = await startSession(auth, reply, done.user, req);
        return reply.send({ ...session, recoveryCodes: done.recoveryCodes });
      }),
  );
}

function mountOwnRoutes(server: FastifyInstance, twoFactor: TwoFactor) {
  const app = server.withTypeProvider<ZodTypeProvider>();
  app.get(
    '/api/auth/two-factor',
    {
      onRequest: anyRole,
      schema: {
        tags,
        summary: 'Your two-factor sign-in: on or off, recovery codes left, required by an admin',
        response: { 200: twoFactorStatusSchema, ...errorResponses(401, 403) },
      },
    },
    async (req) => twoFactor.status((await ownUser(req))._id),
  );
  app.post(
    '/api/auth/two-factor/enrolment',
    {
      onRequest: anyRole,
      schema: {
        tags,
        summary: 'Start turning on two-factor: a secret for an authenticator app',
        response: { 200: twoFactorEnrolmentSchema, ...errorResponses(401, 403, 409) },
      },
    },
    async (req) => twoFactor.startEnrolment(await ownUser(req)),
  );
  app.post(
    '/api/auth/two-factor/enrolment/confirm',
    {
      onRequest: anyRole,
      schema: {
        tags,
        summary: 'Turn on two-factor with a first code; answers the recovery codes (shown once)',
        body: twoFactorCodeBody,
        response: { 200: recoveryCodesSchema, ...errorResponses(400, 401, 403, 409) },
      },
    },
    async (req) => {
      const user = await ownUser(req);
      return { recoveryCodes: await twoFactor.confirmEnrolment(actorOf(req), user, req.body.code) };
    },
  );
  app.post(
    '/api/auth/two-factor/recovery-codes',
    {
      onRequest: anyRole,
      schema: {
        tags,
        summary: 'New recovery codes for a current code (the old ones stop working); shown once',
        body: twoFactorCodeBody,
        response: { 200: recoveryCodesSchema, ...errorResponses(400, 401, 403) },
      },
    },
    async (req) => {
      const user = await ownUser(req);
      return {
        recoveryCodes: await twoFactor.regenerateRecoveryCodes(actorOf(req), user, req.body.code),
      };
    },
  );
  app.post(
    '/api/auth/two-factor/disable',
    {
      onRequest: anyRole,
      schema: {
        tags,
        summary: 'Turn off your two-factor with a current code',
        body: twoFactorCodeBody,
        response: { 204: z.null().describe('Off'), ...errorResponses(400, 401, 403, 409) },
      },
    },
    async (req, reply) => {
      await twoFactor.disable(actorOf(req), await ownUser(req), req.body.code);
      return reply.status(204).send(null);
    },
  );
}

function mountAdminRoutes(server: FastifyInstance, twoFactor: TwoFactor) {
  const app = server.withTypeProvider<ZodTypeProvider>();
  const onRequest = requireRole(...ACCESS.users.write); // admin only
  app.get(
    '/api/auth/two-factor/policy',
    {
      onRequest,
      schema: {
        tags,
        summary: 'Whether two-factor is required for all staff',
        response: { 200: twoFactorPolicySchema, ...errorResponses(401, 403) },
      },
    },
    async () => ({ required: await twoFactor.isRequired() }),
  );
  app.put(
    '/api/auth/two-factor/policy',
    {
      onRequest,
      schema: {
        tags,
        summary: 'Require two-factor for all staff (password sign-ins without it must enrol)',
        body: twoFactorPolicySchema,
        response: { 200: twoFactorPolicySchema, ...errorResponses(400, 401, 403) },
      },
    },
    async (req) => {
      await twoFactor.setRequired(actorOf(req), req.body.required);
      return { required: req.body.required };
    },
  );
  app.delete(
    '/api/users/:id/two-factor',
    {
      onRequest,
      schema: {
        tags: ['users'],
        summary: "Reset a user's two-factor (lost phone): they sign in with the password again",
        params: z.object({ id: z.string().max(64) }),
        response: { 204: z.null().describe('Reset'), ...errorResponses(401, 403, 404) },
      },
    },
    async (req, reply) => {
      await twoFactor.reset(actorOf(req), req.params.id);
      return reply.status(204).send(null);
    },
  );
}

export function mountTwoFactorRoutes(
  server: FastifyInstance,
  deps: { auth: StaffAuth; twoFactor: TwoFactor; signIn: TwoStepSignIn },
): void {
  mountPendingRoutes(server, deps.auth, deps.signIn);
  mountOwnRoutes(server, deps.twoFactor);
  mountAdminRoutes(server, deps.twoFactor);
}
