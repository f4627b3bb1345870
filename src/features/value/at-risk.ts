/**
 * The churn view over the latest fit: the alert list (`GET /api/value/at-risk`), a contact's
 * churn risk (the contact view's `value.churn`), and the contacts behind the segment filters
 * (`contactsInRfmSegments`, `atRiskHighValueContacts`; the leads feature's segments use them).
 * The latest run's score buckets are read whole (100,000 customers: ~250 documents), Charla's
 * signals once per call (signals.ts).
 */
import { Types } from 'mongoose';
import { Contact } from '../../kernel/db/models/contact.js';
import { churnRisk, type ChurnRisk, type CustomerSignals, type ModelFacts } from './churn.js';
import type { RfmSegment } from './rfm.js';
import type { atRiskSchema } from './schemas.js';
import { installSignals } from './signals.js';
import { ValueFit, ValueScores, type StoredScore, type ValueFitDoc } from './store.js';
import type { z } from 'zod';

type AtRiskView = z.infer<typeof atRiskSchema>;

export function factsOf(s: StoredScore): ModelFacts {
  return {
    probabilityActive: s.p,
    frequency: s.x ?? null,
    daysSinceLast: s.d ?? null,
    historicRevenue: s.rev,
    recencyScore: s.r[0],
    monetaryScore: s.r[2],
    segment: s.r[3] as RfmSegment,
  };
}

export async function latestFit(): Promise<ValueFitDoc | null> {
  const doc = (await ValueFit.collection.findOne({
    _id: 'latest' as unknown as never,
  })) as unknown as ValueFitDoc | null;
  return doc?.runId ? doc : null;
}

/** Every score of the latest run (empty before a fit). */
export async function* latestScores(): AsyncGenerator<StoredScore> {
  const latest = await latestFit();
  if (!latest) return;
  const cursor = ValueScores.collection.find({ runId: latest.runId }, { batchSize: 20 });
  for await (const bucket of cursor) yield* (bucket as unknown as { scores: StoredScore[] }).scores;
}

interface Scored {
  score: StoredScore;
  churn: ChurnRisk;
}

async function atRiskScores(signals: Map<string, CustomerSignals>): Promise<Scored[]> {
  const out: Scored[] = [];
  for await (const score of latestScores()) {
    if (score.r[2] < 4) continue; // not high value: never on the list
    const churn = churnRisk(factsOf(score), signals.get(score.c));
    if (churn.atRisk) out.push({ score, churn });
  }
  // The value at stake first: risk × what the customer has spent.
  return out.sort((p, q) => q.churn.risk * q.score.rev - p.churn.risk * p.score.rev);
}

export const nameOf = (c: {
  name?: string | null;
  identities?: Array<{ displayName?: string | null }>;
  emails?: string[];
}) => c.name || c.identities?.find((i) => i.displayName)?.displayName || c.emails?.[0] || null;

export async function atRiskList(limit: number, now = new Date()): Promise<AtRiskView | null> {
  const latest = await latestFit();
  if (!latest) return null;
  const scored = await atRiskScores(await installSignals(now));
  const page = scored.slice(0, limit);
  const contacts = await Contact.find(
    { _id: { $in: page.map((s) => new Types.ObjectId(s.score.c)) } },
    { name: 1, identities: 1, emails: 1 },
  ).lean();
  const names = new Map(contacts.map((c) => [String(c._id), nameOf(c)]));
  return {
    asOf: latest.latestAsOf ?? '',
    currency: latest.baseCurrency,
    total: scored.length,
    customers: page.map(({ score: s, churn }) => ({
      contactId: s.c,
      name: names.get(s.c) ?? null,
      risk: churn.risk,
      probabilityActive: s.p,
      clv12m: s.v,
      historicRevenue: s.rev,
      orders: s.n,
      daysSinceLast: s.d ?? null,
      segment: s.r[3] as RfmSegment,
      reasons: churn.reasons,
    })),
  };
}

/** Contacts whose latest RFM segment is one of `segments`. */
export async function contactsInRfmSegments(
  segments: readonly string[],
): Promise<Types.ObjectId[]> {
  const ids: Types.ObjectId[] = [];
  for await (const s of latestScores()) {
    if (segments.includes(s.r[3]) && Types.ObjectId.isValid(s.c)) ids.push(new Types.ObjectId(s.c));
  }
  return ids;
}

/** Contacts on the alert list now ("at risk, high value"). */
export async function atRiskHighValueContacts(now = new Date()): Promise<Types.ObjectId[]> {
  const scored = await atRiskScores(await installSignals(now));
  return scored
    .filter((s) => Types.ObjectId.isValid(s.score.c))
    .map((s) => new Types.ObjectId(s.score.c));
}
