/**
 * GET /api/value/overview: what the value page draws from the latest fit — the CLV distribution
 * (customers by 12-month CLV in ten equal-width bins up to the 99th percentile, the rest in the
 * last), the top customers by CLV, and the RFM grid (customers and revenue by recency ×
 * frequency score). One pass over the latest run's buckets.
 */
import { Types } from 'mongoose';
import { Contact } from '../../kernel/db/models/contact.js';
import { latestFit, latestScores, nameOf } from './at-risk.js';
import type { RfmSegment } from './rfm.js';
import type { ValueOverview } from './schemas.js';
import type { StoredScore } from './store.js';

const BINS = 10;

function histogram(values: number[]): ValueOverview['clvDistribution'] {
  if (values.length === 0) return [];
  const sorted = [...values].sort((a, b) => a - b);
  const top = sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * 0.99))]!;
  const width = top > 0 ? top / BINS : 1;
  const bins = Array.from({ length: BINS }, (_, k) => ({
    from: k * width,
    to: (k + 1) * width,
    customers: 0,
  }));
  for (const v of values) bins[Math.min(BINS - 1, Math.floor(v / width))]!.customers++;
  bins[BINS - 1]!.to = Math.max(bins[BINS - 1]!.to, sorted[sorted.length - 1]!);
  return bins;
}

export async function valueOverview(top: number): Promise<ValueOverview | null> {
  const latest = await latestFit();
  if (!latest) return null;
  const clvs: number[] = [];
  const best: StoredScore[] = [];
  const grid = new Map<string, { customers: number; revenue: number }>();
  for await (const s of latestScores()) {
    if (s.v !== null) clvs.push(s.v);
    const key = `${s.r[0]}:${s.r[1]}`;
    const cell = grid.get(key) ?? { customers: 0, revenue: 0 };
    cell.customers++;
    cell.revenue += s.rev;
    grid.set(key, cell);
    best.push(s);
    if (best.length > top * 4) {
      best.sort((p, q) => (q.v ?? q.rev) - (p.v ?? p.rev));
      best.length = top;
    }
  }
  best.sort((p, q) => (q.v ?? q.rev) - (p.v ?? p.rev));
  const page = best.slice(0, top);
  const contacts = await Contact.find(
    {
      _id: {
        $in: page.filter((s) => Types.ObjectId.isValid(s.c)).map((s) => new Types.ObjectId(s.c)),
      },
    },
    { name: 1, identities: 1, emails: 1 },
  ).lean();
  const names = new Map(contacts.map((c) => [String(c._id), nameOf(c)]));
  return {
    asOf: latest.latestAsOf ?? '',
    currency: latest.baseCurrency,
    customers: latest.customers,
    clvDistribution: histogram(clvs),
    topCustomers: page.map((s) => ({
      contactId: s.c,
      name: names.get(s.c) ?? null,
      clv12m: s.v,
      probabilityActive: s.p,
      expectedPurchases90d: s.e,
      historicRevenue: s.rev,
      orders: s.n,
      segment: s.r[3] as RfmSegment,
    })),
    rfmGrid: [...grid].map(([key, cell]) => {
      const [recency, frequency] = key.split(':').map(Number);
      return { recency: recency!, frequency: frequency!, ...cell };
    }),
  };
}
