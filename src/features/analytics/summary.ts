/**
 * The analytics summary and time series, read from the day cells (`AnalyticsDay`) only: one
 * indexed `month` equality per calendar month of the range, however many messages the days
 * hold. Top unanswered questions read the texts of the newest ids the cells keep, by `_id`.
 */
import type { Types } from 'mongoose';
import { topUnansweredTexts } from '../catalogue/index.js';
import { AnalyticsDay } from './model.js';
import {
  COUNT_FIELDS,
  addTotals,
  emptyTotals,
  figuresOf,
  type Figures,
  type Metric,
  type Totals,
} from './definitions.js';
import type { AnalyticsSummary } from './schemas.js';

export interface AnalyticsFilter {
  /** First and last day, `YYYY-MM-DD` (UTC), inclusive. */
  from: string;
  to: string;
  channel?: string;
  language?: string;
}

interface CellDoc {
  _id: string;
  day: string;
  channel: string;
  language: string;
  queueWaits?: number[];
  firstReplies?: number[];
  intents?: Array<{ intent?: string | null; count?: number | null }>;
  unanswered?: Types.ObjectId[];
  [field: string]: unknown;
}

const TOP = 10;
const UNANSWERED_READ = 200;

export function monthsOf(from: string, to: string): string[] {
  const out: string[] = [];
  const d = new Date(`${from.slice(0, 7)}-01T00:00:00Z`);
  while (d.toISOString().slice(0, 7) <= to.slice(0, 7)) {
    out.push(d.toISOString().slice(0, 7));
    d.setUTCMonth(d.getUTCMonth() + 1);
  }
  return out;
}

/** The cells of the range that pass the filter. */
export async function readCells(f: AnalyticsFilter): Promise<CellDoc[]> {
  const months = await Promise.all(
    monthsOf(f.from, f.to).map((month) => AnalyticsDay.find({ month }).lean<CellDoc[]>()),
  );
  return months
    .flat()
    .filter(
      (c) =>
        c.day >= f.from &&
        c.day <= f.to &&
        (!f.channel || c.channel === f.channel) &&
        (!f.language || c.language === f.language),
    );
}

export function totalsOf(cell: CellDoc): Totals {
  const t = emptyTotals();
  for (const k of COUNT_FIELDS) t[k] = Number(cell[k] ?? 0);
  t.queueWaits = cell.queueWaits ?? [];
  t.firstReplies = cell.firstReplies ?? [];
  for (const i of cell.intents ?? []) if (i.intent) t.intents.set(i.intent, i.count ?? 0);
  return t;
}

function group(cells: CellDoc[], by: (c: CellDoc) => string): Record<string, Figures> {
  const sums = new Map<string, Totals>();
  for (const c of cells) {
    const key = by(c);
    const t = sums.get(key) ?? emptyTotals();
    addTotals(t, totalsOf(c));
    sums.set(key, t);
  }
  return Object.fromEntries([...sums].map(([k, t]) => [k, figuresOf(t)]));
}

/** The summary's shape is declared once, in ./schemas.ts (the route and the console use it). */
export type Summary = AnalyticsSummary;

export async function analyticsSummary(f: AnalyticsFilter): Promise<Summary> {
  const cells = await readCells(f);
  const total = emptyTotals();
  for (const c of cells) addTotals(total, totalsOf(c));
  const unanswered = cells
    .flatMap((c) => c.unanswered ?? [])
    .sort((a, b) => b.toHexString().localeCompare(a.toHexString()))
    .slice(0, UNANSWERED_READ);
  return {
    from: f.from,
    to: f.to,
    ...figuresOf(total),
    byChannel: group(cells, (c) => c.channel),
    byLanguage: group(cells, (c) => c.language),
    topIntents: [...total.intents]
      .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
      .slice(0, TOP)
      .map(([intent, count]) => ({ intent, count })),
    topUnanswered: await topUnansweredTexts(unanswered, TOP),
  };
}

/** Monday of the ISO week of a `YYYY-MM-DD` day. */
export function weekOf(day: string): string {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() - ((d.getUTCDay() + 6) % 7));
  return d.toISOString().slice(0, 10);
}

function bucketsOf(from: string, to: string, interval: 'day' | 'week'): string[] {
  const out: string[] = [];
  const d = new Date(`${interval === 'week' ? weekOf(from) : from}T00:00:00Z`);
  while (d.toISOString().slice(0, 10) <= to) {
    out.push(d.toISOString().slice(0, 10));
    d.setUTCDate(d.getUTCDate() + (interval === 'week' ? 7 : 1));
  }
  return out;
}

export interface TimeSeries {
  metric: Metric;
  interval: 'day' | 'week';
  from: string;
  to: string;
  /** One point per day (or week, starting Monday) of the range, empty ones included. */
  points: Array<{ date: string; value: number | null }>;
}

export async function analyticsTimeSeries(
  f: AnalyticsFilter & { metric: Metric; interval: 'day' | 'week' },
): Promise<TimeSeries> {
  const cells = await readCells(f);
  const sums = new Map(bucketsOf(f.from, f.to, f.interval).map((b) => [b, emptyTotals()]));
  for (const c of cells) {
    const t = sums.get(f.interval === 'week' ? weekOf(c.day) : c.day);
    if (t) addTotals(t, totalsOf(c));
  }
  return {
    metric: f.metric,
    interval: f.interval,
    from: f.from,
    to: f.to,
    points: [...sums].map(([date, t]) => ({ date, value: figuresOf(t)[f.metric] })),
  };
}
