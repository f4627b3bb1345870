/**
 * Staff accounts (admin only):
 *   POST   /api/users {email, name, role, password?, locale?} → 201 {id, email, name, role,
 *          invitation, invitationExpiresAt, temporaryPassword}; 409 duplicate. Without a password
 *          the invitee is mailed a link to choose one (invitations.ts, in `locale`), or — no mail
 *          set up, or the relay refused — a temporary password is answered once (must be changed
 *          at first sign-in)
 *   GET    /api/users?limit=&offset= → {items, total} (oldest first)
 *   PATCH  /api/users/:id {role?, name?, disabled?, password?} → the user
 *   DELETE /api/users/:id → 204
 *   POST   /api/users/:id/temporary-password {password?} → {user, temporaryPassword}: the user
 *          must choose a new password at next sign-in (their sessions end); audited
 * A change leaving no enabled admin is refused (409 last_admin). Rules and audit: src/features/auth/users.ts.
 */
import type { FastifyInstance } from 'fastify';
import type { z } from 'zod';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { ACCESS, type Actor, type Role } from '../../kernel/roles.js';
import type { UserDoc } from '../../kernel/db/models/user.js';
import { recordAudit } from '../../kernel/audit.js';
import type { Locale } from '../../kernel/vocabulary.js';
import type { Invitations } from './invitations.js';
import { generatePassword, type UserService } from './users.js';
import { actorOf, requireRole } from '../../http/guard.js';
import { errorResponses, noContent, pageOf } from '../../http/schemas.js';
import {
  createdUserSchema,
  createUserBody,
  userIdParams as idParams,
  userListQuery,
  userPatchBody,
  userSchema,
  temporaryPasswordAnswer,
  temporaryPasswordBody,
  type UserView,
} from './schemas.js';

/** Who the invitation says it is from: the admin's name, else the product's. */
function inviterName(actor: Actor): string {
  return actor.kind === 'user' && actor.name ? actor.name : 'Charla';
}

/** What the API shows of a user (never the password hash). */
export function userView(user: UserDoc): UserView {
  return {
    id: user._id.toHexString(),
    email: user.email,
    name: user.name,
    role: user.role as Role,
    disabled: user.disabled === true,
    mustChangePassword: user.mustChangePassword === true,
    createdAt: new Date(user.createdAt).toISOString(),
    lastLoginAt: user.lastLoginAt ? new Date(user.lastLoginAt).toISOString() : null,
  };
}

export interface UserRouteDeps {
  invitations: Invitations;
  defaultLocale: Locale;
  logger: { warn(obj: object, msg: string): void };
}

/**
 * POST /api/users: the account, then — no password given — an invitation by mail or, without
 * mail or when the relay refuses it, a temporary password answered once.
 */
async function createAccount(
  users: UserService,
  deps: UserRouteDeps,
  actor: Actor,
  body: z.output<typeof createUserBody>,
): Promise<z.input<typeof createdUserSchema>> {
  const { password, locale, ...who } = body;
  const invite = password === undefined && deps.invitations.available;
  const generated = password === undefined ? generatePassword() : null;
  const created = await users.create(
    actor,
    {
      ...who,
      password: password ?? generated!,
      // Invited: nobody knows the generated password; the link chooses the real one.
      mustChangePassword: generated !== null && !invite,
    },
    { access: password ? 'password' : invite ? 'invitation' : 'temporary_password' },
  );
  const { id, email, name, role } = userView(created);
  const answer = { id, email, name, role };
  if (!invite) {
    return {
      ...answer,
      invitation: 'none',
      invitationExpiresAt: null,
      temporaryPassword: generated,
    };
  }
  const language = locale ?? deps.defaultLocale;
  try {
    const { expiresAt } = await deps.invitations.send(created, language, inviterName(actor));
    await recordAudit({
      actor,
      action: 'user.invitation_sent',
      targetType: 'user',
      targetId: id,
      details: { locale: language, expiresAt: expiresAt.toISOString() },
    });
    return {
      ...answer,
      invitation: 'sent',
      invitationExpiresAt: expiresAt.toISOString(),
      temporaryPassword: null,
    };
  } catch (err) {
    // The relay's words may hold the address: only its reply code is logged.
    const code = (err as { responseCode?: number }).responseCode;
    deps.logger.warn({ userId: id, code }, 'invitation mail not sent');
    const { generated: temporary } = await users.setTemporaryPassword(actor, id);
    await recordAudit({
      actor,
      action: 'user.invitation_failed',
      targetType: 'user',
      targetId: id,
      details: { locale: language, code: code ?? null },
    });
    return {
      ...answer,
      invitation: 'failed',
      invitationExpiresAt: null,
      temporaryPassword: temporary,
    };
  }
}

export function mountUserRoutes(
  server: FastifyInstance,
  users: UserService,
  deps: UserRouteDeps,
): void {
  const app = server.withTypeProvider<ZodTypeProvider>();
  const read = requireRole(...ACCESS.users.read);
  const write = requireRole(...ACCESS.users.write);
  const tags = ['users'];

  app.post(
    '/api/users',
    {
      onRequest: write,
      schema: {
        tags,
        summary: 'Create a staff account',
        body: createUserBody,
        response: { 201: createdUserSchema, ...errorResponses(400, 401, 403, 409) },
      },
    },
    async (req, reply) =>
      reply.status(201).send(await createAccount(users, deps, actorOf(req), req.body)),
  );

  app.get(
    '/api/users',
    {
      onRequest: read,
      schema: {
        tags,
        summary: 'List staff accounts (disabled ones included)',
        querystring: userListQuery,
        response: {
          200: pageOf(userSchema),
          ...errorResponses(400, 401, 403),
        },
      },
    },
    async (req) => {
      const { items, total } = await users.list(req.query);
      return { items: items.map(userView), total };
    },
  );

  app.patch(
    '/api/users/:id',
    {
      onRequest: write,
      schema: {
        tags,
        summary: "Change a user's role, name, disabled flag or password",
        params: idParams,
        body: userPatchBody,
        response: { 200: userSchema, ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (req) => userView(await users.update(actorOf(req), req.params.id, req.body)),
  );

  app.post(
    '/api/users/:id/temporary-password',
    {
      onRequest: write,
      schema: {
        tags,
        summary:
          'Set a temporary password (given or generated); the user must choose a new one at next sign-in',
        params: idParams,
        body: temporaryPasswordBody,
        response: { 200: temporaryPasswordAnswer, ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (req) => {
      const { user, generated } = await users.setTemporaryPassword(
        actorOf(req),
        req.params.id,
        req.body.password,
      );
      return { user: userView(user), temporaryPassword: generated };
    },
  );

  app.delete(
    '/api/users/:id',
    {
      onRequest: write,
      schema: {
        tags,
        summary: 'Delete a staff account (ends its sessions)',
        params: idParams,
        response: { 204: noContent.describe('Deleted'), ...errorResponses(401, 403, 404, 409) },
      },
    },
    async (req, reply) => {
      await users.remove(actorOf(req), req.params.id);
      return reply.status(204).send(null);
    },
  );
}
