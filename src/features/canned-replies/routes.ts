/**
 * Canned replies (issue 19.4), agents and admins (ACCESS.cannedReplies):
 *   GET    /api/canned-replies?q=&language=&scope=   shared + your own, by shortcut
 *   POST   /api/canned-replies                      {scope, language, shortcut, title, text}
 *   PATCH  /api/canned-replies/:id                  shared: admins; personal: its owner
 *   DELETE /api/canned-replies/:id
 *   GET    /api/canned-replies/:id/render?conversationId=&caseId=   variables filled
 * Changes are audited (canned_reply.create|update|delete).
 */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ACCESS } from '../../kernel/roles.js';
import { actorOf, requireRole } from '../../http/guard.js';
import { errorResponses, pageOf } from '../../http/schemas.js';
import {
  cannedCreateBody,
  cannedIdParams,
  cannedListQuery,
  cannedRenderQuery,
  cannedRenderResponse,
  cannedReplySchema,
  cannedUpdateBody,
} from './schemas.js';
import { createCanned, deleteCanned, listCanned, renderCanned, updateCanned } from './service.js';

const tags = ['canned replies'];

export function mountCannedRoutes(server: FastifyInstance): void {
  const app = server.withTypeProvider<ZodTypeProvider>();
  const read = requireRole(...ACCESS.cannedReplies.read);
  const write = requireRole(...ACCESS.cannedReplies.write);

  app.get(
    '/api/canned-replies',
    {
      onRequest: read,
      schema: {
        tags,
        summary: 'Shared canned replies and your own, by shortcut',
        querystring: cannedListQuery,
        response: { 200: pageOf(cannedReplySchema), ...errorResponses(400, 401, 403) },
      },
    },
    async (req) => listCanned(actorOf(req), req.query),
  );

  app.post(
    '/api/canned-replies',
    {
      onRequest: write,
      schema: {
        tags,
        summary: 'Add a canned reply (shared: admins only)',
        body: cannedCreateBody,
        response: { 201: cannedReplySchema, ...errorResponses(400, 401, 403, 409) },
      },
    },
    async (req, reply) => reply.status(201).send(await createCanned(actorOf(req), req.body)),
  );

  app.patch(
    '/api/canned-replies/:id',
    {
      onRequest: write,
      schema: {
        tags,
        summary: 'Change a canned reply (shared: admins; personal: its owner)',
        params: cannedIdParams,
        body: cannedUpdateBody,
        response: { 200: cannedReplySchema, ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (req) => updateCanned(actorOf(req), req.params.id, req.body),
  );

  app.delete(
    '/api/canned-replies/:id',
    {
      onRequest: write,
      schema: {
        tags,
        summary: 'Delete a canned reply (shared: admins; personal: its owner)',
        params: cannedIdParams,
        response: { 204: z.null(), ...errorResponses(401, 403, 404) },
      },
    },
    async (req, reply) => {
      await deleteCanned(actorOf(req), req.params.id);
      return reply.status(204).send(null);
    },
  );

  app.get(
    '/api/canned-replies/:id/render',
    {
      onRequest: read,
      schema: {
        tags,
        summary: 'The reply with its variables filled for a conversation (and case)',
        params: cannedIdParams,
        querystring: cannedRenderQuery,
        response: { 200: cannedRenderResponse, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (req) => renderCanned(actorOf(req), req.params.id, req.query),
  );
}
