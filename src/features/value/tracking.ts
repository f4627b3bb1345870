/**
 * The cohort tracking of the literature (FHL 2005, figure 3): week by week over the calibration
 * period and the holdout, the repeat purchases the fitted BG/NBD expects of the cohort —
 * Σ over customers of E[X(t − birth)] differences, each customer from their first purchase day
 * (the unconditional expectation, what a manager forecasts for a cohort) — against the repeat
 * purchase days they actually made. Weeks are counted back from the calibration end, so no week
 * straddles the split; the first and the last may be shorter.
 */
import { DAYS_PER_WEEK, dayNumber, type CustomerSummary, type Order } from './customer-summary.js';
import { expectedPurchasesOfNewCustomer, type BgNbdParams } from './bg-nbd.js';

export interface TrackingWeek {
  /** First day of the week (YYYY-MM-DD). */
  start: string;
  period: 'calibration' | 'holdout';
  predicted: number;
  actual: number;
  predictedCumulative: number;
  actualCumulative: number;
}

const DAY_MS = 86_400_000;
const isoDay = (day: number) => new Date(day * DAY_MS).toISOString().slice(0, 10);

/** [start, end) day ranges, counted back from the calibration end and on to the holdout end. */
function weekRanges(first: number, calEnd: number, holdoutEnd: number): Array<[number, number]> {
  const ranges: Array<[number, number]> = [];
  for (let end = calEnd + 1; end > first; end -= DAYS_PER_WEEK) {
    ranges.unshift([Math.max(first, end - DAYS_PER_WEEK), end]);
  }
  for (let start = calEnd + 1; start <= holdoutEnd; start += DAYS_PER_WEEK) {
    ranges.push([start, Math.min(start + DAYS_PER_WEEK, holdoutEnd + 1)]);
  }
  return ranges;
}

/**
 * Expected repeat purchases by the end of `day` of the customers born on each day. E[X(t)] is
 * read from `byAge` (E[X] by whole days of age, computed once: a few hundred ₂F₁ evaluations
 * instead of one per birth day and week).
 */
function expectedBy(byAge: (days: number) => number, births: Map<number, number>, day: number) {
  let sum = 0;
  for (const [birth, customers] of births) {
    // A purchase on the birth day is the first one; repeat purchases start the next day.
    if (day > birth) sum += customers * byAge(day - birth);
  }
  return sum;
}

function memoisedByAge(params: BgNbdParams): (days: number) => number {
  const cache = new Map<number, number>();
  return (days) => {
    let v = cache.get(days);
    if (v === undefined) {
      v = expectedPurchasesOfNewCustomer(params, days / DAYS_PER_WEEK);
      cache.set(days, v);
    }
    return v;
  };
}

export function cohortTracking(
  orders: readonly Order[],
  cohort: readonly CustomerSummary[],
  params: BgNbdParams,
  calibrationEnd: Date,
  holdoutEnd: Date,
): TrackingWeek[] {
  const calEnd = dayNumber(calibrationEnd);
  const end = dayNumber(holdoutEnd);
  const births = new Map<number, number>();
  const birthOf = new Map<string, number>();
  for (const c of cohort) {
    const b = dayNumber(c.firstPurchase);
    births.set(b, (births.get(b) ?? 0) + 1);
    birthOf.set(c.customerId, b);
  }
  const first = Math.min(...births.keys());
  const ranges = weekRanges(first, calEnd, end);
  const calibrationWeeks = ranges.filter(([s]) => s <= calEnd).length;
  const weekOf = (day: number) =>
    day <= calEnd
      ? calibrationWeeks - 1 - Math.floor((calEnd - day) / DAYS_PER_WEEK)
      : calibrationWeeks + Math.floor((day - calEnd - 1) / DAYS_PER_WEEK);
  const actual = new Array<number>(ranges.length).fill(0);
  const seen = new Set<string>();
  for (const o of orders) {
    const day = dayNumber(o.placedAt);
    const birth = birthOf.get(o.customerId);
    if (birth === undefined || day <= birth || day > end) continue;
    const key = `${o.customerId}:${day}`;
    if (seen.has(key)) continue;
    seen.add(key);
    actual[weekOf(day)]!++;
  }
  const byAge = memoisedByAge(params);
  let before = 0;
  let predictedCumulative = 0;
  let actualCumulative = 0;
  return ranges.map(([s, e], k) => {
    const by = expectedBy(byAge, births, e - 1);
    const predicted = by - before;
    before = by;
    predictedCumulative += predicted;
    actualCumulative += actual[k]!;
    return {
      start: isoDay(s),
      period: s > calEnd ? 'holdout' : 'calibration',
      predicted,
      actual: actual[k]!,
      predictedCumulative,
      actualCumulative,
    };
  });
}
