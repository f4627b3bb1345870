/**
 * Staff accounts (admin only):
 *   POST   /api/users {email, name, role, password} → 201 {id, email, name, role}; 409 duplicate
 *   GET    /api/users?limit=&offset= → {items, total} (oldest first)
 *   PATCH  /api/users/:id {role?, name?, disabled?, password?} → the user
 *   DELETE /api/users/:id → 204
 *   POST   /api/users/:id/temporary-password {password?} → {user, temporaryPassword}: the user
 *          must choose a new password at next sign-in (their sessions end); audited
 * A change leaving no enabled admin is refused (409 last_admin). Rules and audit: src/features/auth/users.ts.
 */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { ACCESS, type Role } from '../../kernel/roles.js';
import type { UserDoc } from '../../kernel/db/models/user.js';
import type { UserService } from './users.js';
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

export function mountUserRoutes(server: FastifyInstance, users: UserService): void {
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
    async (req, reply) => {
      const user = userView(await users.create(actorOf(req), req.body));
      const { id, email: address, name, role } = user;
      return reply.status(201).send({ id, email: address, name, role });
    },
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
