/**
 * Lead propensity: the logistic regression and AUC on known cases, then on a real Charla
 * (FerretDB): too little won/lost history → rule_fallback and no stored propensity; a synthetic
 * history where asking about pricing truly drives wins → time-split AUC well above 0.5, pricing
 * the top factor, open leads scored with it as their reason; GET /api/value/propensity.
 */
import { Types } from 'mongoose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Lead } from '../../../src/kernel/db/models/lead.js';
import { runPropensity } from '../../../src/features/propensity/index.js';
import { auc, fitLogistic, predict, solveSpd } from '../../../src/features/propensity/logistic.js';
import { staffWithRole, type Staff } from '../auth/staff-client.js';
import { startTestApp, type TestApp } from '../../support/app.js';

describe('logistic regression', () => {
  it('solves, ranks and learns a separating feature', () => {
    expect(
      solveSpd(
        [
          [4, 2],
          [2, 3],
        ],
        [2, 1],
      ).map((v) => Math.round(v * 1e6) / 1e6),
    ).toEqual([0.5, 0]);
    expect(auc([0.1, 0.4, 0.35, 0.8], [0, 0, 1, 1])).toBe(0.75);
    expect(auc([0.5, 0.5], [0, 1])).toBe(0.5);
    expect(auc([0.1, 0.2], [1, 1])).toBeNull();
    const noise = rng(9);
    const rows = Array.from({ length: 200 }, (_, i) => [i % 2, Math.floor(noise() * 5)]);
    const labels = rows.map(([a], i) => (a === 1 ? (i % 10 === 1 ? 0 : 1) : i % 10 === 0 ? 1 : 0));
    const m = fitLogistic(rows, labels, 1);
    expect(m.weights[0]!).toBeGreaterThan(1);
    expect(Math.abs(m.weights[1]!)).toBeLessThan(m.weights[0]! / 2);
    expect(predict(m, [1, 2])).toBeGreaterThan(0.7);
    expect(predict(m, [0, 2])).toBeLessThan(0.3);
  });
});

let app: TestApp;
let marketer: Staff;
beforeAll(async () => {
  app = await startTestApp();
  marketer = await staffWithRole(app, 'marketer');
});
afterAll(async () => app?.stop());

/** Deterministic pseudo-random numbers (mulberry32). */
function rng(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

async function addLeads(n: number, status: 'closed' | 'open', seed: number, from: number) {
  const random = rng(seed);
  const docs = Array.from({ length: n }, (_, i) => {
    const pricing = random() < 0.5;
    const won = random() < (pricing ? 0.8 : 0.15);
    const at = new Date(from + i * 3_600_000);
    return {
      _id: new Types.ObjectId(),
      channel: random() < 0.5 ? 'webchat' : 'telegram',
      language: random() < 0.5 ? 'es' : 'en',
      intentsSeen: pricing ? ['greeting', 'pricing'] : ['greeting'],
      marketingConsent: random() < 0.5,
      status: status === 'open' ? 'new' : won ? 'won' : 'lost',
      score: 0,
      scoreReasons: [],
      tags: [],
      createdAt: at,
      updatedAt: at,
    };
  });
  await Lead.collection.insertMany(docs);
  return docs;
}

describe('propensity on the install’s history', () => {
  it('falls back to the rule score with too little history', async () => {
    await addLeads(12, 'closed', 1, Date.UTC(2026, 0, 1));
    const open = await addLeads(3, 'open', 2, Date.UTC(2026, 5, 1));
    const view = await runPropensity();
    expect(view).toMatchObject({ status: 'rule_fallback', closed: 12, auc: null, topFactors: [] });
    const stored = await Lead.findById(open[0]!._id).lean();
    expect(stored?.propensity).toBeUndefined();
    const res = await marketer.call('GET', '/api/value/propensity');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: 'rule_fallback', minClosed: 30 });
    // The leads API says so: no propensity, the console labels the rule score as the guide.
    const list = await marketer.call('GET', '/api/leads?status=new&limit=200');
    const ids = new Set(open.map((o) => o._id.toHexString()));
    const mine = list.body.items.filter((l: { id: string }) => ids.has(l.id));
    expect(mine).toHaveLength(3);
    for (const l of mine) expect(l.propensity).toBeNull();
  });

  it('learns what drives wins: AUC well above chance, the driver as top factor', async () => {
    await addLeads(400, 'closed', 3, Date.UTC(2026, 1, 1));
    const open = await addLeads(20, 'open', 4, Date.UTC(2026, 6, 1));
    const view = await runPropensity();
    expect(view.status).toBe('model');
    expect(view.closed).toBe(412);
    expect(view.testSize).toBe(103);
    expect(view.auc!).toBeGreaterThan(0.75);
    expect(view.topFactors[0]).toMatchObject({ feature: 'intent:pricing' });
    expect(view.topFactors[0]!.weight).toBeGreaterThan(0);
    expect(view.openLeadsScored).toBe(23);
    const leads = await Lead.find({ _id: { $in: open.map((o) => o._id) } }).lean();
    const withPricing = leads.filter((l) => l.intentsSeen.includes('pricing'));
    const without = leads.filter((l) => !l.intentsSeen.includes('pricing'));
    expect(withPricing.length).toBeGreaterThan(0);
    expect(without.length).toBeGreaterThan(0);
    for (const l of withPricing) {
      expect(l.propensity!.p).toBeGreaterThan(0.55);
      expect(l.propensity!.factors[0]).toMatchObject({ feature: 'intent:pricing' });
    }
    for (const l of without) expect(l.propensity!.p).toBeLessThan(0.45);
    const res = await marketer.call('GET', '/api/value/propensity');
    expect(res.body).toMatchObject({ status: 'model', auc: view.auc });
    // The list and the lead page carry each lead's stored propensity and factors (read with the
    // lead itself: no query per lead).
    const list = await marketer.call('GET', '/api/leads?status=new&limit=200');
    const listed = new Map<string, { p: number; factors: { feature: string }[]; at: string }>(
      list.body.items.map((l: { id: string; propensity: never }) => [l.id, l.propensity]),
    );
    for (const l of leads) {
      const shown = listed.get(l._id.toHexString())!;
      expect(shown.p).toBe(l.propensity!.p);
      expect(shown.factors.map((f) => f.feature)).toEqual(
        l.propensity!.factors.map((f) => f.feature),
      );
      expect(shown.at).toBe(l.propensity!.at!.toISOString());
    }
    const one = await marketer.call('GET', `/api/leads/${withPricing[0]!._id.toHexString()}`);
    expect(one.body.lead.propensity.factors[0]).toMatchObject({ feature: 'intent:pricing' });
    expect(one.body.lead.propensity.p).toBeGreaterThan(0.55);
    const fit = await marketer.call('POST', '/api/value/propensity/fit');
    expect(fit.status).toBe(202);
  });
});
