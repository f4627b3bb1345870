/**
 * The backtest: fit the BG/NBD on a calibration period, predict the holdout that follows, and
 * compare with what the customers actually did (FHL 2005, section 4: the tracking plot and the
 * conditional expectations by calibration frequency).
 *
 * The cohort is every customer with a purchase on or before the calibration end. For each
 * holdout week the prediction is Σ E[Y(week end) | x, tₓ, T] − E[Y(week start) | …] over the
 * cohort; the actual figure is the cohort's purchase days in that week (same-day orders merged,
 * as in the calibration summary). The last week is shorter when the holdout is not whole weeks.
 */
import {
  DAY_MS,
  DAYS_PER_WEEK,
  dayNumber,
  summariseOrders,
  type Order,
} from './customer-summary.js';
import { expectedPurchases, fitBgNbd, type BgNbdFit, type RepeatHistory } from './bg-nbd.js';
import { cohortTracking, type TrackingWeek } from './tracking.js';

export interface BacktestWeek {
  /** 1-based week of the holdout. */
  week: number;
  predicted: number;
  actual: number;
  predictedCumulative: number;
  actualCumulative: number;
}

/** Holdout purchases of the customers with a given calibration frequency (FHL 2005, fig. 4). */
export interface BacktestByFrequency {
  /** Calibration repeat purchases; the last row gathers this many and more. */
  frequency: number;
  customers: number;
  predictedMean: number;
  actualMean: number;
}

export interface BacktestErrors {
  totalPredicted: number;
  totalActual: number;
  /** (predicted − actual) / actual at the end of the holdout, in %. */
  cumulativeErrorPct: number;
  /** Mean absolute error of the weekly repeat purchases. */
  weeklyMae: number;
  /** Mean absolute percentage error of the weekly figures (weeks with purchases), in %. */
  weeklyMape: number;
  /** Per customer: mean absolute and root-mean-square error of the holdout purchases. */
  customerMae: number;
  customerRmse: number;
  /**
   * The cohort tracking's (tracking.ts) cumulative error at the holdout end, counted from the
   * cohort's first week, in %: the literature's tracking-plot figure.
   */
  trackingErrorPct: number | null;
}

export interface BacktestResult {
  calibrationEnd: string;
  holdoutEnd: string;
  customers: number;
  bgnbd: BgNbdFit;
  weeks: BacktestWeek[];
  byFrequency: BacktestByFrequency[];
  /** The cohort's weekly tracking over calibration and holdout (unconditional expectation). */
  tracking: TrackingWeek[];
  errors: BacktestErrors;
}

export interface BacktestOptions {
  calibrationEnd: Date;
  holdoutEnd: Date;
  /** Calibration frequencies shown one by one before the last, gathering row; 7 by default. */
  frequencyRows?: number;
}

export function backtest(orders: readonly Order[], options: BacktestOptions): BacktestResult {
  const calEnd = dayNumber(options.calibrationEnd);
  const holdoutDays = dayNumber(options.holdoutEnd) - calEnd;
  if (holdoutDays < 1) throw new RangeError('the holdout must end after the calibration period');
  const cohort = summariseOrders(orders, options.calibrationEnd);
  const bgnbd = fitBgNbd(cohort);
  const weekEnds = holdoutWeekEnds(holdoutDays);
  const actualByCustomer = holdoutPurchaseDays(orders, calEnd, holdoutDays);
  const predictedByWeek = new Array<number>(weekEnds.length).fill(0);
  const actualByWeek = new Array<number>(weekEnds.length).fill(0);
  const perCustomer: { frequency: number; predicted: number; actual: number }[] = [];
  for (const customer of cohort) {
    const predicted = cumulativeExpectation(bgnbd, customer, weekEnds);
    for (let k = 0; k < weekEnds.length; k++) {
      predictedByWeek[k] = predictedByWeek[k]! + predicted[k]! - (k > 0 ? predicted[k - 1]! : 0);
    }
    const days = actualByCustomer.get(customer.customerId) ?? [];
    for (const day of days) {
      const k = Math.ceil(day / DAYS_PER_WEEK) - 1;
      actualByWeek[k] = actualByWeek[k]! + 1;
    }
    perCustomer.push({
      frequency: customer.frequency,
      predicted: predicted[predicted.length - 1]!,
      actual: days.length,
    });
  }
  const weeks = trackingWeeks(predictedByWeek, actualByWeek);
  const tracking = safeTracking(() =>
    cohortTracking(orders, cohort, bgnbd, options.calibrationEnd, options.holdoutEnd),
  );
  return {
    calibrationEnd: isoDay(calEnd),
    holdoutEnd: isoDay(calEnd + holdoutDays),
    customers: cohort.length,
    bgnbd,
    weeks,
    byFrequency: byCalibrationFrequency(perCustomer, options.frequencyRows ?? 7),
    tracking,
    errors: errorFigures(weeks, perCustomer, tracking),
  };
}

/**
 * E[X(t)] (FHL 2005, eq. 9) needs a + b > 1 (its ₂F₁ has c = a + b − 1): a fit outside that
 * range gets no cohort tracking (empty; its error null) rather than no backtest.
 */
function safeTracking(run: () => TrackingWeek[]): TrackingWeek[] {
  try {
    return run();
  } catch (err) {
    if (err instanceof RangeError) return [];
    throw err;
  }
}

/** Each holdout week's end, in days after the calibration end (the last may be shorter). */
function holdoutWeekEnds(holdoutDays: number): number[] {
  const ends: number[] = [];
  for (let end = DAYS_PER_WEEK; end < holdoutDays + DAYS_PER_WEEK; end += DAYS_PER_WEEK) {
    ends.push(Math.min(end, holdoutDays));
  }
  return ends;
}

/** Per customer, the distinct holdout purchase days, as days after the calibration end. */
function holdoutPurchaseDays(
  orders: readonly Order[],
  calEnd: number,
  holdoutDays: number,
): Map<string, number[]> {
  const seen = new Map<string, Set<number>>();
  for (const order of orders) {
    const day = dayNumber(order.placedAt) - calEnd;
    if (day < 1 || day > holdoutDays) continue;
    let days = seen.get(order.customerId);
    if (!days) seen.set(order.customerId, (days = new Set()));
    days.add(day);
  }
  return new Map([...seen].map(([id, days]) => [id, [...days]]));
}

function cumulativeExpectation(
  bgnbd: BgNbdFit,
  customer: RepeatHistory,
  weekEnds: number[],
): number[] {
  return weekEnds.map((days) => expectedPurchases(bgnbd, customer, days / DAYS_PER_WEEK));
}

function trackingWeeks(predicted: number[], actual: number[]): BacktestWeek[] {
  let predictedCumulative = 0;
  let actualCumulative = 0;
  return predicted.map((p, k) => {
    predictedCumulative += p;
    actualCumulative += actual[k]!;
    return { week: k + 1, predicted: p, actual: actual[k]!, predictedCumulative, actualCumulative };
  });
}

function byCalibrationFrequency(
  perCustomer: { frequency: number; predicted: number; actual: number }[],
  rows: number,
): BacktestByFrequency[] {
  const groups = Array.from({ length: rows + 1 }, (_, frequency) => ({
    frequency,
    customers: 0,
    predicted: 0,
    actual: 0,
  }));
  for (const c of perCustomer) {
    const g = groups[Math.min(c.frequency, rows)]!;
    g.customers++;
    g.predicted += c.predicted;
    g.actual += c.actual;
  }
  return groups
    .filter((g) => g.customers > 0)
    .map((g) => ({
      frequency: g.frequency,
      customers: g.customers,
      predictedMean: g.predicted / g.customers,
      actualMean: g.actual / g.customers,
    }));
}

function errorFigures(
  weeks: BacktestWeek[],
  perCustomer: { predicted: number; actual: number }[],
  tracking: TrackingWeek[],
): BacktestErrors {
  const last = weeks[weeks.length - 1]!;
  const end = tracking[tracking.length - 1];
  const pct = (p: number, a: number) => (a > 0 ? (100 * (p - a)) / a : 0);
  const withPurchases = weeks.filter((w) => w.actual > 0);
  const mean = (xs: number[]) => (xs.length ? xs.reduce((s, x) => s + x, 0) / xs.length : 0);
  return {
    totalPredicted: last.predictedCumulative,
    totalActual: last.actualCumulative,
    cumulativeErrorPct: pct(last.predictedCumulative, last.actualCumulative),
    weeklyMae: mean(weeks.map((w) => Math.abs(w.predicted - w.actual))),
    weeklyMape: 100 * mean(withPurchases.map((w) => Math.abs(w.predicted - w.actual) / w.actual)),
    customerMae: mean(perCustomer.map((c) => Math.abs(c.predicted - c.actual))),
    customerRmse: Math.sqrt(mean(perCustomer.map((c) => (c.predicted - c.actual) ** 2))),
    trackingErrorPct: end ? pct(end.predictedCumulative, end.actualCumulative) : null,
  };
}

function isoDay(day: number): string {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}
