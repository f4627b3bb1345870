/**
 * The console's CSV import on a real Charla (FerretDB + Redis): POST /api/orders/import guesses
 * the mapping from the header, a dry run lists per-row errors and writes nothing, a file with bad
 * rows is refused whole, a clean file imports (audited, `orders.changed` → the value job) and the
 * same file again changes nothing; only marketer/admin.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuditEntry } from '../../../src/kernel/db/models/audit-entry.js';
import { Contact } from '../../../src/kernel/db/models/contact.js';
import { Order } from '../../../src/kernel/db/models/order.js';
import {
  guessMapping,
  parseAmount,
  parsePlacedAt,
  parseStatus,
} from '../../../src/features/orders/csv-import.js';
import { staffWithRole, type Staff } from '../auth/staff-client.js';
import { startTestApp, type TestApp } from '../../support/app.js';

let app: TestApp;
let marketer: Staff;
let agent: Staff;

beforeAll(async () => {
  app = await startTestApp({ BASE_CURRENCY: 'EUR', CURRENCY_RATES: 'USD:0.92' });
  marketer = await staffWithRole(app, 'marketer');
  agent = await staffWithRole(app, 'agent');
});
afterAll(async () => app?.stop());

const tag = Date.now().toString(36);
const post = (who: Staff, body: Record<string, unknown>) =>
  who.call('POST', '/api/orders/import', body);

describe('parsing cells', () => {
  it('reads amounts, dates and statuses as shops write them', () => {
    expect(parseAmount('1.234,50')).toBe(1234.5);
    expect(parseAmount('1,234.50')).toBe(1234.5);
    expect(parseAmount('12,5')).toBe(12.5);
    expect(parseAmount('€ 12.50')).toBe(12.5);
    expect(parseAmount('twelve')).toBeUndefined();
    expect(parsePlacedAt('2026-11-02')).toBe('2026-11-02T00:00:00.000Z');
    expect(parsePlacedAt('2026-11-02 10:30')).toBe('2026-11-02T10:30:00.000Z');
    expect(parsePlacedAt('2026-11-02T10:30:00+01:00')).toBe('2026-11-02T09:30:00.000Z');
    expect(parsePlacedAt('02/11/2026')).toBeUndefined();
    expect(parseStatus('Shipped')).toBe('shipped');
    expect(parseStatus('Entregado')).toBe('delivered');
    expect(parseStatus('lost')).toBeUndefined();
  });

  it('guesses the mapping from English and Spanish headers', () => {
    expect(guessMapping(['Order ID', 'Correo', 'Teléfono', 'Fecha', 'Importe', 'Estado'])).toEqual({
      externalId: 'Order ID',
      email: 'Correo',
      phone: 'Teléfono',
      placedAt: 'Fecha',
      amount: 'Importe',
      status: 'Estado',
    });
  });
});

describe('POST /api/orders/import', () => {
  const bad = [
    'Order ID,Email,Date,Total,Currency,Status',
    `A-${tag}-1,ana-${tag}@example.com,2026-11-02,120.50,EUR,shipped`,
    `A-${tag}-2,,2026-11-03,80,EUR,placed`,
    `A-${tag}-3,bea-${tag}@example.com,yesterday,abc,JPY,lost`,
    `A-${tag}-1,ana-${tag}@example.com,2026-11-04,10,EUR,placed`,
  ].join('\n');

  it('a dry run lists each bad row with its reasons and writes nothing', async () => {
    const ordersBefore = await Order.countDocuments();
    const contactsBefore = await Contact.countDocuments();
    const res = await post(marketer, { csv: bad, dryRun: true });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ dryRun: true, rows: 4, valid: 1, existing: 0, result: null });
    expect(res.body.mapping).toMatchObject({ externalId: 'Order ID', amount: 'Total' });
    const byLine = (line: number) =>
      res.body.errors
        .filter((e: { line: number }) => e.line === line)
        .map((e: { field: string; code: string }) => `${e.field}:${e.code}`);
    expect(byLine(2)).toEqual([]);
    expect(byLine(3)).toEqual(['email:customer_required']);
    expect(byLine(4)).toEqual([
      'amount:invalid_amount',
      'placedAt:invalid_date',
      'currency:unknown_currency',
      'status:invalid_status',
    ]);
    expect(byLine(5)).toEqual(['externalId:duplicate_external_id']);
    expect(res.body.errorCount).toBe(6);
    expect(await Order.countDocuments()).toBe(ordersBefore);
    expect(await Contact.countDocuments()).toBe(contactsBefore);
  });

  it('refuses to import a file with bad rows, writing nothing', async () => {
    const ordersBefore = await Order.countDocuments();
    const res = await post(marketer, { csv: bad, dryRun: false });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('csv_rows_invalid');
    expect(await Order.countDocuments()).toBe(ordersBefore);
  });

  it('imports with a given mapping, once: the same file again changes nothing', async () => {
    const csv = [
      'ref;cliente;when;importe;moneda;seguimiento',
      `B-${tag}-1;cid-${tag};2026-10-01 09:00;1.200,00;USD;https://track.example/1`,
      `B-${tag}-2;cid-${tag};2026-10-15;35,5;;`,
    ].join('\n');
    const mapping = {
      externalId: 'ref',
      customerId: 'cliente',
      placedAt: 'when',
      amount: 'importe',
      currency: 'moneda',
      trackingUrl: 'seguimiento',
    };
    const dry = await post(marketer, { csv, mapping, dryRun: true });
    expect(dry.body).toMatchObject({ rows: 2, valid: 2, errorCount: 0, existing: 0 });
    expect(await Order.countDocuments({ externalId: { $in: [`B-${tag}-1`, `B-${tag}-2`] } })).toBe(
      0,
    );

    const first = await post(marketer, { csv, mapping, dryRun: false });
    expect(first.status).toBe(200);
    expect(first.body.result).toEqual({
      created: 2,
      updated: 0,
      unchanged: 0,
      contactsCreated: 1,
      baseCurrency: 'EUR',
    });
    const stored = await Order.findOne({ externalId: `B-${tag}-1` }).lean();
    expect(stored).toMatchObject({ amount: 1200, currency: 'USD', baseAmount: 1104 });
    expect(stored?.trackingUrl).toBe('https://track.example/1');
    const second = await Order.findOne({ externalId: `B-${tag}-2` }).lean();
    expect(second).toMatchObject({ amount: 35.5, currency: 'EUR', status: 'placed' });
    expect(String(second?.contactId)).toBe(String(stored?.contactId));
    const audit = await AuditEntry.findOne({
      action: 'orders.import',
      'details.source': 'csv',
    }).lean();
    expect(audit?.details).toMatchObject({ received: 2, created: 2 });

    const again = await post(marketer, { csv, mapping, dryRun: false });
    expect(again.body).toMatchObject({ existing: 2 });
    expect(again.body.result).toMatchObject({ created: 0, updated: 0, unchanged: 2 });
    expect(await Order.countDocuments({ externalId: { $in: [`B-${tag}-1`, `B-${tag}-2`] } })).toBe(
      2,
    );
  });

  it('refuses unreadable files, unknown columns and staff without the right', async () => {
    const empty = await post(marketer, { csv: 'only,a,header\n', dryRun: true });
    expect(empty.status).toBe(400);
    expect(empty.body.error.code).toBe('csv_empty');
    const broken = await post(marketer, { csv: 'a,b\n"unterminated,1\n', dryRun: true });
    expect(broken.status).toBe(400);
    expect(broken.body.error.code).toBe('csv_unreadable');
    const unknown = await post(marketer, {
      csv: 'a,b\n1,2\n',
      mapping: { externalId: 'nope' },
      dryRun: true,
    });
    expect(unknown.status).toBe(400);
    expect(unknown.body.error.code).toBe('csv_unknown_column');
    const refused = await post(agent, { csv: bad, dryRun: true });
    expect(refused.status).toBe(403);
  });
});
