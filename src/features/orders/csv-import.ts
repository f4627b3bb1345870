/**
 * Orders from a shop's CSV export (the console's import page): the file is read with csv-parse,
 * its columns mapped onto the order's fields (a mapping the caller gives, or one guessed from the
 * header names), and every row checked on its own — required cells, amount, date, status,
 * currency rate, phone, email, link, the same order id twice — so a dry run can list each bad
 * row with the reason. A real import runs only on a file without bad rows and goes through the
 * same `importOrders` as POST /api/orders (idempotent by the order id).
 */
import { parse } from 'csv-parse/sync';
import type { CountryCode } from 'libphonenumber-js';
import { parsePhone } from '../../pipeline/flows/slots.js';
import type { OrdersConfig } from '../../kernel/config/config.js';
import {
  CSV_ORDER_FIELDS,
  MAX_ORDERS_PER_CALL,
  orderInput,
  type CsvMapping,
  type CsvOrderField,
  type CsvRowError,
  type OrderInput,
} from './schemas.js';
import { ORDER_STATUSES, type OrderStatus } from '../../kernel/vocabulary.js';

export class OrdersCsvError extends Error {
  constructor(
    readonly code: 'csv_unreadable' | 'csv_empty' | 'csv_too_many_rows',
    message: string,
  ) {
    super(message);
    this.name = 'OrdersCsvError';
  }
}

/** Header names (lower case, no spaces/punctuation) each field is guessed from. */
const GUESSES: Record<CsvOrderField, string[]> = {
  externalId: ['externalid', 'orderid', 'id', 'idpedido', 'pedidoid', 'ordernumberid'],
  number: ['number', 'ordernumber', 'numero', 'numeropedido', 'name', 'order'],
  email: ['email', 'customeremail', 'correo', 'emailcliente', 'mail'],
  phone: ['phone', 'customerphone', 'telefono', 'movil', 'mobile'],
  customerId: ['customerid', 'clienteid', 'idcliente', 'customer', 'cliente'],
  customerName: ['customername', 'nombre', 'nombrecliente', 'billingname'],
  placedAt: ['placedat', 'createdat', 'date', 'fecha', 'orderdate', 'fechapedido'],
  amount: ['amount', 'total', 'importe', 'totalprice', 'price'],
  currency: ['currency', 'moneda', 'divisa'],
  status: ['status', 'estado', 'fulfillmentstatus'],
  trackingUrl: ['trackingurl', 'tracking', 'seguimiento', 'urlseguimiento', 'trackinglink'],
};

const squash = (s: string) =>
  s
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]/g, '');

/** The mapping a header suggests: each field to the first column whose name it knows. */
export function guessMapping(columns: string[]): CsvMapping {
  const mapping: CsvMapping = {};
  const taken = new Set<string>();
  for (const field of CSV_ORDER_FIELDS) {
    const col = columns.find((c) => !taken.has(c) && GUESSES[field].includes(squash(c)));
    if (col !== undefined) {
      mapping[field] = col;
      taken.add(col);
    }
  }
  return mapping;
}

/** Reads the CSV (header row first); refuses unreadable, empty and oversized files. */
export function readCsv(csv: string): { columns: string[]; records: string[][] } {
  let rows: string[][];
  try {
    rows = parse(csv, {
      bom: true,
      skip_empty_lines: true,
      relax_column_count: true,
      trim: true,
      delimiter: sniffDelimiter(csv),
    }) as string[][];
  } catch (err) {
    throw new OrdersCsvError('csv_unreadable', `The CSV cannot be read: ${(err as Error).message}`);
  }
  const [header, ...records] = rows;
  if (!header || records.length === 0) {
    throw new OrdersCsvError('csv_empty', 'The CSV needs a header row and at least one order.');
  }
  if (records.length > MAX_ORDERS_PER_CALL) {
    throw new OrdersCsvError(
      'csv_too_many_rows',
      `At most ${MAX_ORDERS_PER_CALL} orders per import (this file has ${records.length}).`,
    );
  }
  return { columns: header, records };
}

/** `;` when the header line has more of them than commas (spreadsheets in Spanish). */
function sniffDelimiter(csv: string): string {
  const first = csv.replace(/^\uFEFF/, '').split(/\r?\n/, 1)[0] ?? '';
  const count = (ch: string) => first.split(ch).length - 1;
  return count(';') > count(',') ? ';' : ',';
}

/** `1.234,50`, `1,234.50`, `12,5`, `€ 12.50` → number; undefined when not a number. */
export function parseAmount(raw: string): number | undefined {
  let s = raw.replace(/[\s€$£]/g, '');
  if (/^-?\d{1,3}(\.\d{3})+(,\d+)?$/.test(s)) s = s.replace(/\./g, '').replace(',', '.');
  else if (/^-?\d{1,3}(,\d{3})+(\.\d+)?$/.test(s)) s = s.replace(/,/g, '');
  else if (/^-?\d+,\d+$/.test(s)) s = s.replace(',', '.');
  if (!/^-?\d+(\.\d+)?$/.test(s)) return undefined;
  return Number(s);
}

/** ISO 8601 with offset as is; `YYYY-MM-DD` and `YYYY-MM-DD HH:MM[:SS]` without one as UTC. */
export function parsePlacedAt(raw: string): string | undefined {
  const s = raw.trim().replace(' ', 'T');
  const m = /^(\d{4}-\d{2}-\d{2})(?:T(\d{2}:\d{2})(:\d{2}(?:\.\d+)?)?)?(Z|[+-]\d{2}:?\d{2})?$/.exec(
    s,
  );
  if (!m) return undefined;
  const iso = `${m[1]}T${m[2] ?? '00:00'}${m[3] ?? ':00'}${m[4] ?? 'Z'}`;
  const at = new Date(iso);
  return Number.isNaN(at.getTime()) ? undefined : at.toISOString();
}

const STATUS_WORDS: Record<string, OrderStatus> = {
  pendiente: 'placed',
  realizado: 'placed',
  pagado: 'placed',
  paid: 'placed',
  pending: 'placed',
  enviado: 'shipped',
  fulfilled: 'shipped',
  entregado: 'delivered',
  cancelado: 'cancelled',
  canceled: 'cancelled',
  devuelto: 'returned',
  refunded: 'returned',
};

export function parseStatus(raw: string): OrderStatus | undefined {
  const s = squash(raw);
  if ((ORDER_STATUSES as readonly string[]).includes(s)) return s as OrderStatus;
  return STATUS_WORDS[s];
}

export interface CsvCheckDeps {
  orders: OrdersConfig;
  defaultCountry: CountryCode;
}

/** One record → an order input, or the reasons it is not one (every field checked). */
function rowToOrder(
  cell: (field: CsvOrderField) => string,
  deps: CsvCheckDeps,
): { order?: OrderInput; errors: Array<Omit<CsvRowError, 'line'>> } {
  const errors: Array<Omit<CsvRowError, 'line'>> = [];
  const fail = (field: CsvOrderField, code: CsvRowError['code'], value = '') =>
    errors.push({ field, code, value: value.slice(0, 80) });
  const externalId = cell('externalId');
  if (!externalId) fail('externalId', 'required');
  const amountRaw = cell('amount');
  const amount = parseAmount(amountRaw);
  if (!amountRaw) fail('amount', 'required');
  else if (amount === undefined || amount < 0) fail('amount', 'invalid_amount', amountRaw);
  const placedRaw = cell('placedAt');
  const placedAt = parsePlacedAt(placedRaw);
  if (!placedRaw) fail('placedAt', 'required');
  else if (!placedAt) fail('placedAt', 'invalid_date', placedRaw);
  const currency = (cell('currency') || deps.orders.baseCurrency).toUpperCase();
  if (!/^[A-Z]{3}$/.test(currency) || deps.orders.rates[currency] === undefined) {
    fail('currency', 'unknown_currency', currency);
  }
  const statusRaw = cell('status');
  const status = statusRaw ? parseStatus(statusRaw) : 'placed';
  if (!status) fail('status', 'invalid_status', statusRaw);
  const phone = cell('phone');
  if (phone && !parsePhone(phone, [deps.defaultCountry])) fail('phone', 'invalid_phone', phone);
  const email = cell('email');
  const customerId = cell('customerId');
  if (!email && !phone && !customerId) fail('email', 'customer_required');
  if (errors.length > 0) return { errors };
  const candidate = {
    externalId,
    ...(cell('number') ? { number: cell('number') } : {}),
    customer: {
      ...(email ? { email } : {}),
      ...(phone ? { phone } : {}),
      ...(customerId ? { externalId: customerId } : {}),
      ...(cell('customerName') ? { name: cell('customerName') } : {}),
    },
    placedAt,
    amount,
    currency,
    status,
    ...(cell('trackingUrl') ? { trackingUrl: cell('trackingUrl') } : {}),
  };
  const parsed = orderInput.safeParse(candidate);
  if (parsed.success) return { order: parsed.data, errors };
  for (const issue of parsed.error.issues) {
    const field = FIELD_OF_PATH[String(issue.path.at(-1))] ?? 'externalId';
    fail(
      field,
      field === 'email' ? 'invalid_email' : field === 'trackingUrl' ? 'invalid_url' : 'invalid',
      cell(field),
    );
  }
  return { errors };
}

const FIELD_OF_PATH: Record<string, CsvOrderField> = {
  externalId: 'externalId',
  number: 'number',
  email: 'email',
  phone: 'phone',
  name: 'customerName',
  trackingUrl: 'trackingUrl',
};

/** Every record checked: the orders that are good and the errors of the others (line numbers as in the file). */
export function checkCsv(
  columns: string[],
  records: string[][],
  mapping: CsvMapping,
  deps: CsvCheckDeps,
): { orders: OrderInput[]; errors: CsvRowError[] } {
  const at = new Map<CsvOrderField, number>();
  for (const [field, col] of Object.entries(mapping) as Array<[CsvOrderField, string]>) {
    const i = columns.indexOf(col);
    if (i >= 0) at.set(field, i);
  }
  const orders: OrderInput[] = [];
  const errors: CsvRowError[] = [];
  const seen = new Map<string, number>();
  records.forEach((record, i) => {
    const line = i + 2;
    const cell = (field: CsvOrderField) => {
      const idx = at.get(field);
      return idx === undefined ? '' : (record[idx] ?? '').trim();
    };
    const result = rowToOrder(cell, deps);
    const id = cell('externalId');
    const prior = id ? seen.get(id) : undefined;
    if (prior !== undefined) {
      result.errors.push({ field: 'externalId', code: 'duplicate_external_id', value: `${prior}` });
    } else if (id) seen.set(id, line);
    if (result.errors.length > 0) errors.push(...result.errors.map((e) => ({ line, ...e })));
    else if (result.order) orders.push(result.order);
  });
  return { orders, errors };
}
