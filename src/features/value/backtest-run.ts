/**
 * GET /api/value/backtest: the backtest (backtest.ts) on the install's counted orders for a split
 * the staff chooses. Defaults: the holdout ends on the last counted order's day; the calibration
 * ends 39 weeks before it (the literature's CDNOW split), or halfway through the history when
 * that is shorter. Computed on request on the web process — one read of the orders up to the
 * holdout end and one fit — and kept for a few splits while the orders do not change, so the
 * value page opening again costs a lookup.
 */
import { Order } from '../../kernel/db/models/order.js';
import { conflict, invalid } from '../../kernel/errors.js';
import { backtest } from './backtest.js';
import { isRepeatSpender } from './gamma-gamma.js';
import { summariseOrders } from './customer-summary.js';
import { asOfDate, COUNTED, dayOf, readCountedOrders } from './fit.js';
import type { BacktestView } from './schemas.js';
import { MIN_REPEAT_CUSTOMERS } from './value-model.js';

const DAY_MS = 86_400_000;
const DEFAULT_HOLDOUT_DAYS = 39 * 7;
/** Two years of holdout at most: the chart's weeks and the work stay bounded. */
export const MAX_HOLDOUT_DAYS = 104 * 7;
const CACHE_SIZE = 8;

const cache = new Map<string, BacktestView>();
const running = new Map<string, Promise<BacktestView>>();

async function orderSpan(): Promise<{
  first: string;
  last: string;
  count: number;
  changed: number;
}> {
  const counted = { status: { $nin: [...COUNTED.status.$nin] as Array<'cancelled' | 'returned'> } };
  const [first] = await Order.find(counted, { placedAt: 1 }).sort({ placedAt: 1 }).limit(1).lean();
  const [last] = await Order.find(counted, { placedAt: 1 }).sort({ placedAt: -1 }).limit(1).lean();
  const [touched] = await Order.find({}, { updatedAt: 1 }).sort({ updatedAt: -1 }).limit(1).lean();
  if (!first || !last) throw conflict('too_little_history', 'There are no orders to test on yet.');
  return {
    first: dayOf(first.placedAt),
    last: dayOf(last.placedAt),
    count: await Order.countDocuments({}),
    changed: (touched as { updatedAt?: Date } | undefined)?.updatedAt?.getTime() ?? 0,
  };
}

const addDays = (day: string, n: number) => dayOf(new Date(asOfDate(day).getTime() + n * DAY_MS));
const daysBetween = (from: string, to: string) =>
  Math.round((asOfDate(to).getTime() - asOfDate(from).getTime()) / DAY_MS);

function defaultSplit(
  q: { calibrationEnd?: string; holdoutEnd?: string },
  span: { first: string; last: string },
): { calibrationEnd: string; holdoutEnd: string } {
  if (q.calibrationEnd && !q.holdoutEnd) {
    const holdoutEnd = addDays(q.calibrationEnd, DEFAULT_HOLDOUT_DAYS);
    const last = span.last > q.calibrationEnd ? span.last : addDays(q.calibrationEnd, 1);
    return { calibrationEnd: q.calibrationEnd, holdoutEnd: holdoutEnd < last ? holdoutEnd : last };
  }
  const holdoutEnd = q.holdoutEnd ?? span.last;
  const half = Math.floor(daysBetween(span.first, holdoutEnd) / 2);
  const calibrationEnd =
    q.calibrationEnd ?? addDays(holdoutEnd, -Math.min(DEFAULT_HOLDOUT_DAYS, Math.max(1, half)));
  return { calibrationEnd, holdoutEnd };
}

async function compute(calibrationEnd: string, holdoutEnd: string): Promise<BacktestView> {
  const orders = await readCountedOrders(asOfDate(holdoutEnd));
  const cohort = summariseOrders(orders, asOfDate(calibrationEnd));
  const repeat = cohort.filter((c) => isRepeatSpender(c)).length;
  if (repeat < MIN_REPEAT_CUSTOMERS) {
    throw conflict(
      'too_little_history',
      `The calibration period has ${repeat} repeat customers; the model needs at least ${MIN_REPEAT_CUSTOMERS}.`,
    );
  }
  const result = backtest(orders, {
    calibrationEnd: asOfDate(calibrationEnd),
    holdoutEnd: asOfDate(holdoutEnd),
  });
  const { r, alpha, a, b, logLikelihood } = result.bgnbd;
  return { ...result, bgnbd: { r, alpha, a, b, logLikelihood, timeUnit: 'week' } };
}

export async function runBacktest(q: {
  calibrationEnd?: string;
  holdoutEnd?: string;
}): Promise<BacktestView> {
  const span = await orderSpan();
  const { calibrationEnd, holdoutEnd } = defaultSplit(q, span);
  if (calibrationEnd >= holdoutEnd) {
    throw invalid('invalid_split', 'The calibration period must end before the holdout.');
  }
  if (daysBetween(calibrationEnd, holdoutEnd) > MAX_HOLDOUT_DAYS) {
    throw invalid('invalid_split', `The holdout may be at most ${MAX_HOLDOUT_DAYS / 7} weeks.`);
  }
  const key = `${calibrationEnd}|${holdoutEnd}|${span.count}|${span.changed}`;
  const hit = cache.get(key);
  if (hit) return hit;
  let job = running.get(key);
  if (!job) {
    job = compute(calibrationEnd, holdoutEnd).finally(() => running.delete(key));
    running.set(key, job);
  }
  const result = await job;
  cache.set(key, result);
  while (cache.size > CACHE_SIZE) cache.delete(cache.keys().next().value!);
  return result;
}
