/**
 * POST /api/orders: up to 10,000 orders in one call, idempotent by the shop's external id. The
 * whole call is checked first (currencies, phones, repeated ids) and refused with one 400 naming
 * the first bad rows, so nothing is half-written by a bad file; then the customers are matched
 * to contacts (shop customer id, then email, then phone) in a few `$in` reads, the unknown ones
 * created, and the orders inserted or updated in bulk. The same order sent again with a new
 * status (or tracking link, items…) updates it and notes the status change in its history; sent
 * again unchanged, it is counted `unchanged`.
 */
import type { CountryCode } from 'libphonenumber-js';
import { Types } from 'mongoose';
import { invalid } from '../../kernel/errors.js';
import { Contact, type ContactDoc } from '../../kernel/db/models/contact.js';
import { searchTermsOf } from '../../kernel/db/models/searchable.js';
import { Order, type OrderDoc } from '../../kernel/db/models/order.js';
import type { OrdersConfig } from '../../kernel/config/config.js';
import { parsePhone } from '../../pipeline/flows/slots.js';
import type { OrderInput, OrdersImportResult } from './schemas.js';

export interface ImportDeps {
  orders: OrdersConfig;
  defaultCountry: CountryCode;
  now?: () => Date;
}

/** An order number as the bot compares it: upper case, no spaces, no leading '#'. */
export const normaliseOrderNumber = (raw: string): string =>
  raw.trim().replace(/^#/, '').replace(/\s+/g, '').toUpperCase();

const CHUNK = 1000;
const round2 = (n: number) => Math.round(n * 100) / 100;

interface Customer {
  email?: string;
  phone?: string;
  externalId?: string;
  name?: string;
}

/** What one input row becomes before contacts are known. */
interface Row {
  input: OrderInput;
  customer: Customer;
  baseAmount: number;
}

function refuse(code: string, what: string, bad: string[]): never {
  const shown = bad.slice(0, 10).join('; ');
  const more = bad.length > 10 ? ` (and ${bad.length - 10} more)` : '';
  throw invalid(code, `${what}: ${shown}${more}. Nothing was imported.`);
}

/** Checks the whole call and converts amounts; throws a 400 naming the bad rows. */
function prepare(inputs: OrderInput[], deps: ImportDeps): Row[] {
  const { rates, baseCurrency } = deps.orders;
  const badCurrency: string[] = [];
  const badPhone: string[] = [];
  const seen = new Map<string, number>();
  const repeated: string[] = [];
  const rows = inputs.map((input, i): Row => {
    const rate = rates[input.currency];
    if (rate === undefined) badCurrency.push(`orders[${i}] ${input.currency}`);
    let phone: string | undefined;
    if (input.customer.phone !== undefined) {
      phone = parsePhone(input.customer.phone, [deps.defaultCountry]);
      if (!phone) badPhone.push(`orders[${i}]`);
    }
    const prior = seen.get(input.externalId);
    if (prior !== undefined) repeated.push(`orders[${prior}] and orders[${i}]`);
    seen.set(input.externalId, i);
    return {
      input,
      customer: {
        email: input.customer.email?.toLowerCase(),
        phone,
        externalId: input.customer.externalId,
        name: input.customer.name,
      },
      baseAmount: round2(input.amount * (rate ?? 0)),
    };
  });
  if (badCurrency.length > 0) {
    const known = Object.keys(rates).sort().join(', ');
    refuse(
      'unknown_currency',
      `No rate into ${baseCurrency} for these currencies (known: ${known}; set CURRENCY_RATES)`,
      badCurrency,
    );
  }
  if (badPhone.length > 0) refuse('invalid_phone', 'Not a valid phone number', badPhone);
  if (repeated.length > 0) {
    refuse('duplicate_external_id', 'The same externalId twice in one call', repeated);
  }
  return rows;
}

async function inChunks<T>(values: string[], read: (chunk: string[]) => Promise<T[]>) {
  const out: T[] = [];
  for (let i = 0; i < values.length; i += CHUNK)
    out.push(...(await read(values.slice(i, i + CHUNK))));
  return out;
}

const unique = (values: Array<string | undefined>) => [
  ...new Set(values.filter((v): v is string => v !== undefined)),
];

type ContactIndex = Map<string, Types.ObjectId>;
const keysOf = (c: Customer) =>
  [
    c.externalId && `x:${c.externalId}`,
    c.email && `e:${c.email}`,
    c.phone && `p:${c.phone}`,
  ].filter((k): k is string => Boolean(k));

/** Contacts by `x:<external id>`, `e:<email>`, `p:<phone>`, creating the unknown customers. */
async function matchContacts(rows: Row[]): Promise<{ index: ContactIndex; created: number }> {
  const emails = unique(rows.map((r) => r.customer.email));
  const phones = unique(rows.map((r) => r.customer.phone));
  const externalIds = unique(rows.map((r) => r.customer.externalId));
  const live = { mergedInto: { $exists: false } };
  const read = (field: string) => (chunk: string[]) =>
    Contact.find({ [field]: { $in: chunk }, ...live }, { emails: 1, phones: 1, externalIds: 1 })
      .lean<Pick<ContactDoc, '_id' | 'emails' | 'phones' | 'externalIds'>[]>()
      .exec();
  const found = [
    ...(await inChunks(externalIds, read('externalIds'))),
    ...(await inChunks(emails, read('emails'))),
    ...(await inChunks(phones, read('phones'))),
  ];
  const index: ContactIndex = new Map();
  for (const c of found) {
    for (const x of c.externalIds ?? []) if (!index.has(`x:${x}`)) index.set(`x:${x}`, c._id);
    for (const e of c.emails ?? []) if (!index.has(`e:${e}`)) index.set(`e:${e}`, c._id);
    for (const p of c.phones ?? []) if (!index.has(`p:${p}`)) index.set(`p:${p}`, c._id);
  }
  const fresh: Array<Record<string, unknown>> = [];
  const learnt = new Map<string, Set<string>>();
  for (const { customer } of rows) {
    const keys = keysOf(customer);
    const known = keys.map((k) => index.get(k)).find(Boolean);
    if (known) {
      // A shop customer id seen for the first time on a known contact is remembered.
      if (customer.externalId && !index.has(`x:${customer.externalId}`)) {
        index.set(`x:${customer.externalId}`, known);
        const ids = learnt.get(String(known)) ?? new Set<string>();
        learnt.set(String(known), ids.add(customer.externalId));
      }
      for (const k of keys) if (!index.has(k)) index.set(k, known);
      continue;
    }
    const _id = new Types.ObjectId();
    const at = new Date();
    fresh.push({
      _id,
      ...(customer.name ? { name: customer.name } : {}),
      identities: [],
      emails: customer.email ? [customer.email] : [],
      phones: customer.phone ? [customer.phone] : [],
      externalIds: customer.externalId ? [customer.externalId] : [],
      tags: [],
      marketingConsent: { granted: false },
      createdAt: at,
      updatedAt: at,
    });
    for (const k of keys) index.set(k, _id);
  }
  for (let i = 0; i < fresh.length; i += CHUNK) {
    // Native insert: the search terms the model's hooks would write (issue 19.7).
    const chunk = fresh
      .slice(i, i + CHUNK)
      .map((d) => ({ ...d, searchTerms: searchTermsOf(Contact, d) }));
    await Contact.collection.insertMany(chunk, { ordered: false });
  }
  if (learnt.size > 0) {
    await Contact.collection.bulkWrite(
      [...learnt].map(([id, ids]) => ({
        updateOne: {
          filter: { _id: new Types.ObjectId(id) },
          update: { $addToSet: { externalIds: { $each: [...ids] } } },
        },
      })),
      { ordered: false },
    );
  }
  return { index, created: fresh.length };
}

/** The stored fields an input sets (what "unchanged" compares). */
function fieldsOf(row: Row) {
  const { input } = row;
  return {
    number: normaliseOrderNumber(input.number ?? input.externalId),
    email: row.customer.email ?? null,
    placedAt: new Date(input.placedAt),
    amount: input.amount,
    currency: input.currency,
    baseAmount: row.baseAmount,
    status: input.status,
    trackingUrl: input.trackingUrl ?? null,
    items: (input.items ?? []).map((it) => ({
      sku: it.sku ?? null,
      name: it.name,
      quantity: it.quantity,
      unitPrice: it.unitPrice ?? null,
    })),
  };
}
type Fields = ReturnType<typeof fieldsOf>;

const comparable = (f: Partial<Fields>) =>
  JSON.stringify([
    f.number,
    f.email ?? null,
    f.placedAt ? new Date(f.placedAt).toISOString() : null,
    f.amount,
    f.currency,
    f.baseAmount,
    f.status,
    f.trackingUrl ?? null,
    (f.items ?? []).map((i) => [i.sku ?? null, i.name, i.quantity, i.unitPrice ?? null]),
  ]);

/** Imports (or updates) the orders; returns the counts. Throws a 400 domain error on bad input. */
export async function importOrders(
  inputs: OrderInput[],
  deps: ImportDeps,
): Promise<OrdersImportResult & { changedIds: string[] }> {
  const rows = prepare(inputs, deps);
  const now = (deps.now ?? (() => new Date()))();
  const existing = new Map<string, OrderDoc>();
  const stored = await inChunks(
    rows.map((r) => r.input.externalId),
    (chunk) =>
      Order.find({ externalId: { $in: chunk } })
        .lean<OrderDoc[]>()
        .exec(),
  );
  for (const o of stored) existing.set(o.externalId, o);
  const { index, created: contactsCreated } = await matchContacts(
    rows.filter((r) => !existing.has(r.input.externalId)),
  );
  const inserts: Array<Record<string, unknown>> = [];
  const updates: Array<{ filter: object; update: object }> = [];
  const changedIds: string[] = [];
  let unchanged = 0;
  for (const row of rows) {
    const fields = fieldsOf(row);
    const before = existing.get(row.input.externalId);
    if (!before) {
      const contactId = keysOf(row.customer)
        .map((k) => index.get(k))
        .find(Boolean)!;
      inserts.push({
        _id: new Types.ObjectId(),
        externalId: row.input.externalId,
        contactId,
        ...fields,
        history: [{ at: now, status: fields.status }],
        createdAt: now,
        updatedAt: now,
      });
      continue;
    }
    if (comparable(before as unknown as Partial<Fields>) === comparable(fields)) {
      unchanged += 1;
      continue;
    }
    changedIds.push(row.input.externalId);
    updates.push({
      filter: { _id: before._id },
      update: {
        $set: { ...fields, updatedAt: now },
        ...(before.status !== fields.status
          ? { $push: { history: { at: now, status: fields.status } } }
          : {}),
      },
    });
  }
  let created = 0;
  for (let i = 0; i < inserts.length; i += CHUNK) {
    const chunk = inserts.slice(i, i + CHUNK);
    try {
      created += (await Order.collection.insertMany(chunk, { ordered: false })).insertedCount;
    } catch (err) {
      // Another call inserted some of these ids meanwhile: theirs stand, ours count unchanged.
      const result = (err as { result?: { insertedCount?: number } }).result;
      if (!result || (err as { code?: number }).code !== 11000) throw err;
      created += result.insertedCount ?? 0;
      unchanged += chunk.length - (result.insertedCount ?? 0);
    }
  }
  for (let i = 0; i < updates.length; i += CHUNK) {
    await Order.collection.bulkWrite(
      updates.slice(i, i + CHUNK).map((u) => ({ updateOne: u })),
      { ordered: false },
    );
  }
  return {
    created,
    updated: updates.length,
    unchanged,
    contactsCreated,
    baseCurrency: deps.orders.baseCurrency,
    changedIds,
  };
}
