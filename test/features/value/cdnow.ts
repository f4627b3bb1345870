/**
 * The CDNOW data of the customer-base literature, from test/fixtures/clv/ (see its README.md for
 * the source and licence).
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Order } from '../../../src/features/value/customer-summary.js';

const FIXTURES = join(dirname(fileURLToPath(import.meta.url)), '../../fixtures/clv');

/** The calibration period of the papers: 1997-01-01 … 1997-09-30 (39 weeks). */
export const CALIBRATION_END = new Date('1997-09-30T00:00:00Z');
/** The end of the holdout: 1998-06-30 (39 more weeks). */
export const HOLDOUT_END = new Date('1998-06-30T00:00:00Z');

export interface CdnowSummaryRow {
  id: number;
  frequency: number;
  recency: number;
  T: number;
  monetary: number;
}

/** cdnow_summary.csv: the 2,357-customer sample (ID, x, t_x, T, zbar), times in weeks. */
export function readCdnowSummary(): CdnowSummaryRow[] {
  const lines = readFileSync(join(FIXTURES, 'cdnow_summary.csv'), 'utf8').trim().split(/\r?\n/);
  return lines.slice(1).map((line) => {
    const [id, x, tx, T, zbar] = line.split(',').map(Number);
    return { id: id!, frequency: x!, recency: tx!, T: T!, monetary: zbar! };
  });
}

/** cdnow_master.txt: every transaction of the full cohort (23,570 customers) as orders. */
export function readCdnowOrders(): Order[] {
  const lines = readFileSync(join(FIXTURES, 'cdnow_master.txt'), 'utf8').trim().split(/\r?\n/);
  return lines.slice(1).map((line) => {
    const [customerId, date, , dollars] = line.trim().split(/\s+/);
    const placedAt = new Date(`${date!.slice(0, 4)}-${date!.slice(4, 6)}-${date!.slice(6, 8)}`);
    return { customerId: customerId!, placedAt, amount: Number(dollars) };
  });
}

/**
 * The master ids of the 2,357 sample customers: the sample is 1 in 10 of the master, renumbered
 * by first purchase day then master id, so it embeds row by row, in order, into the master's
 * summary as of the end of calibration (customer-summary.test.ts checks every row matches).
 */
export function sampleMasterIds(
  summaries: Array<{
    customerId: string;
    firstPurchase: Date;
    frequency: number;
    recency: number;
    T: number;
    monetary: number;
  }>,
): string[] {
  const ordered = [...summaries].sort(
    (p, q) =>
      p.firstPurchase.getTime() - q.firstPurchase.getTime() ||
      p.customerId.localeCompare(q.customerId),
  );
  const close = (a: number, b: number, tolerance: number) => Math.abs(a - b) <= tolerance;
  const ids: string[] = [];
  let next = 0;
  for (const row of readCdnowSummary()) {
    while (next < ordered.length) {
      const c = ordered[next++]!;
      if (
        c.frequency === row.frequency &&
        close(c.recency, row.recency, 0.005) &&
        close(c.T, row.T, 0.005) &&
        close(c.monetary, row.monetary, 0.0051)
      ) {
        ids.push(c.customerId);
        break;
      }
    }
  }
  return ids;
}
