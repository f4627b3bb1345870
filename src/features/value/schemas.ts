/**
 * The value API's shapes, declared once (routes, OpenAPI, console types). A schema file: it
 * imports only zod and other schema files.
 */
import { z } from 'zod';
import type { Endpoints } from '../../http/schemas.js';
import { RFM_SEGMENTS } from '../../kernel/vocabulary.js';

const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date YYYY-MM-DD');
/** A calendar day that exists (1997-02-30 does not: Date would roll it over to March). */
const realDay = (v: string) => {
  const at = Date.parse(`${v}T00:00:00Z`);
  return !Number.isNaN(at) && new Date(at).toISOString().slice(0, 10) === v;
};
export const asOfDay = day.refine(realDay, {
  message: 'must be a real date',
});

export const valueModelQuery = z.object({ asOf: asOfDay.optional() });

export const bgNbdSchema = z.object({
  r: z.number(),
  alpha: z.number(),
  a: z.number(),
  b: z.number(),
  logLikelihood: z.number(),
  timeUnit: z.literal('week'),
});

export const gammaGammaSchema = z.object({
  p: z.number(),
  q: z.number(),
  v: z.number(),
  customers: z.number().int(),
});

export const valueModelSchema = z
  .object({
    asOf: z.string(),
    customers: z.number().int(),
    /** Null when there were too few repeat customers to fit the models. */
    bgnbd: bgNbdSchema.nullable(),
    gammaGamma: gammaGammaSchema.nullable(),
    baseCurrency: z.string(),
    horizonDays: z.number().int(),
    orders: z.number().int(),
    fittedAt: z.string(),
    durationMs: z.number(),
    segments: z.record(z.string(), z.number().int()),
  })
  .meta({ id: 'ValueModel' });
export type ValueModelView = z.infer<typeof valueModelSchema>;

export const valueFitBody = z.object({ asOf: asOfDay.optional() }).strict();
export const valueFitResponse = z.object({ queued: z.boolean(), asOf: z.string() });

export const rfmSchema = z.object({
  recency: z.number().int(),
  frequency: z.number().int(),
  monetary: z.number().int(),
  segment: z.enum(RFM_SEGMENTS),
});

/** Why a customer reads as slipping away (churn.ts). */
export const churnReasonSchema = z.discriminatedUnion('code', [
  z.object({ code: z.literal('probability_active_low'), value: z.number() }),
  z.object({ code: z.literal('lapsed'), days: z.number().int().nullable() }),
  z.object({ code: z.literal('rfm_segment'), segment: z.enum(RFM_SEGMENTS) }),
  z.object({ code: z.literal('open_case'), count: z.number().int() }),
  z.object({ code: z.literal('reopened_case'), count: z.number().int() }),
  z.object({ code: z.literal('frustrated') }),
  z.object({ code: z.literal('unanswered'), count: z.number().int() }),
]);

export const churnSchema = z.object({
  /** 0–1: the model's drop-out risk sharpened by cases, frustration and unanswered questions. */
  risk: z.number(),
  modelRisk: z.number(),
  highValue: z.boolean(),
  /** risk ≥ 0.5 and high value: on the alert list. */
  atRisk: z.boolean(),
  reasons: z.array(churnReasonSchema),
});

/** A contact's value as of the latest fit (the contact view's `value` block). */
export const contactValueSchema = z
  .object({
    asOf: z.string(),
    currency: z.string(),
    expectedPurchases90d: z.number().nullable(),
    probabilityActive: z.number().nullable(),
    clv12m: z.number().nullable(),
    expectedAverageSpend: z.number().nullable(),
    historicRevenue: z.number(),
    orders: z.number().int(),
    rfm: rfmSchema,
    churn: churnSchema,
  })
  .meta({ id: 'ContactValue' });
export type ContactValueView = z.infer<typeof contactValueSchema>;

/** A lead's customer in lists: 12-month CLV (discounted) and historic revenue and orders, as of the latest fit. */
export const leadCustomerValueSchema = z
  .object({
    currency: z.string(),
    clv12m: z.number().nullable(),
    historicRevenue: z.number(),
    orders: z.number().int(),
  })
  .meta({ id: 'LeadCustomerValue' });

/** Both optional: the holdout ends on the last counted order's day, the calibration 39 weeks before (or halfway). */
export const backtestQuery = z
  .object({ calibrationEnd: asOfDay.optional(), holdoutEnd: asOfDay.optional() })
  .refine((q) => !q.calibrationEnd || !q.holdoutEnd || q.calibrationEnd < q.holdoutEnd, {
    message: 'calibrationEnd must be before holdoutEnd',
    path: ['holdoutEnd'],
  });

const weekFigures = {
  predicted: z.number(),
  actual: z.number().int(),
  predictedCumulative: z.number(),
  actualCumulative: z.number().int(),
};

export const backtestSchema = z
  .object({
    calibrationEnd: z.string(),
    holdoutEnd: z.string(),
    /** Customers with a purchase on or before the calibration end (the cohort). */
    customers: z.number().int(),
    bgnbd: bgNbdSchema,
    /** Holdout weeks: Σ E[Y | x, tₓ, T] per customer against actual repeat purchase days. */
    weeks: z.array(z.object({ week: z.number().int(), ...weekFigures })),
    /** The cohort over calibration and holdout: Σ E[X(t)] from each first purchase (FHL 2005, fig. 3). */
    tracking: z.array(
      z.object({ start: z.string(), period: z.enum(['calibration', 'holdout']), ...weekFigures }),
    ),
    byFrequency: z.array(
      z.object({
        frequency: z.number().int(),
        customers: z.number().int(),
        predictedMean: z.number(),
        actualMean: z.number(),
      }),
    ),
    errors: z.object({
      totalPredicted: z.number(),
      totalActual: z.number().int(),
      cumulativeErrorPct: z.number(),
      weeklyMae: z.number(),
      weeklyMape: z.number(),
      customerMae: z.number(),
      customerRmse: z.number(),
      /** Null when the fit allows no cohort tracking (a + b ≤ 1; `tracking` is then empty). */
      trackingErrorPct: z.number().nullable(),
    }),
  })
  .meta({ id: 'ValueBacktest' });
export type BacktestView = z.infer<typeof backtestSchema>;

export const atRiskQuery = z.object({
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

export const atRiskCustomerSchema = z.object({
  contactId: z.string(),
  name: z.string().nullable(),
  risk: z.number(),
  probabilityActive: z.number().nullable(),
  clv12m: z.number().nullable(),
  historicRevenue: z.number(),
  orders: z.number().int(),
  daysSinceLast: z.number().int().nullable(),
  segment: z.enum(RFM_SEGMENTS),
  reasons: z.array(churnReasonSchema),
});

export const atRiskSchema = z
  .object({
    asOf: z.string(),
    currency: z.string(),
    /** All customers on the alert list (the list shows the first `limit`, riskiest value first). */
    total: z.number().int(),
    customers: z.array(atRiskCustomerSchema),
  })
  .meta({ id: 'ValueAtRisk' });

export const overviewQuery = z.object({
  top: z.coerce.number().int().min(1).max(100).default(10),
});

export const overviewSchema = z
  .object({
    asOf: z.string(),
    currency: z.string(),
    customers: z.number().int(),
    /** Customers by 12-month CLV: ten equal bins up to the 99th percentile, the last open. */
    clvDistribution: z.array(
      z.object({ from: z.number(), to: z.number(), customers: z.number().int() }),
    ),
    /** By 12-month CLV (historic revenue where the model was not fitted). */
    topCustomers: z.array(
      z.object({
        contactId: z.string(),
        name: z.string().nullable(),
        clv12m: z.number().nullable(),
        probabilityActive: z.number().nullable(),
        expectedPurchases90d: z.number().nullable(),
        historicRevenue: z.number(),
        orders: z.number().int(),
        segment: z.enum(RFM_SEGMENTS),
      }),
    ),
    /** Cells of the recency × frequency grid that hold customers (scores 1–5). */
    rfmGrid: z.array(
      z.object({
        recency: z.number().int(),
        frequency: z.number().int(),
        customers: z.number().int(),
        revenue: z.number(),
      }),
    ),
  })
  .meta({ id: 'ValueOverview' });
export type ValueOverview = z.infer<typeof overviewSchema>;

export const valueEndpoints = {
  'GET /api/value/overview': { query: overviewQuery, response: overviewSchema },
  'GET /api/value/at-risk': { query: atRiskQuery, response: atRiskSchema },
  'GET /api/value/backtest': { query: backtestQuery, response: backtestSchema },
  'GET /api/value/model': { query: valueModelQuery, response: valueModelSchema },
  'POST /api/value/fit': { body: valueFitBody, response: valueFitResponse },
} as const satisfies Endpoints;
