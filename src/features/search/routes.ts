/**
 * Search everywhere (issue 19.7), any signed-in role:
 *   GET /api/search?q=&types=&limit=   contacts, conversations, cases, leads, grouped
 * Each type only for the roles its list route serves (ACCESS); naming another type is a 403.
 */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { mongo } from 'mongoose';
import { ROLES } from '../../kernel/roles.js';
import { actorOf, requireRole } from '../../http/guard.js';
import { errorResponses } from '../../http/schemas.js';
import type { TermStats } from './common-terms.js';
import { searchQuery, searchResponse } from './schemas.js';
import { search } from './service.js';

export function mountSearchRoutes(
  server: FastifyInstance,
  stats: (collection: mongo.Collection, field: string) => Promise<TermStats>,
): void {
  const app = server.withTypeProvider<ZodTypeProvider>();
  app.get(
    '/api/search',
    {
      onRequest: requireRole(...ROLES),
      schema: {
        tags: ['search'],
        summary: 'Search contacts, conversations (message text), cases and leads',
        description:
          'Whole words, all of them, accents and case ignored (Spanish and English stop words ' +
          'left out); a case number (CS-000042 or 42) is matched exactly. Results are grouped ' +
          'by type, newest first, each type only for the roles that may read it.',
        querystring: searchQuery,
        response: { 200: searchResponse, ...errorResponses(400, 401, 403) },
      },
    },
    async (req) => search(actorOf(req), req.query, stats),
  );
}
