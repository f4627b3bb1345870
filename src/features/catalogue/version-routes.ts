/**
 * The studio's publishing routes (admin only): publish the draft, list the versions, what one
 * changed, roll back to one. The paths are listed in routes.ts.
 */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { actorOf, requireRole } from '../../http/guard.js';
import { ACCESS } from '../../kernel/roles.js';
import { errorResponses } from '../../http/schemas.js';
import { adminLocale, iso } from './route-helpers.js';
import {
  diffOut,
  publishOut,
  rollbackBody,
  rollbackOut,
  versionsOut,
  versionParams,
} from './schemas.js';
import type { Studio } from './studio.js';

export function mountVersionRoutes(scope: FastifyInstance, studio: Studio): void {
  const app = scope.withTypeProvider<ZodTypeProvider>();
  const onRequest = requireRole(...ACCESS.studio.write); // admin only
  const tags = ['catalogue'];

  app.post(
    '/api/catalogue/publish',
    {
      onRequest,
      schema: {
        tags,
        summary: 'Publish the draft: a new version, trained and live on every instance',
        response: {
          201: publishOut,
          ...errorResponses(400, 401, 403, 409),
        },
      },
    },
    async (req, reply) =>
      reply.status(201).send(await studio.publish(actorOf(req), adminLocale(req))),
  );

  app.get(
    '/api/catalogue/versions',
    {
      onRequest,
      schema: {
        tags,
        summary: 'Published versions, newest first',
        response: { 200: versionsOut, ...errorResponses(401, 403) },
      },
    },
    async () => (await studio.versions()).map((v) => ({ ...v, publishedAt: iso(v.publishedAt)! })),
  );

  app.get(
    '/api/catalogue/versions/:version/diff',
    {
      onRequest,
      schema: {
        tags,
        summary: 'What a version changed against the one before it',
        params: versionParams,
        response: { 200: diffOut, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (req) => studio.diff(req.params.version),
  );

  app.post(
    '/api/catalogue/rollback',
    {
      onRequest,
      schema: {
        tags,
        summary: 'Publish an old version again (as a new version)',
        body: rollbackBody,
        response: {
          201: rollbackOut,
          ...errorResponses(400, 401, 403, 404, 409),
        },
      },
    },
    async (req, reply) =>
      reply.status(201).send(await studio.rollback(req.body.version, actorOf(req))),
  );
}
