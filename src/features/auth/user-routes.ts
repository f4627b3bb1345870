/**
 * Staff accounts (admin only):
 *   POST   /api/users {email, name, role, password} → 201 {id, email, name, role}; 409 duplicate
 *   GET    /api/users?limit=&offset= → {items, total} (oldest first)
 *   PATCH  /api/users/:id {role?, name?, disabled?, password?} → the user
 *   DELETE /api/users/:id → 204
 * A change leaving no enabled admin is refused (409 last_admin). Rules and audit: src/features/auth/users.ts.
 */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ROLES } from '../../kernel/roles.js';
import { userView } from '../../kernel/db/models/user.js';
import type { UserService } from './users.js';
import { actorOf, requireRole } from '../../http/guard.js';
import { email, newPassword } from './routes.js';
import { errorResponses, pageQuery } from '../../http/schemas.js';

const userItem = z
  .object({
    id: z.string(),
    email: z.string(),
    name: z.string(),
    role: z.enum(ROLES),
    disabled: z.boolean(),
    createdAt: z.string(),
    lastLoginAt: z.string().nullable(),
  })
  .meta({ id: 'User' });
const createdUser = z.object({
  id: z.string(),
  email: z.string(),
  name: z.string(),
  role: z.enum(ROLES),
});
const createBody = z.object({
  email,
  name: z.string().trim().min(1).max(200),
  role: z.enum(ROLES),
  password: newPassword,
});
const patchBody = z
  .object({
    role: z.enum(ROLES).optional(),
    name: z.string().trim().min(1).max(200).optional(),
    disabled: z.boolean().optional(),
    password: newPassword.optional(),
  })
  .refine((b) => Object.values(b).some((v) => v !== undefined), 'name at least one field');
// A malformed id is a 404 like an unknown one (as everywhere in the API), not a 400.
const idParams = z.object({ id: z.string().max(64) });

export function mountUserRoutes(server: FastifyInstance, users: UserService): void {
  const app = server.withTypeProvider<ZodTypeProvider>();
  const onRequest = requireRole(); // admin only
  const tags = ['users'];

  app.post(
    '/api/users',
    {
      onRequest,
      schema: {
        tags,
        summary: 'Create a staff account',
        body: createBody,
        response: { 201: createdUser, ...errorResponses(400, 401, 403, 409) },
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
      onRequest,
      schema: {
        tags,
        summary: 'List staff accounts (disabled ones included)',
        querystring: z.object(pageQuery),
        response: {
          200: z.object({ items: z.array(userItem), total: z.number().int() }),
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
      onRequest,
      schema: {
        tags,
        summary: "Change a user's role, name, disabled flag or password",
        params: idParams,
        body: patchBody,
        response: { 200: userItem, ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (req) => userView(await users.update(actorOf(req), req.params.id, req.body)),
  );

  app.delete(
    '/api/users/:id',
    {
      onRequest,
      schema: {
        tags,
        summary: 'Delete a staff account (ends its sessions)',
        params: idParams,
        response: { 204: z.null().describe('Deleted'), ...errorResponses(401, 403, 404, 409) },
      },
    },
    async (req, reply) => {
      await users.remove(actorOf(req), req.params.id);
      return reply.status(204).send(null);
    },
  );
}
