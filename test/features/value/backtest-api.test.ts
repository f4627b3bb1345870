/**
 * The backtest as a feature (GET /api/value/backtest) on a real Charla: the CDNOW sample's
 * transactions (2,357 customers, 1997-01-01 … 1998-06-30) go in through POST /api/orders; the
 * backtest fits the calibration period and predicts the holdout. Checked against the literature
 * (FHL 2005, figure 3) rather than against our own numbers: the cohort's cumulative repeat
 * purchases tracked within a few % over calibration and holdout, the calibration's published
 * parameters, and the holdout's actual counts recomputed here from the raw file.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { summariseOrders } from '../../../src/features/value/customer-summary.js';
import { staffWithRole, type Staff } from '../auth/staff-client.js';
import { startTestApp, type TestApp } from '../../support/app.js';
import { CALIBRATION_END, HOLDOUT_END, readCdnowOrders, sampleMasterIds } from './cdnow.js';

let app: TestApp;
let marketer: Staff;
let agent: Staff;
const all = readCdnowOrders();
const ids = new Set(sampleMasterIds(summariseOrders(all, CALIBRATION_END)));
const sample = all.filter((o) => ids.has(o.customerId));
const day = (d: Date) => d.toISOString().slice(0, 10);

/** Distinct (customer, day) purchases after the first purchase day, in (from, to]. */
function repeatPurchaseDays(from: string, to: string): number {
  const first = new Map<string, string>();
  for (const o of sample) {
    const d = day(o.placedAt);
    if (!first.has(o.customerId) || d < first.get(o.customerId)!) first.set(o.customerId, d);
  }
  const seen = new Set<string>();
  for (const o of sample) {
    const d = day(o.placedAt);
    if (d > from && d <= to && d > first.get(o.customerId)!) seen.add(`${o.customerId}:${d}`);
  }
  return seen.size;
}

beforeAll(async () => {
  app = await startTestApp({ BASE_CURRENCY: 'USD' });
  marketer = await staffWithRole(app, 'marketer');
  agent = await staffWithRole(app, 'agent');
  expect(ids.size).toBe(2357);
  const orders = sample.map((o, i) => ({
    externalId: `cdnow-${i}`,
    customer: { externalId: `cdnow-${o.customerId}` },
    placedAt: o.placedAt.toISOString(),
    amount: o.amount,
    currency: 'USD',
    status: 'delivered' as const,
  }));
  const res = await marketer.call('POST', '/api/orders', { orders });
  expect(res.status).toBe(200);
}, 180_000);
afterAll(async () => app?.stop());

const within1pct = (got: number, published: number) =>
  expect(Math.abs(got / published - 1), `${got} vs ${published}`).toBeLessThan(0.01);

describe('GET /api/value/backtest on the CDNOW sample', () => {
  it('the 39 + 39 week split tracks the cohort within a few %, as in the literature', async () => {
    const res = await marketer.call(
      'GET',
      `/api/value/backtest?calibrationEnd=${day(CALIBRATION_END)}&holdoutEnd=${day(HOLDOUT_END)}`,
    );
    expect(res.status).toBe(200);
    const bt = res.body;
    expect(bt).toMatchObject({ calibrationEnd: '1997-09-30', holdoutEnd: '1998-06-30' });
    expect(bt.customers).toBe(2357);
    within1pct(bt.bgnbd.r, 0.243);
    within1pct(bt.bgnbd.alpha, 4.414);
    within1pct(bt.bgnbd.a, 0.793);
    within1pct(bt.bgnbd.b, 2.426);
    // Actual figures are the data's, recounted here independently of the feature.
    const calibration = repeatPurchaseDays('1996-12-31', '1997-09-30');
    const holdout = repeatPurchaseDays('1997-09-30', '1998-06-30');
    expect(bt.errors.totalActual).toBe(holdout);
    expect(bt.weeks).toHaveLength(39);
    expect(bt.tracking).toHaveLength(78);
    expect(bt.tracking.filter((w: { period: string }) => w.period === 'holdout')).toHaveLength(39);
    const tracked = bt.tracking as Array<{ actualCumulative: number; predictedCumulative: number }>;
    expect(tracked[38]!.actualCumulative).toBe(calibration);
    expect(tracked[77]!.actualCumulative).toBe(calibration + holdout);
    // FHL 2005, fig. 3: the cumulative curve follows the actual one over the 78 weeks.
    expect(Math.abs(tracked[38]!.predictedCumulative / calibration - 1)).toBeLessThan(0.03);
    expect(Math.abs(bt.errors.trackingErrorPct)).toBeLessThan(5);
    // Weekly figures add up, and the errors are what the weeks say.
    const sumPredicted = bt.weeks.reduce(
      (s: number, w: { predicted: number }) => s + w.predicted,
      0,
    );
    expect(sumPredicted).toBeCloseTo(bt.errors.totalPredicted, 6);
    const pct = (100 * (bt.errors.totalPredicted - holdout)) / holdout;
    expect(bt.errors.cumulativeErrorPct).toBeCloseTo(pct, 6);
    expect(bt.errors.weeklyMae).toBeGreaterThan(0);
    // FHL 2005, fig. 4: customers who bought more before buy more after, and so predicted.
    const means = bt.byFrequency.map((row: { predictedMean: number }) => row.predictedMean);
    expect(means).toEqual([...means].sort((a: number, b: number) => a - b));
    const actual = bt.byFrequency.map((row: { actualMean: number }) => row.actualMean);
    expect(actual[actual.length - 1]).toBeGreaterThan(actual[0]);
  }, 120_000);

  it('without a split: the holdout ends on the last order day, calibration 39 weeks or halfway before', async () => {
    const times = sample.map((o) => o.placedAt.getTime());
    const last = day(new Date(Math.max(...times)));
    const span = (Date.parse(last) - Date.parse(day(new Date(Math.min(...times))))) / 86_400_000;
    const res = await marketer.call('GET', '/api/value/backtest');
    expect(res.status).toBe(200);
    expect(res.body.holdoutEnd).toBe(last);
    const gap = Date.parse(res.body.holdoutEnd) - Date.parse(res.body.calibrationEnd);
    expect(gap / 86_400_000).toBe(Math.min(273, Math.floor(span / 2)));
  }, 120_000);

  it('refuses bad splits and roles without value access, and says when history is too short', async () => {
    const bad = [
      'calibrationEnd=1998-01-01&holdoutEnd=1997-06-01',
      'calibrationEnd=1997-02-30',
      'holdoutEnd=tomorrow',
      'calibrationEnd=1997-01-31&holdoutEnd=1999-06-30',
    ];
    for (const q of bad) {
      const r = await marketer.call('GET', `/api/value/backtest?${q}`);
      expect(r.status, q).toBe(400);
      expect(r.body.error.code).toEqual(expect.any(String));
    }
    const short = await marketer.call(
      'GET',
      '/api/value/backtest?calibrationEnd=1997-01-03&holdoutEnd=1997-03-01',
    );
    expect(short.status).toBe(409);
    expect(short.body.error.code).toBe('too_little_history');
    expect((await agent.call('GET', '/api/value/backtest')).status).toBe(403);
  }, 120_000);
});
