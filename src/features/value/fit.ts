/**
 * One fit of the install's customer value, as the background job runs it: read the counted
 * orders (not cancelled or returned; amounts in BASE_CURRENCY) up to the as-of day, run
 * `fitValueModel`, store the model (`ValueFit`, by as-of day) and the per-contact scores in
 * buckets (store.ts), point `latest` at this run and delete older runs' buckets.
 */
import { randomUUID } from 'node:crypto';
import { Order } from '../../kernel/db/models/order.js';
import type { Order as ModelOrder } from './customer-summary.js';
import {
  bucketOf,
  CUSTOMERS_PER_BUCKET,
  ValueFit,
  ValueScores,
  type StoredScore,
  type ValueFitDoc,
} from './store.js';
import { fitValueModel } from './value-model.js';

export const COUNTED = { status: { $nin: ['cancelled', 'returned'] } };
const round = (n: number | null, digits = 4) =>
  n === null ? null : Math.round(n * 10 ** digits) / 10 ** digits;

/** The as-of day's end is included: orders placed before the next UTC midnight count. */
export const asOfDate = (day: string) => new Date(`${day}T00:00:00Z`);
export const dayOf = (d: Date) => d.toISOString().slice(0, 10);

export async function readCountedOrders(asOf: Date): Promise<ModelOrder[]> {
  const end = new Date(asOf.getTime() + 86_400_000);
  const orders: ModelOrder[] = [];
  const cursor = Order.collection.find(
    { ...COUNTED, placedAt: { $lt: end } },
    { projection: { _id: 0, contactId: 1, placedAt: 1, baseAmount: 1 }, batchSize: 5000 },
  );
  for await (const o of cursor) {
    orders.push({
      customerId: String(o.contactId),
      placedAt: o.placedAt as Date,
      amount: Number(o.baseAmount) || 0,
    });
  }
  return orders;
}

export interface FitResult {
  asOf: string;
  customers: number;
  orders: number;
  durationMs: number;
}

export async function runValueFit(
  asOfDay: string,
  opts: { baseCurrency: string; now?: () => Date },
): Promise<FitResult> {
  const started = performance.now();
  const orders = await readCountedOrders(asOfDate(asOfDay));
  const model = fitValueModel(orders, { asOf: asOfDate(asOfDay) });
  const runId = randomUUID();
  const buckets = Math.max(1, Math.ceil(model.customers / CUSTOMERS_PER_BUCKET));
  const byBucket: StoredScore[][] = Array.from({ length: buckets }, () => []);
  const segments: Record<string, number> = {};
  for (const s of model.scores) {
    segments[s.rfm.segment] = (segments[s.rfm.segment] ?? 0) + 1;
    byBucket[bucketOf(s.customerId, buckets)]!.push({
      c: s.customerId,
      e: round(s.expectedPurchases),
      p: round(s.probabilityActive),
      s: round(s.expectedAverageSpend, 2),
      v: round(s.clv, 2),
      rev: round(s.historicRevenue, 2)!,
      n: s.orders,
      x: s.frequency,
      d: s.daysSinceLast,
      r: [s.rfm.recency, s.rfm.frequency, s.rfm.monetary, s.rfm.segment],
    });
  }
  for (let i = 0; i < buckets; i += 100) {
    await ValueScores.collection.insertMany(
      byBucket
        .slice(i, i + 100)
        .map((scores, j) => ({ _id: `${runId}:${i + j}` as unknown as never, runId, scores })),
    );
  }
  const fittedAt = (opts.now ?? (() => new Date()))();
  const durationMs = Math.round(performance.now() - started);
  const fit: Omit<ValueFitDoc, '_id'> = {
    customers: model.customers,
    orders: orders.length,
    horizonDays: model.horizonDays,
    baseCurrency: opts.baseCurrency,
    bgnbd: model.bgnbd
      ? {
          r: model.bgnbd.r,
          alpha: model.bgnbd.alpha,
          a: model.bgnbd.a,
          b: model.bgnbd.b,
          logLikelihood: model.bgnbd.logLikelihood,
        }
      : null,
    gammaGamma: model.gammaGamma
      ? {
          p: model.gammaGamma.p,
          q: model.gammaGamma.q,
          v: model.gammaGamma.v,
          customers: model.gammaGamma.customers,
        }
      : null,
    segments,
    fittedAt,
    durationMs,
  };
  await ValueFit.collection.replaceOne(
    { _id: asOfDay as unknown as never },
    { ...fit, runId, buckets },
    { upsert: true },
  );
  await ValueFit.collection.replaceOne(
    { _id: 'latest' as unknown as never },
    { ...fit, latestAsOf: asOfDay, runId, buckets },
    { upsert: true },
  );
  // Older runs' scores are no longer read (a reader holding the old pointer meets no bucket and
  // shows no value block for a moment: acceptable for a nightly job).
  await ValueScores.collection.deleteMany({ runId: { $ne: runId } });
  return { asOf: asOfDay, customers: model.customers, orders: orders.length, durationMs };
}
