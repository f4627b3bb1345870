/**
 * The customer's value on the lead API (issue 22.7): GET /api/leads, GET /api/leads/:id and the
 * edit answers carry `customerValue` — the lead's contact's 12-month CLV, historic revenue and
 * orders from the latest value fit — read in one batch for the page, not once per lead.
 */
import type { Types } from 'mongoose';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { Contact } from '../../../src/kernel/db/models/contact.js';
import { Lead } from '../../../src/kernel/db/models/lead.js';
import { ValueScores } from '../../../src/features/value/store.js';
import { staffWithRole, type Staff } from '../auth/staff-client.js';
import { eventually, startTestApp, type TestApp } from '../../support/app.js';

const DAY = 86_400_000;
let app: TestApp;
let marketer: Staff;
let viewer: Staff;
const contactOf: Record<string, Types.ObjectId> = {};

function customerOrders(id: string, daysAgo: number[], amount: number) {
  return daysAgo.map((d, i) => ({
    externalId: `${id}-${i}`,
    customer: { externalId: id, name: `Cliente ${id}` },
    placedAt: new Date(Date.now() - d * DAY).toISOString(),
    amount,
    currency: 'EUR',
    status: 'delivered' as const,
  }));
}

const every = (step: number, from: number, to: number) =>
  Array.from({ length: Math.floor((to - from) / step) + 1 }, (_, k) => from + k * step);
/** Customer i's order days: every 14 days from 2 + i to 300. */
const days = (i: number) => every(14, 2 + i, 300);

type LeadBody = {
  id: string;
  contactId: string | null;
  customerValue: {
    currency: string;
    clv12m: number | null;
    historicRevenue: number;
    orders: number;
  } | null;
};

beforeAll(async () => {
  app = await startTestApp();
  [marketer, viewer] = await Promise.all([
    staffWithRole(app, 'marketer'),
    staffWithRole(app, 'viewer'),
  ]);
  const orders = [];
  // Twelve repeat customers (so the leads page spans several score buckets), lapsed ones and one-timers.
  for (let i = 0; i < 12; i++) orders.push(...customerOrders(`c${i}`, days(i), 10 + i));
  for (let i = 0; i < 15; i++)
    orders.push(...customerOrders(`lapsed-${i}`, every(7, 250 + i, 400), 30));
  for (let i = 0; i < 15; i++) orders.push(...customerOrders(`once-${i}`, [1 + i * 13], 10));
  const res = await marketer.call('POST', '/api/orders', { orders });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  for (const c of await Contact.find({ externalIds: { $exists: true, $ne: [] } }).lean()) {
    contactOf[c.externalIds![0]!] = c._id;
  }
  const noOrders = await Contact.create({ name: 'Sin pedidos', emails: ['sin@pedidos.test'] });
  await Lead.create([
    ...Array.from({ length: 12 }, (_, i) => ({
      name: `Cliente c${i}`,
      channel: 'webchat' as const,
      contactId: contactOf[`c${i}`],
    })),
    { name: 'Sin pedidos', channel: 'webchat' as const, contactId: noOrders._id },
    { name: 'Sin contacto', channel: 'webchat' },
  ]);
}, 120_000);
afterAll(async () => app?.stop());

describe('customer value on leads', () => {
  it('is null on every lead before a value fit', async () => {
    const res = await viewer.call('GET', '/api/leads?limit=50');
    expect(res.status).toBe(200);
    expect(res.body.items).toHaveLength(14);
    for (const l of res.body.items as LeadBody[]) expect(l.customerValue).toBeNull();
  });

  it('after a fit: each lead shows its contact’s CLV, revenue and orders, read in one batch', async () => {
    expect((await marketer.call('POST', '/api/value/fit', {})).status).toBe(202);
    await eventually(async () => {
      const r = await viewer.call('GET', '/api/value/model');
      return r.status === 200 && r.body.bgnbd ? r : undefined;
    }, 90_000);
    const find = vi.spyOn(ValueScores.collection, 'find');
    const findOne = vi.spyOn(ValueScores.collection, 'findOne');
    const res = await viewer.call('GET', '/api/leads?limit=50');
    const bucketReads = find.mock.calls.length + findOne.mock.calls.length;
    find.mockRestore();
    findOne.mockRestore();
    expect(res.status).toBe(200);
    expect(bucketReads).toBe(1);
    const items = res.body.items as LeadBody[];
    expect(items).toHaveLength(14);
    for (let i = 0; i < 12; i++) {
      const lead = items.find((l) => l.contactId === contactOf[`c${i}`]!.toHexString())!;
      // The same figures as the contact view's value block.
      const contact = await viewer.call('GET', `/api/contacts/${lead.contactId}`);
      expect(contact.status).toBe(200);
      const v = contact.body.value;
      expect(v).not.toBeNull();
      expect(lead.customerValue).toEqual({
        currency: 'EUR',
        clv12m: v.clv12m,
        historicRevenue: days(i).length * (10 + i),
        orders: days(i).length,
      });
      expect(lead.customerValue!.clv12m).toBeGreaterThan(0);
    }
    expect(items.find((l) => l.contactId === null)!.customerValue).toBeNull();
    const noOrders = items.find(
      (l) => l.contactId && !Object.values(contactOf).some((c) => c.toHexString() === l.contactId),
    );
    expect(noOrders!.customerValue).toBeNull();

    // The lead page and an edit's answer carry it too.
    const one = items.find((l) => l.contactId === contactOf.c3!.toHexString())!;
    const detail = await viewer.call('GET', `/api/leads/${one.id}`);
    expect(detail.body.lead.customerValue).toEqual(one.customerValue);
    const edited = await marketer.call('PATCH', `/api/leads/${one.id}`, { status: 'qualified' });
    expect(edited.status).toBe(200);
    expect(edited.body.customerValue).toEqual(one.customerValue);
  }, 150_000);
});
