/**
 * The analytics API's shapes, declared once: the routes validate and document with them, the
 * console imports the types (console/README.md). A schema file: it imports only zod, other schema
 * files and the kernel's vocabulary.
 */
import { z } from 'zod';
import { type Endpoints } from '../../http/schemas.js';
import {
  ANALYTICS_CHANNELS,
  ANALYTICS_METRICS,
  LOCALES,
  type AnalyticsMetric,
} from '../../kernel/vocabulary.js';

const blank = (v: unknown) => (v === '' ? undefined : v);
const day = z.iso.date();
const filterQuery = {
  from: z.preprocess(blank, day.optional()),
  to: z.preprocess(blank, day.optional()),
  channel: z.preprocess(blank, z.enum(ANALYTICS_CHANNELS).optional()),
  language: z.preprocess(blank, z.enum(LOCALES).optional()),
};
export const summaryQuery = z.object(filterQuery);
export const seriesQuery = z.object({
  ...filterQuery,
  metric: z.enum(ANALYTICS_METRICS),
  interval: z.enum(['day', 'week']).default('day'),
});

const value = z.number().nullable();
export const figuresSchema = z
  .object(
    Object.fromEntries(ANALYTICS_METRICS.map((m) => [m, value])) as Record<
      AnalyticsMetric,
      typeof value
    >,
  )
  .meta({ id: 'AnalyticsFigures' });
export const summarySchema = figuresSchema
  .extend({
    from: z.string(),
    to: z.string(),
    byChannel: z.record(z.string(), figuresSchema),
    byLanguage: z.record(z.string(), figuresSchema),
    topIntents: z.array(z.object({ intent: z.string(), count: z.number().int() })),
    topUnanswered: z.array(z.object({ text: z.string(), count: z.number().int() })),
  })
  .meta({ id: 'AnalyticsSummary' });
export const timeSeriesSchema = z
  .object({
    metric: z.enum(ANALYTICS_METRICS),
    interval: z.enum(['day', 'week']),
    from: z.string(),
    to: z.string(),
    points: z.array(z.object({ date: z.string(), value })),
  })
  .meta({ id: 'AnalyticsTimeSeries' });

export const agentReportQuery = z.object({
  from: filterQuery.from,
  to: filterQuery.to,
});
export const agentReportRowSchema = z
  .object({
    kind: z.enum(['agent', 'team']),
    /** Staff id (`user:<id>`, or a Slack user id) or team id. */
    id: z.string(),
    name: z.string(),
    handled: z.number().int(),
    medianFirstResponseSeconds: value,
    medianResolutionSeconds: value,
    csatAverage: value,
    csatResponses: z.number().int(),
  })
  .meta({ id: 'AgentReportRow' });
export const agentReportSchema = z
  .object({
    from: z.string(),
    to: z.string(),
    agents: z.array(agentReportRowSchema),
    teams: z.array(agentReportRowSchema),
  })
  .meta({ id: 'AgentReport' });
export type AgentReportRow = z.infer<typeof agentReportRowSchema>;
export type AgentReport = z.infer<typeof agentReportSchema>;

// ── Revenue (GET /api/analytics/revenue, revenue.ts; definitions there) ──────────────────────

/** Days before an order in which a campaign send or reply, or a conversation, counts as preceding it. */
export const ATTRIBUTION_WINDOW_DAYS = 7;
export const ATTRIBUTIONS = ['campaign', 'conversation', 'none'] as const;
export const revenueQuery = z.object({
  from: filterQuery.from,
  to: filterQuery.to,
  /** The attribution window in days (1–90; default ATTRIBUTION_WINDOW_DAYS). */
  windowDays: z.preprocess(blank, z.coerce.number().int().min(1).max(90).optional()),
});
const amounts = { orders: z.number().int(), revenue: z.number() };
export const revenueDaySchema = z.object({
  date: z.string(),
  ...amounts,
  campaignOrders: z.number().int(),
  campaignRevenue: z.number(),
  conversationOrders: z.number().int(),
  conversationRevenue: z.number(),
});
export const revenueReportSchema = z
  .object({
    from: z.string(),
    to: z.string(),
    /** BASE_CURRENCY: every amount is the orders' base amount. */
    currency: z.string(),
    windowDays: z.number().int(),
    ...amounts,
    /** revenue / orders; null without orders. */
    averageOrder: z.number().nullable(),
    /** Orders placed in the range that were cancelled or returned (not in the figures). */
    cancelledOrReturned: z.number().int(),
    perDay: z.array(revenueDaySchema),
    /** By the channel of the last touch in the window (`none`: no touch). */
    byChannel: z.array(z.object({ channel: z.string(), ...amounts })),
    byAttribution: z.object(
      Object.fromEntries(ATTRIBUTIONS.map((a) => [a, z.object(amounts)])) as Record<
        (typeof ATTRIBUTIONS)[number],
        z.ZodObject<typeof amounts>
      >,
    ),
    byCampaign: z.array(z.object({ campaignId: z.string(), name: z.string(), ...amounts })),
  })
  .meta({ id: 'RevenueReport' });
export type RevenueReport = z.infer<typeof revenueReportSchema>;
export type RevenueDay = z.infer<typeof revenueDaySchema>;

export type Figures = z.infer<typeof figuresSchema>;
export type AnalyticsSummary = z.infer<typeof summarySchema>;
export type AnalyticsTimeSeries = z.infer<typeof timeSeriesSchema>;

export const analyticsEndpoints = {
  'GET /api/analytics/summary': { query: summaryQuery, response: summarySchema },
  'GET /api/analytics/timeseries': { query: seriesQuery, response: timeSeriesSchema },
  'GET /api/analytics/agents': { query: agentReportQuery, response: agentReportSchema },
  'GET /api/analytics/revenue': { query: revenueQuery, response: revenueReportSchema },
} as const satisfies Endpoints;
