/** Stored fits as the API shows them. */
import type { Types } from 'mongoose';
import { bucketOf, ValueFit, ValueScores, type StoredScore, type ValueFitDoc } from './store.js';
import type { ContactValueView, ValueModelView } from './schemas.js';
import type { RfmSegment } from './rfm.js';
import { factsOf } from './at-risk.js';
import { churnRisk } from './churn.js';
import { contactSignals } from './signals.js';

export function valueModelView(doc: ValueFitDoc, asOf: string): ValueModelView {
  const b = doc.bgnbd;
  const g = doc.gammaGamma;
  return {
    asOf,
    customers: doc.customers,
    bgnbd: b
      ? {
          r: b.r!,
          alpha: b.alpha!,
          a: b.a!,
          b: b.b!,
          logLikelihood: b.logLikelihood!,
          timeUnit: 'week',
        }
      : null,
    gammaGamma: g ? { p: g.p!, q: g.q!, v: g.v!, customers: g.customers! } : null,
    baseCurrency: doc.baseCurrency,
    horizonDays: doc.horizonDays,
    orders: doc.orders,
    fittedAt: new Date(doc.fittedAt).toISOString(),
    durationMs: doc.durationMs,
    segments: doc.segments ?? {},
  };
}

/** The fit as of `asOf` (a day), or the latest fit; null when there is none. */
export async function findValueModel(asOf?: string): Promise<ValueModelView | null> {
  const doc = (await ValueFit.collection.findOne({
    _id: (asOf ?? 'latest') as unknown as never,
  })) as unknown as ValueFitDoc | null;
  if (!doc) return null;
  return valueModelView(doc, asOf ?? doc.latestAsOf ?? '');
}

/** A contact's value as of the latest fit (one read by `_id` of its bucket); null before any. */
export async function contactValue(
  contactId: Types.ObjectId | string,
): Promise<ContactValueView | null> {
  const latest = (await ValueFit.collection.findOne({
    _id: 'latest' as unknown as never,
  })) as unknown as ValueFitDoc | null;
  if (!latest?.runId || !latest.buckets) return null;
  const id = String(contactId);
  const bucket = (await ValueScores.collection.findOne({
    _id: `${latest.runId}:${bucketOf(id, latest.buckets)}` as unknown as never,
  })) as unknown as { scores: StoredScore[] } | null;
  const s = bucket?.scores.find((x) => x.c === id);
  if (!s) return null;
  const { risk, modelRisk, highValue, atRisk, reasons } = churnRisk(
    factsOf(s),
    await contactSignals(id),
  );
  return {
    asOf: latest.latestAsOf ?? '',
    currency: latest.baseCurrency,
    expectedPurchases90d: s.e,
    probabilityActive: s.p,
    clv12m: s.v,
    expectedAverageSpend: s.s,
    historicRevenue: s.rev,
    orders: s.n,
    rfm: { recency: s.r[0], frequency: s.r[1], monetary: s.r[2], segment: s.r[3] as RfmSegment },
    churn: { risk, modelRisk, highValue, atRisk, reasons },
  };
}

/** What a list of leads shows of its customers: 12-month CLV, historic revenue and orders. */
export interface ContactValueBrief {
  currency: string;
  clv12m: number | null;
  historicRevenue: number;
  orders: number;
}

/**
 * Several contacts' value as of the latest fit, in two reads whatever their number: the latest
 * fit, then the buckets holding them (`_id: {$in}`). Contacts without scores are absent.
 */
export async function contactValues(
  contactIds: Array<Types.ObjectId | string>,
): Promise<Map<string, ContactValueBrief>> {
  const out = new Map<string, ContactValueBrief>();
  const wanted = new Set(contactIds.map(String));
  if (wanted.size === 0) return out;
  const latest = (await ValueFit.collection.findOne({
    _id: 'latest' as unknown as never,
  })) as unknown as ValueFitDoc | null;
  if (!latest?.runId || !latest.buckets) return out;
  const bucketIds = [...new Set([...wanted].map((id) => bucketOf(id, latest.buckets!)))].map(
    (b) => `${latest.runId}:${b}`,
  );
  const buckets = (await ValueScores.collection
    .find({ _id: { $in: bucketIds as unknown as never[] } })
    .toArray()) as unknown as Array<{ scores: StoredScore[] }>;
  for (const bucket of buckets) {
    for (const s of bucket.scores ?? []) {
      if (!wanted.has(s.c)) continue;
      out.set(s.c, {
        currency: latest.baseCurrency,
        clv12m: s.v,
        historicRevenue: s.rev,
        orders: s.n,
      });
    }
  }
  return out;
}
