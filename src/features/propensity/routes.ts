/**
 * Propensity (docs/console-api.md):
 *   GET  /api/value/propensity          the latest model: status, history counts, AUC, top factors
 *   POST /api/value/propensity/fit      train again in the background (audited); 202
 * Reads: ACCESS.value.read; the fit: ACCESS.value.write (admin always).
 */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { actorOf, requireRole } from '../../http/guard.js';
import { errorResponses } from '../../http/schemas.js';
import { recordAudit } from '../../kernel/audit.js';
import { notFound } from '../../kernel/errors.js';
import { ACCESS } from '../../kernel/roles.js';
import type { PropensityJobs } from './job.js';
import { propensityFitResponse, propensityModelSchema } from './schemas.js';
import { findPropensityModel } from './train.js';

const tags = ['value'];

export function mountPropensityRoutes(server: FastifyInstance, jobs: PropensityJobs): void {
  const app = server.withTypeProvider<ZodTypeProvider>();
  app.get(
    '/api/value/propensity',
    {
      onRequest: requireRole(...ACCESS.value.read),
      schema: {
        tags,
        summary:
          'The lead propensity model: trained on won/lost leads (time-split AUC, top factors) or rule_fallback',
        response: { 200: propensityModelSchema, ...errorResponses(401, 403, 404) },
      },
    },
    async () => {
      const model = await findPropensityModel();
      if (!model) throw notFound('A propensity model');
      return model;
    },
  );
  app.post(
    '/api/value/propensity/fit',
    {
      onRequest: requireRole(...ACCESS.value.write),
      schema: {
        tags,
        summary: 'Train the lead propensity model again in the background',
        response: { 202: propensityFitResponse, ...errorResponses(401, 403) },
      },
    },
    async (req, reply) => {
      await jobs.fit();
      await recordAudit({
        actor: actorOf(req),
        action: 'propensity.fit',
        targetType: 'value',
        targetId: 'propensity',
      });
      return reply.code(202).send({ queued: true });
    },
  );
}
