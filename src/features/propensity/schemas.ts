/**
 * The propensity API's shapes, declared once (routes, OpenAPI, console types). A schema file:
 * it imports only zod and other schema files.
 */
import { z } from 'zod';
import type { Endpoints } from '../../http/schemas.js';

/** Won + lost leads needed before a model is trained (and at least this many of each). */
export const MIN_CLOSED_LEADS = 30;
export const MIN_PER_CLASS = 5;

/** A feature's part in the log-odds: positive raises the chance of a win. */
export const propensityFactor = z
  .object({
    /** `channel:web`, `language:en`, `intent:pricing`, `consent`, `returned`, `messages`, `sentiment`, `frustrated`, `escalated`, `staffWait`, `customerOrders`, `customerRevenue`. */
    feature: z.string(),
    weight: z.number(),
  })
  .meta({ id: 'PropensityFactor' });
export type PropensityFactor = z.infer<typeof propensityFactor>;

export const leadPropensity = z
  .object({ p: z.number(), factors: z.array(propensityFactor), at: z.string().nullable() })
  .meta({ id: 'LeadPropensity' });

export const propensityModelSchema = z
  .object({
    /** `model`: trained; `rule_fallback`: too little history, the rule score stands. */
    status: z.enum(['model', 'rule_fallback']),
    trainedAt: z.string(),
    closed: z.number().int(),
    won: z.number().int(),
    lost: z.number().int(),
    minClosed: z.number().int(),
    /** Time split: the older 75 % of closed leads (by creation) train, the newer 25 % test. */
    trainSize: z.number().int(),
    testSize: z.number().int(),
    /** AUC on the newer leads; null without a model or with one class only in the test part. */
    auc: z.number().nullable(),
    /** The model's strongest factors (standardised weights), strongest first. */
    topFactors: z.array(propensityFactor),
    features: z.number().int(),
    openLeadsScored: z.number().int(),
    lambda: z.number(),
    durationMs: z.number(),
  })
  .meta({ id: 'PropensityModel' });
export type PropensityModelView = z.infer<typeof propensityModelSchema>;

export const propensityFitResponse = z.object({ queued: z.literal(true) });

export const propensityEndpoints = {
  'GET /api/value/propensity': { response: propensityModelSchema },
  'POST /api/value/propensity/fit': { response: propensityFitResponse },
} as const satisfies Endpoints;
