/**
 * Customer value (docs/console-api.md):
 *   GET  /api/value/model?asOf=YYYY-MM-DD  the fit as of that day (default: the latest fit)
 *   POST /api/value/fit {asOf?}            queue a fit (audited); 202
 *   GET  /api/value/backtest?calibrationEnd=&holdoutEnd=   fit on a calibration period, predict the holdout
 *   GET  /api/value/overview?top=          CLV distribution, top customers, RFM grid (the value page)
 *   GET  /api/value/at-risk?limit=          valuable customers slipping away, with the reasons
 * Reads: ACCESS.value.read; the fit: ACCESS.value.write (admin always).
 */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { actorOf, requireRole } from '../../http/guard.js';
import { errorResponses } from '../../http/schemas.js';
import { recordAudit } from '../../kernel/audit.js';
import { notFound } from '../../kernel/errors.js';
import { ACCESS } from '../../kernel/roles.js';
import type { ValueJobs } from './job.js';
import { atRiskList } from './at-risk.js';
import { runBacktest } from './backtest-run.js';
import { valueOverview } from './overview.js';
import {
  atRiskQuery,
  atRiskSchema,
  overviewQuery,
  overviewSchema,
  backtestQuery,
  backtestSchema,
  valueFitBody,
  valueFitResponse,
  valueModelQuery,
  valueModelSchema,
} from './schemas.js';
import { findValueModel } from './views.js';

const tags = ['value'];

export function mountValueRoutes(server: FastifyInstance, jobs: ValueJobs): void {
  const app = server.withTypeProvider<ZodTypeProvider>();
  app.get(
    '/api/value/model',
    {
      onRequest: requireRole(...ACCESS.value.read),
      schema: {
        tags,
        summary:
          'The customer value model (BG/NBD and Gamma-Gamma parameters) as of a day, default the latest fit',
        querystring: valueModelQuery,
        response: { 200: valueModelSchema, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (req) => {
      const model = await findValueModel(req.query.asOf);
      if (!model) throw notFound(req.query.asOf ? `A fit as of ${req.query.asOf}` : 'A fit');
      return model;
    },
  );
  app.get(
    '/api/value/backtest',
    {
      onRequest: requireRole(...ACCESS.value.read),
      schema: {
        tags,
        summary:
          'Fit the BG/NBD on a calibration period and compare its forecast of the holdout with what customers did',
        querystring: backtestQuery,
        response: { 200: backtestSchema, ...errorResponses(400, 401, 403, 409) },
      },
    },
    async (req) => runBacktest(req.query),
  );
  app.get(
    '/api/value/overview',
    {
      onRequest: requireRole(...ACCESS.value.read),
      schema: {
        tags,
        summary: 'The latest fit for the value page: CLV distribution, top customers, RFM grid',
        querystring: overviewQuery,
        response: { 200: overviewSchema, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (req) => {
      const overview = await valueOverview(req.query.top);
      if (!overview) throw notFound('A fit');
      return overview;
    },
  );
  app.get(
    '/api/value/at-risk',
    {
      onRequest: requireRole(...ACCESS.value.read),
      schema: {
        tags,
        summary:
          'Valuable customers slipping away (model drop-out risk sharpened by cases, frustration and unanswered questions), with the reasons',
        querystring: atRiskQuery,
        response: { 200: atRiskSchema, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (req) => {
      const list = await atRiskList(req.query.limit);
      if (!list) throw notFound('A fit');
      return list;
    },
  );
  app.post(
    '/api/value/fit',
    {
      onRequest: requireRole(...ACCESS.value.write),
      schema: {
        tags,
        summary: 'Fit the customer value model as of a day (default today) in the background',
        body: valueFitBody,
        response: { 202: valueFitResponse, ...errorResponses(400, 401, 403) },
      },
    },
    async (req, reply) => {
      const asOf = await jobs.fit(req.body.asOf);
      await recordAudit({
        actor: actorOf(req),
        action: 'value.fit',
        targetType: 'value',
        targetId: asOf,
      });
      return reply.code(202).send({ queued: true, asOf });
    },
  );
}
