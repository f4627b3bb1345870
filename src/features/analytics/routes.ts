/**
 * Analytics (admin, marketer, viewer; read only, so nothing to audit), from the rollups in
 * src/features/analytics/:
 *   GET /api/analytics/summary?from=&to=&channel=&language=
 *   GET /api/analytics/timeseries?metric=&interval=day|week&from=&to=&channel=&language=
 *   GET /api/analytics/agents?from=&to=      per agent and team (agents.ts); agents.csv the same
 *   GET /api/analytics/revenue?from=&to=&windowDays=   orders and revenue per day, channel and
 *       attribution (revenue.ts, definitions there); revenue.csv per day
 * `from`/`to` are days (YYYY-MM-DD, UTC, inclusive); default the last 30 days up to today; the
 * range is at most 366 days. Definitions of every figure: src/features/analytics/definitions.ts.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { dayOf } from './definitions.js';
import {
  agentReportQuery,
  agentReportSchema,
  revenueQuery,
  revenueReportSchema,
  seriesQuery,
  summaryQuery,
  summarySchema,
  timeSeriesSchema,
} from './schemas.js';
import { agentReport } from './agents.js';
import { agentReportCsv } from './agents-csv.js';
import { revenueReport } from './revenue.js';
import { revenueCsv } from './revenue-csv.js';
import { analyticsSummary, analyticsTimeSeries } from './summary.js';
import { localeFromHeader } from '../catalogue/index.js';
import { requireRole } from '../../http/guard.js';
import { ACCESS } from '../../kernel/roles.js';
import { HttpError } from '../../http/errors.js';
import { errorResponses } from '../../http/schemas.js';

export const MAX_RANGE_DAYS = 366;
export const DEFAULT_RANGE_DAYS = 30;

/** The inclusive day range asked for, defaults filled in; 400 when inverted or too long. */
export function dayRange(
  req: FastifyRequest,
  q: { from?: string; to?: string },
  now = new Date(),
): { from: string; to: string } {
  const to = q.to ?? dayOf(now);
  const from =
    q.from ??
    dayOf(new Date(Date.parse(`${to}T00:00:00Z`) - (DEFAULT_RANGE_DAYS - 1) * 86_400_000));
  const es = localeFromHeader(req.headers['accept-language']) === 'es';
  if (from > to) {
    throw new HttpError(
      400,
      'invalid_request',
      es ? '`from` debe ser anterior a `to`.' : '`from` must not be after `to`.',
    );
  }
  const days = (Date.parse(to) - Date.parse(from)) / 86_400_000 + 1;
  if (days > MAX_RANGE_DAYS) {
    throw new HttpError(
      400,
      'invalid_request',
      es
        ? `El intervalo es de ${MAX_RANGE_DAYS} días como máximo.`
        : `The range is at most ${MAX_RANGE_DAYS} days.`,
    );
  }
  return { from, to };
}

export function mountAnalyticsRoutes(
  server: FastifyInstance,
  opts: { baseCurrency: string },
): void {
  const app = server.withTypeProvider<ZodTypeProvider>();
  const onRequest = requireRole(...ACCESS.analytics.read);
  const tags = ['analytics'];

  app.get(
    '/api/analytics/summary',
    {
      onRequest,
      schema: {
        tags,
        summary: 'Conversation, lead and case figures for a day range, by channel and language',
        querystring: summaryQuery,
        response: { 200: summarySchema, ...errorResponses(400, 401, 403) },
      },
    },
    async (req) => {
      const range = dayRange(req, req.query);
      return analyticsSummary({ ...req.query, ...range });
    },
  );

  app.get(
    '/api/analytics/timeseries',
    {
      onRequest,
      schema: {
        tags,
        summary: 'One figure per day or week (weeks start on Monday) of a day range',
        querystring: seriesQuery,
        response: { 200: timeSeriesSchema, ...errorResponses(400, 401, 403) },
      },
    },
    async (req) => {
      const range = dayRange(req, req.query);
      return analyticsTimeSeries({ ...req.query, ...range });
    },
  );

  app.get(
    '/api/analytics/agents',
    {
      onRequest,
      schema: {
        tags,
        summary:
          'Per agent and team: conversations handled, median first response and resolution, CSAT',
        querystring: agentReportQuery,
        response: { 200: agentReportSchema, ...errorResponses(400, 401, 403) },
      },
    },
    async (req) => agentReport(dayRange(req, req.query)),
  );

  app.get(
    '/api/analytics/agents.csv',
    {
      onRequest,
      schema: {
        tags,
        summary: 'The agent report as CSV (UTF-8 with BOM; headers in the Accept-Language)',
        querystring: agentReportQuery,
        produces: ['text/csv'],
      },
    },
    async (req, reply) => {
      const range = dayRange(req, req.query);
      const es = localeFromHeader(req.headers['accept-language']) === 'es';
      const csv = agentReportCsv(await agentReport(range), es ? 'es' : 'en');
      return reply
        .header('content-type', 'text/csv; charset=utf-8')
        .header(
          'content-disposition',
          `attachment; filename="agents-${range.from}-${range.to}.csv"`,
        )
        .header('cache-control', 'no-store')
        .send(csv);
    },
  );

  app.get(
    '/api/analytics/revenue',
    {
      onRequest,
      schema: {
        tags,
        summary:
          'Orders and revenue per day, by channel and by attribution (campaign, conversation) for a day range',
        querystring: revenueQuery,
        response: { 200: revenueReportSchema, ...errorResponses(400, 401, 403) },
      },
    },
    async (req) =>
      revenueReport({
        ...dayRange(req, req.query),
        currency: opts.baseCurrency,
        windowDays: req.query.windowDays,
      }),
  );

  app.get(
    '/api/analytics/revenue.csv',
    {
      onRequest,
      schema: {
        tags,
        summary: 'Orders and revenue per day with their attribution as CSV (UTF-8 with BOM)',
        querystring: revenueQuery,
        produces: ['text/csv'],
      },
    },
    async (req, reply) => {
      const range = dayRange(req, req.query);
      const es = localeFromHeader(req.headers['accept-language']) === 'es';
      const report = await revenueReport({
        ...range,
        currency: opts.baseCurrency,
        windowDays: req.query.windowDays,
      });
      return reply
        .header('content-type', 'text/csv; charset=utf-8')
        .header(
          'content-disposition',
          `attachment; filename="revenue-${range.from}-${range.to}.csv"`,
        )
        .header('cache-control', 'no-store')
        .send(revenueCsv(report, es ? 'es' : 'en'));
    },
  );
}
