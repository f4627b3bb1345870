/**
 * Orders on a real Charla (FerretDB/MongoDB + Redis): POST /api/orders matches customers to
 * contacts (shop customer id, email, phone) or creates them, converts amounts to BASE_CURRENCY
 * with CURRENCY_RATES or refuses the whole call, is idempotent by externalId and takes status
 * updates; roles from the ACCESS table; audited; export and erasure cover orders; a won lead
 * records its amount.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuditEntry } from '../../../src/kernel/db/models/audit-entry.js';
import { Contact } from '../../../src/kernel/db/models/contact.js';
import { Lead } from '../../../src/kernel/db/models/lead.js';
import { Order } from '../../../src/kernel/db/models/order.js';
import { call, staffWithRole, type Staff } from '../auth/staff-client.js';
import { startTestApp, type TestApp } from '../../support/app.js';

let app: TestApp;
let marketer: Staff;
let agent: Staff;
let viewer: Staff;

beforeAll(async () => {
  app = await startTestApp({ BASE_CURRENCY: 'EUR', CURRENCY_RATES: 'USD:0.92,gbp:1.17' });
  marketer = await staffWithRole(app, 'marketer');
  agent = await staffWithRole(app, 'agent');
  viewer = await staffWithRole(app, 'viewer');
});
afterAll(async () => app?.stop());

let seq = 0;
const uid = () => `${Date.now().toString(36)}-${(seq += 1)}`;

function order(over: Record<string, unknown> = {}) {
  return {
    externalId: `ORD-${uid()}`,
    customer: { email: `buyer-${uid()}@example.com` },
    placedAt: '2026-11-02T10:00:00Z',
    amount: 100,
    currency: 'EUR',
    ...over,
  };
}

const post = (who: Staff, orders: unknown[]) => who.call('POST', '/api/orders', { orders });

describe('POST /api/orders', () => {
  it('creates contacts for unknown customers, converts currencies, and is idempotent', async () => {
    const email = `ana-${uid()}@example.com`;
    const a = order({
      customer: { email: email.toUpperCase(), name: 'Ana', externalId: `cust-${uid()}` },
      amount: 50,
      currency: 'usd',
      items: [{ sku: 'A1', name: 'Kettle', quantity: 2, unitPrice: 25 }],
    });
    const b = order({ customer: { email }, amount: 10, currency: 'GBP', number: '#10-22' });
    const first = await post(marketer, [a, b]);
    expect(first.status).toBe(200);
    expect(first.body).toEqual({
      created: 2,
      updated: 0,
      unchanged: 0,
      contactsCreated: 1,
      baseCurrency: 'EUR',
    });
    const contact = await Contact.findOne({ emails: email }).lean();
    expect(contact?.name).toBe('Ana');
    const list = await marketer.call('GET', `/api/orders?contactId=${contact!._id.toHexString()}`);
    expect(list.status).toBe(200);
    expect(list.body.total).toBe(2);
    const byId = Object.fromEntries(list.body.items.map((o: any) => [o.externalId, o])); // eslint-disable-line @typescript-eslint/no-explicit-any
    expect(byId[a.externalId]).toMatchObject({
      amount: 50,
      currency: 'USD',
      baseAmount: 46,
      baseCurrency: 'EUR',
      status: 'placed',
      items: [{ sku: 'A1', name: 'Kettle', quantity: 2, unitPrice: 25 }],
    });
    expect(byId[b.externalId]).toMatchObject({ baseAmount: 11.7, number: '10-22' });

    const again = await post(marketer, [a, b]);
    expect(again.body).toMatchObject({ created: 0, updated: 0, unchanged: 2, contactsCreated: 0 });
    expect(await Order.countDocuments({ contactId: contact!._id })).toBe(2);
  });

  it('matches a known contact by phone or by the shop customer id, in any form', async () => {
    const phone = `+3461${String(Date.now()).slice(-7)}`;
    const known = await Contact.create({ name: 'Luis', phones: [phone] });
    const customerId = `shop-${uid()}`;
    const res = await post(marketer, [
      order({ customer: { phone: `0034 ${phone.slice(3)}`, externalId: customerId } }),
    ]);
    expect(res.body).toMatchObject({ created: 1, contactsCreated: 0 });
    // The shop id is now remembered on the contact: an order with only it lands there too.
    const next = await post(marketer, [order({ customer: { externalId: customerId } })]);
    expect(next.body).toMatchObject({ created: 1, contactsCreated: 0 });
    expect(await Order.countDocuments({ contactId: known._id })).toBe(2);
  });

  it('takes status updates by the same API, with the history of changes', async () => {
    const o = order();
    await post(marketer, [o]);
    const shipped = { ...o, status: 'shipped', trackingUrl: 'https://track.example.com/x?id=1' };
    const res = await post(marketer, [shipped]);
    expect(res.body).toMatchObject({ created: 0, updated: 1, unchanged: 0 });
    const stored = await Order.findOne({ externalId: o.externalId }).lean();
    expect(stored?.status).toBe('shipped');
    expect(stored?.trackingUrl).toBe('https://track.example.com/x?id=1');
    expect(stored?.history.map((h) => h.status)).toEqual(['placed', 'shipped']);
    const audit = await AuditEntry.findOne({ action: 'orders.import', 'details.updated': 1 })
      .sort({ _id: -1 })
      .lean();
    expect(audit?.details).toMatchObject({ received: 1, updatedIds: [o.externalId] });
  });

  it('refuses the whole call with 400 for an unknown currency, a bad phone or a repeated id', async () => {
    const good = order();
    const cases: Array<[unknown[], string]> = [
      [[good, order({ currency: 'JPY' })], 'unknown_currency'],
      [[good, order({ customer: { phone: '12' + 'x'.repeat(4) } })], 'invalid_phone'],
      [[good, { ...order(), externalId: good.externalId }], 'duplicate_external_id'],
      [[order({ customer: {} })], 'invalid_request'],
      [[order({ amount: -1 })], 'invalid_request'],
      [[order({ status: 'lost' })], 'invalid_request'],
      [[order({ trackingUrl: 'javascript:alert(1)' })], 'invalid_request'],
      [[order({ placedAt: 'yesterday' })], 'invalid_request'],
      [[], 'invalid_request'],
    ];
    for (const [orders, code] of cases) {
      const res = await post(marketer, orders);
      expect(res.status, code).toBe(400);
      expect(res.body.error.code).toBe(code);
    }
    const unknown = await post(marketer, [good, order({ currency: 'JPY' })]);
    expect(unknown.body.error.message).toMatch(/JPY.*CURRENCY_RATES|CURRENCY_RATES.*JPY/s);
    expect(await Order.countDocuments({ externalId: good.externalId })).toBe(0);
  });

  it('takes 10,000 orders in one call and refuses 10,001', async () => {
    const email = `bulk-${uid()}@example.com`;
    const many = Array.from({ length: 10_000 }, (_, i) =>
      order({ externalId: `BULK-${uid()}-${i}`, customer: { email }, amount: i % 50 }),
    );
    const res = await post(marketer, many);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ created: 10_000, contactsCreated: 1 });
    const over = await post(marketer, [...many, order()]);
    expect(over.status).toBe(400);
  }, 180_000);

  it('writes are for marketers and admins; agents and viewers read; anonymous 401', async () => {
    expect((await post(agent, [order()])).status).toBe(403);
    expect((await post(viewer, [order()])).status).toBe(403);
    const anon = await call(app, 'POST', '/api/orders', { body: { orders: [order()] } });
    expect(anon.status).toBe(401);
    const admin = await call(app, 'POST', '/api/orders', {
      headers: app.admin,
      body: { orders: [order()] },
    });
    expect(admin.status).toBe(200);
    const c = await Contact.findOne().lean();
    const path = `/api/orders?contactId=${c!._id.toHexString()}`;
    expect((await agent.call('GET', path)).status).toBe(200);
    expect((await viewer.call('GET', path)).status).toBe(200);
    expect((await agent.call('GET', '/api/orders?contactId=nope')).status).toBe(400);
  });
});

describe('privacy and leads', () => {
  it('export lists the orders; erasure keeps amounts but drops email, items and tracking', async () => {
    const email = `erase-${uid()}@example.com`;
    const o = order({
      customer: { email },
      trackingUrl: 'https://track.example.com/p/28001',
      items: [{ name: 'Libro', quantity: 1 }],
    });
    await post(marketer, [o]);
    const contact = await Contact.findOne({ emails: email }).lean();
    const id = contact!._id.toHexString();
    const exported = await call(app, 'GET', `/api/contacts/${id}/export`, { headers: app.admin });
    expect(exported.status).toBe(200);
    expect(exported.body.orders).toHaveLength(1);
    expect(exported.body.orders[0]).toMatchObject({ externalId: o.externalId, email });
    const erased = await call(app, 'POST', `/api/contacts/${id}/erase`, {
      headers: app.admin,
      body: { confirm: id },
    });
    expect(erased.status).toBe(200);
    expect(erased.body.counts.orders).toBe(1);
    const raw = await Order.collection.findOne({ externalId: o.externalId });
    expect(raw).toMatchObject({ amount: 100, baseAmount: 100, status: 'placed' });
    expect(JSON.stringify(raw)).not.toContain(email);
    expect(raw?.items).toBeUndefined();
    expect(raw?.trackingUrl).toBeUndefined();
  });

  it('a won lead records its amount; other statuses refuse one', async () => {
    const lead = await Lead.create({ channel: 'webchat', name: 'Eva', status: 'qualified' });
    const path = `/api/leads/${lead._id.toHexString()}`;
    const refused = await marketer.call('PATCH', path, { amount: 1200 });
    expect(refused.status).toBe(400);
    expect(refused.body.error.code).toBe('amount_needs_won');
    const won = await marketer.call('PATCH', path, { status: 'won', amount: 1200 });
    expect(won.status).toBe(200);
    expect(won.body).toMatchObject({ status: 'won', amount: 1200 });
    const audit = await AuditEntry.findOne({
      action: 'lead.update',
      targetId: path.split('/').pop(),
    })
      .sort({ _id: -1 })
      .lean();
    expect(audit?.after).toMatchObject({ amount: 1200, status: 'won' });
  });
});
