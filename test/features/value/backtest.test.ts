import { describe, expect, it } from 'vitest';
import { backtest } from '../../../src/features/value/backtest.js';
import type { Order } from '../../../src/features/value/customer-summary.js';
import { CALIBRATION_END, HOLDOUT_END, readCdnowOrders } from './cdnow.js';

describe('backtest on the full CDNOW cohort', () => {
  const result = backtest(readCdnowOrders(), {
    calibrationEnd: CALIBRATION_END,
    holdoutEnd: HOLDOUT_END,
  });

  it('fits the 23,570 customers on the calibration period and tracks the 39 holdout weeks', () => {
    expect(result.calibrationEnd).toBe('1997-09-30');
    expect(result.holdoutEnd).toBe('1998-06-30');
    expect(result.customers).toBe(23_570);
    expect(result.bgnbd.converged).toBe(true);
    // The full cohort's parameters are of the same order as the 1-in-10 sample's.
    expect(result.bgnbd.r).toBeGreaterThan(0.2);
    expect(result.bgnbd.r).toBeLessThan(0.3);
    expect(result.weeks).toHaveLength(39);
    const last = result.weeks[38]!;
    expect(last.actualCumulative).toBe(result.weeks.reduce((s, w) => s + w.actual, 0));
    expect(last.predictedCumulative).toBeCloseTo(result.errors.totalPredicted, 6);
  });

  it('predicts the holdout within plausible error', () => {
    const { errors } = result;
    // Measured: 16,874 predicted against 19,684 actual repeat purchase days (−14.3 %), weekly
    // MAPE 15 %: the BG/NBD's known under-prediction on CDNOW's holdout, not a coding slip
    // (the sample's published parameters and expectations are reproduced in bg-nbd.test.ts).
    expect(errors.totalActual).toBe(19_684);
    expect(Math.abs(errors.cumulativeErrorPct)).toBeLessThan(20);
    expect(errors.weeklyMape).toBeLessThan(25);
    expect(errors.customerMae).toBeLessThan(1);
    // Customers who bought more in the calibration period buy more in the holdout, as predicted.
    const means = result.byFrequency.map((row) => row.predictedMean);
    expect(means).toEqual([...means].sort((a, b) => a - b));
    for (const row of result.byFrequency) {
      expect(Math.abs(row.predictedMean - row.actualMean)).toBeLessThan(0.5);
    }
  });
});

describe('backtest arithmetic', () => {
  const day = (d: string, customerId: string, amount = 10): Order => ({
    customerId,
    placedAt: new Date(`${d}T12:00:00Z`),
    amount,
  });
  const orders: Order[] = [];
  for (let i = 0; i < 40; i++) {
    const id = `c${i}`;
    orders.push(day('2026-01-01', id), day(`2026-01-${String(2 + (i % 20)).padStart(2, '0')}`, id));
    if (i % 2) orders.push(day('2026-02-03', id), day('2026-02-03', id)); // one holdout day
  }

  it('cuts a holdout of 10 days into a full week and a 3-day week, counting purchase days', () => {
    const result = backtest(orders, {
      calibrationEnd: new Date('2026-01-31T00:00:00Z'),
      holdoutEnd: new Date('2026-02-10T00:00:00Z'),
    });
    expect(result.weeks.map((w) => w.actual)).toEqual([20, 0]);
    expect(result.errors.totalActual).toBe(20);
    expect(result.weeks[1]!.predicted).toBeLessThan(result.weeks[0]!.predicted);
    expect(result.byFrequency).toEqual([expect.objectContaining({ frequency: 1, customers: 40 })]);
    // Tracking: weeks counted back from 2026-01-31 (the first one 2 days long), then the holdout.
    expect(result.tracking.map((w) => w.start)).toEqual([
      '2026-01-01',
      '2026-01-04',
      '2026-01-11',
      '2026-01-18',
      '2026-01-25',
      '2026-02-01',
      '2026-02-08',
    ]);
    expect(result.tracking.map((w) => w.period)).toEqual([
      ...Array(5).fill('calibration'),
      'holdout',
      'holdout',
    ]);
    // 40 repeat purchases in calibration (two customers a day, 2–21 January), 20 in the holdout.
    expect(result.tracking.map((w) => w.actual)).toEqual([4, 14, 14, 8, 0, 20, 0]);
    expect(result.tracking[4]!.actualCumulative).toBe(40);
    expect(result.tracking[0]!.predicted).toBeGreaterThan(0);
  });

  it('refuses a holdout that does not end after the calibration period', () => {
    const end = new Date('2026-01-31T00:00:00Z');
    expect(() => backtest(orders, { calibrationEnd: end, holdoutEnd: end })).toThrow(RangeError);
  });
});

describe('backtest of a fit where E[X(t)] is undefined', () => {
  it('answers the holdout figures with an empty cohort tracking (a + b ≤ 1)', () => {
    const DAY = 86_400_000;
    const base = Date.UTC(2026, 5, 1);
    const orders: Order[] = [];
    const add = (id: string, days: number[], amount: number) =>
      days.forEach((d) =>
        orders.push({ customerId: id, placedAt: new Date(base - d * DAY), amount }),
      );
    const every = (step: number, from: number, to: number) =>
      Array.from({ length: Math.floor((to - from) / step) + 1 }, (_, k) => from + k * step);
    for (let i = 0; i < 30; i++) add(`s${i}`, every(14, 2 + (i % 10), 300), 20);
    for (let i = 0; i < 15; i++) add(`l${i}`, every(7, 250 + i, 400), 30);
    const result = backtest(orders, {
      calibrationEnd: new Date(base - 200 * DAY),
      holdoutEnd: new Date(base),
    });
    expect(result.bgnbd.a + result.bgnbd.b).toBeLessThanOrEqual(1);
    expect(result.tracking).toEqual([]);
    expect(result.errors.trackingErrorPct).toBeNull();
    expect(result.errors.totalActual).toBeGreaterThan(0);
    expect(result.weeks.length).toBeGreaterThan(0);
  });
});
