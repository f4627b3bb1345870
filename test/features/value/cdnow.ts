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
