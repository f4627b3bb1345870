/**
 * POST /api/orders/import: read the CSV, map, check every row; a dry run answers what would
 * happen, an import of a file without bad rows runs `importOrders` (through the route's audited
 * wrapper). A file with bad rows is refused whole (400 `csv_rows_invalid`), nothing written.
 */
import { invalid } from '../../kernel/errors.js';
import { Order } from '../../kernel/db/models/order.js';
import {
  checkCsv,
  guessMapping,
  OrdersCsvError,
  readCsv,
  type CsvCheckDeps,
} from './csv-import.js';
import {
  MAX_CSV_ERRORS_SHOWN,
  type OrderInput,
  type OrdersCsvBody,
  type OrdersCsvResult,
  type OrdersImportResult,
} from './schemas.js';

const CHUNK = 1000;

async function countExisting(ids: string[]): Promise<number> {
  let n = 0;
  for (let i = 0; i < ids.length; i += CHUNK) {
    n += await Order.countDocuments({ externalId: { $in: ids.slice(i, i + CHUNK) } });
  }
  return n;
}

export async function runCsvImport(
  body: OrdersCsvBody,
  deps: CsvCheckDeps,
  importOrders: (orders: OrderInput[]) => Promise<OrdersImportResult>,
): Promise<OrdersCsvResult> {
  let read: ReturnType<typeof readCsv>;
  try {
    read = readCsv(body.csv);
  } catch (err) {
    if (err instanceof OrdersCsvError) throw invalid(err.code, err.message);
    throw err;
  }
  const { columns, records } = read;
  const mapping = body.mapping ?? guessMapping(columns);
  const unknown = Object.values(mapping).filter((c) => !columns.includes(c));
  if (unknown.length > 0) {
    throw invalid('csv_unknown_column', `Not a column of this file: ${unknown.join(', ')}`);
  }
  const { orders, errors } = checkCsv(columns, records, mapping, deps);
  const errorLines = new Set(errors.map((e) => e.line)).size;
  if (!body.dryRun && errors.length > 0) {
    const first = errors[0]!;
    throw invalid(
      'csv_rows_invalid',
      `${errorLines} rows cannot be imported (first: line ${first.line}, ${first.field}: ${first.code}). Run a dry run to see them all. Nothing was imported.`,
    );
  }
  const existing = await countExisting(orders.map((o) => o.externalId));
  return {
    dryRun: body.dryRun,
    baseCurrency: deps.orders.baseCurrency,
    columns,
    mapping,
    rows: records.length,
    valid: orders.length,
    existing,
    errorCount: errors.length,
    errors: errors.slice(0, MAX_CSV_ERRORS_SHOWN),
    result: body.dryRun ? null : await importOrders(orders),
  };
}
