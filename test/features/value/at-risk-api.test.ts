/**
 * Who is slipping away, end to end on a real Charla: orders through POST /api/orders, the fit
 * job, then GET /api/value/at-risk, the contact view's `value.churn` and the segment filters
 * (`atRiskHighValue`, `valueSegments`). Customers are drawn so the model alone flags the lapsed
 * big spenders, and Charla's own signals (a reopened case, a frustrated conversation) flag a
 * big spender the model still sees as active.
 */
import type { Types } from 'mongoose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Case } from '../../../src/kernel/db/models/case.js';
import { Contact } from '../../../src/kernel/db/models/contact.js';
import { Conversation } from '../../../src/kernel/db/models/conversation.js';
import { Lead } from '../../../src/kernel/db/models/lead.js';
import { staffWithRole, type Staff } from '../auth/staff-client.js';
import { eventually, startTestApp, type TestApp } from '../../support/app.js';

const DAY = 86_400_000;
let app: TestApp;
let marketer: Staff;
let viewer: Staff;
let agent: Staff;
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

function seedOrders() {
  const orders = [];
  for (let i = 0; i < 30; i++)
    orders.push(...customerOrders(`steady-${i}`, every(14, 2 + (i % 10), 300), 20));
  for (let i = 0; i < 15; i++)
    orders.push(...customerOrders(`lapsed-${i}`, every(7, 250 + i, 400), 30));
  for (let i = 0; i < 15; i++) orders.push(...customerOrders(`once-${i}`, [1 + i * 13], 10));
  orders.push(...customerOrders('low-lapsed', [400, 390], 5));
  orders.push(...customerOrders('vip-trouble', every(14, 2, 300), 40));
  orders.push(...customerOrders('vip-calm', every(14, 2, 300), 40));
  return orders;
}

beforeAll(async () => {
  app = await startTestApp();
  [marketer, viewer, agent] = await Promise.all([
    staffWithRole(app, 'marketer'),
    staffWithRole(app, 'viewer'),
    staffWithRole(app, 'agent'),
  ]);
  const res = await marketer.call('POST', '/api/orders', { orders: seedOrders() });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  for (const c of await Contact.find({ externalIds: { $exists: true, $ne: [] } }).lean()) {
    contactOf[c.externalIds![0]!] = c._id;
  }
  const trouble = contactOf['vip-trouble']!;
  await Conversation.create({
    contactId: trouble,
    channel: 'webchat',
    platformConversationId: 'risk-1',
    platformUserId: 'risk-1',
    sentiment: { trend: [], frustratedAt: new Date(Date.now() - 3 * DAY) },
  });
  await Case.create({
    number: 'CS-RISK-1',
    contactId: trouble,
    channel: 'webchat',
    status: 'open',
    timeline: [
      { at: new Date(Date.now() - 9 * DAY), kind: 'status', from: 'open', to: 'resolved' },
      { at: new Date(Date.now() - 4 * DAY), kind: 'status', from: 'resolved', to: 'open' },
    ],
  });
}, 120_000);
afterAll(async () => app?.stop());

type Reason = { code: string };
const codes = (reasons: Reason[]) => reasons.map((r) => r.code);

describe('who is slipping away', () => {
  it('before a fit there is no list; agents may not read it; limits are checked', async () => {
    expect((await viewer.call('GET', '/api/value/at-risk')).status).toBe(404);
    expect((await agent.call('GET', '/api/value/at-risk')).status).toBe(403);
    for (const limit of ['0', '201', 'ten']) {
      expect((await viewer.call('GET', `/api/value/at-risk?limit=${limit}`)).status).toBe(400);
    }
  });

  it('lists the lapsed big spenders by the model and the troubled one by what Charla saw', async () => {
    expect((await marketer.call('POST', '/api/value/fit', {})).status).toBe(202);
    await eventually(async () => {
      const r = await viewer.call('GET', '/api/value/model');
      return r.status === 200 && r.body.bgnbd ? r : undefined;
    }, 90_000);
    const res = await viewer.call('GET', '/api/value/at-risk?limit=200');
    expect(res.status).toBe(200);
    const byId = new Map(
      (res.body.customers as Array<{ contactId: string; reasons: Reason[]; risk: number }>).map(
        (c) => [c.contactId, c],
      ),
    );
    const id = (name: string) => contactOf[name]!.toHexString();
    for (let i = 0; i < 15; i++) {
      const c = byId.get(id(`lapsed-${i}`));
      expect(c, `lapsed-${i}`).toBeDefined();
      expect(codes(c!.reasons)).toEqual(
        expect.arrayContaining(['probability_active_low', 'lapsed']),
      );
    }
    const trouble = byId.get(id('vip-trouble'));
    expect(trouble).toBeDefined();
    expect(codes(trouble!.reasons)).toEqual(['open_case', 'reopened_case', 'frustrated']);
    expect(trouble!.risk).toBeGreaterThanOrEqual(0.5);
    // The same spender without trouble, the steady small ones and the lapsed small one are not.
    expect(byId.has(id('vip-calm'))).toBe(false);
    expect(byId.has(id('low-lapsed'))).toBe(false);
    for (let i = 0; i < 30; i++) expect(byId.has(id(`steady-${i}`))).toBe(false);
    expect(res.body.total).toBe(16);
    // Riskiest value first: risk × historic revenue never rises down the list.
    const stakes = res.body.customers.map(
      (c: { risk: number; historicRevenue: number }) => c.risk * c.historicRevenue,
    );
    expect(stakes).toEqual([...stakes].sort((a: number, b: number) => b - a));
    for (const c of res.body.customers as Array<{ contactId: string; name: string }>) {
      const external = Object.keys(contactOf).find(
        (k) => contactOf[k]!.toHexString() === c.contactId,
      );
      expect(c.name).toBe(`Cliente ${external}`);
    }
    const two = await viewer.call('GET', '/api/value/at-risk?limit=2');
    expect(two.body.customers).toHaveLength(2);
    expect(two.body.total).toBe(16);
  }, 120_000);

  it('the overview: CLV distribution, top customers by CLV, the RFM grid', async () => {
    expect((await agent.call('GET', '/api/value/overview')).status).toBe(403);
    expect((await viewer.call('GET', '/api/value/overview?top=0')).status).toBe(400);
    const res = await viewer.call('GET', '/api/value/overview?top=5');
    expect(res.status).toBe(200);
    const o = res.body;
    expect(o.customers).toBe(63);
    const binned = o.clvDistribution.reduce(
      (s: number, b: { customers: number }) => s + b.customers,
      0,
    );
    expect(binned).toBe(63);
    const cells = o.rfmGrid.reduce((s: number, c: { customers: number }) => s + c.customers, 0);
    expect(cells).toBe(63);
    expect(o.topCustomers).toHaveLength(5);
    const clv = o.topCustomers.map((c: { clv12m: number }) => c.clv12m);
    expect(clv).toEqual([...clv].sort((a: number, b: number) => b - a));
    // The two big steady spenders are worth the most over the next year.
    expect(
      o.topCustomers
        .slice(0, 2)
        .map((c: { name: string }) => c.name)
        .sort(),
    ).toEqual(['Cliente vip-calm', 'Cliente vip-trouble']);
  });

  it('the contact view carries the churn risk and its reasons', async () => {
    const view = await marketer.call(
      'GET',
      `/api/contacts/${contactOf['vip-trouble']!.toHexString()}`,
    );
    expect(view.body.value.churn).toMatchObject({ atRisk: true, highValue: true });
    expect(view.body.value.churn.modelRisk).toBeLessThan(0.3);
    expect(codes(view.body.value.churn.reasons)).toEqual([
      'open_case',
      'reopened_case',
      'frustrated',
    ]);
    const calm = await marketer.call(
      'GET',
      `/api/contacts/${contactOf['vip-calm']!.toHexString()}`,
    );
    expect(calm.body.value.churn).toMatchObject({ atRisk: false, highValue: true, reasons: [] });
  });

  it('segments select leads by "at risk, high value" and by RFM segment', async () => {
    const names = ['lapsed-0', 'vip-trouble', 'vip-calm', 'steady-0', 'once-0'];
    await Lead.create(
      names.map((n) => ({ contactId: contactOf[n], name: n, channel: 'webchat' as const })),
    );
    const count = async (filter: Record<string, unknown>) => {
      const r = await marketer.call('POST', '/api/segments/count', { filter });
      expect(r.status, JSON.stringify(r.body)).toBe(200);
      return r.body.count as number;
    };
    expect(await count({ atRiskHighValue: true })).toBe(2);
    expect(await count({ atRiskHighValue: false })).toBe(3);
    const segmentOf: Record<string, string> = {};
    for (const n of names) {
      const v = await marketer.call('GET', `/api/contacts/${contactOf[n]!.toHexString()}`);
      segmentOf[n] = v.body.value.rfm.segment;
    }
    const wanted = [segmentOf['lapsed-0']!, segmentOf['once-0']!];
    const expected = names.filter((n) => wanted.includes(segmentOf[n]!)).length;
    expect(await count({ valueSegments: wanted })).toBe(expected);
    expect(await count({ valueSegments: ['champions'], atRiskHighValue: true })).toBe(
      names.filter((n) => segmentOf[n] === 'champions' && ['lapsed-0', 'vip-trouble'].includes(n))
        .length,
    );
    const bad = await marketer.call('POST', '/api/segments/count', {
      filter: { valueSegments: ['whales'] },
    });
    expect(bad.status).toBe(400);
  });
});
