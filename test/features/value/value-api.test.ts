/**
 * Customer value end to end on a real Charla (FerretDB/MongoDB + Redis): the CDNOW sample's
 * calibration-period transactions (2,357 customers, 1997-01-01 … 1997-09-30) go in through
 * POST /api/orders, the background job fits the model as of 1997-09-30, and
 * GET /api/value/model answers the published parameters within 1 % (Fader, Hardie & Lee 2005;
 * Fader & Hardie 2013). The contact view gains its `value` block; roles from the ACCESS table.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { summariseOrders } from '../../../src/features/value/customer-summary.js';
import { AuditEntry } from '../../../src/kernel/db/models/audit-entry.js';
import { Contact } from '../../../src/kernel/db/models/contact.js';
import { staffWithRole, type Staff } from '../auth/staff-client.js';
import { eventually, startTestApp, type TestApp } from '../../support/app.js';
import { CALIBRATION_END, readCdnowOrders, sampleMasterIds } from './cdnow.js';

let app: TestApp;
let marketer: Staff;
let viewer: Staff;
let agent: Staff;
const AS_OF = '1997-09-30';

/** The sample customers' calibration orders, one API order per transaction row. */
function sampleOrders() {
  const all = readCdnowOrders();
  const ids = new Set(sampleMasterIds(summariseOrders(all, CALIBRATION_END)));
  expect(ids.size).toBe(2357);
  return all
    .map((o, i) => ({ o, i }))
    .filter(({ o }) => ids.has(o.customerId) && o.placedAt <= CALIBRATION_END)
    .map(({ o, i }) => ({
      externalId: `cdnow-${i}`,
      customer: { externalId: `cdnow-${o.customerId}` },
      placedAt: o.placedAt.toISOString(),
      amount: o.amount,
      currency: 'USD',
      status: 'delivered' as const,
    }));
}

beforeAll(async () => {
  app = await startTestApp({ BASE_CURRENCY: 'USD' });
  marketer = await staffWithRole(app, 'marketer');
  viewer = await staffWithRole(app, 'viewer');
  agent = await staffWithRole(app, 'agent');
}, 120_000);
afterAll(async () => app?.stop());

const within1pct = (got: number, published: number) =>
  expect(Math.abs(got / published - 1), `${got} vs ${published}`).toBeLessThan(0.01);

describe('the value model on the CDNOW sample, through the API', () => {
  it('fits the published BG/NBD and Gamma-Gamma parameters within 1 %', async () => {
    const orders = sampleOrders();
    for (let i = 0; i < orders.length; i += 10_000) {
      const res = await marketer.call('POST', '/api/orders', {
        orders: orders.slice(i, i + 10_000),
      });
      expect(res.status).toBe(200);
    }
    const before = await viewer.call('GET', `/api/value/model?asOf=${AS_OF}`);
    expect(before.status).toBe(404);
    const queued = await marketer.call('POST', '/api/value/fit', { asOf: AS_OF });
    expect(queued.status).toBe(202);
    expect(queued.body).toEqual({ queued: true, asOf: AS_OF });
    const res = await eventually(async () => {
      const r = await viewer.call('GET', `/api/value/model?asOf=${AS_OF}`);
      return r.status === 200 ? r : undefined;
    }, 120_000);
    const model = res.body;
    expect(model).toMatchObject({ asOf: AS_OF, customers: 2357, baseCurrency: 'USD' });
    expect(model.bgnbd.timeUnit).toBe('week');
    within1pct(model.bgnbd.r, 0.243);
    within1pct(model.bgnbd.alpha, 4.414);
    within1pct(model.bgnbd.a, 0.793);
    within1pct(model.bgnbd.b, 2.426);
    expect(model.bgnbd.logLikelihood).toBeCloseTo(-9582.43, 0);
    expect(model.gammaGamma.customers).toBe(946);
    within1pct(model.gammaGamma.p, 6.25);
    within1pct(model.gammaGamma.q, 3.74);
    within1pct(model.gammaGamma.v, 15.44);
    const total = Object.values(model.segments as Record<string, number>).reduce((a, b) => a + b);
    expect(total).toBe(2357);
    expect(await AuditEntry.countDocuments({ action: 'value.fit', targetId: AS_OF })).toBe(1);
  }, 300_000);

  it('the contact view carries the value block; a contact without orders has none', async () => {
    // Master customer 00004 is sample customer 1: two purchase days in calibration.
    const contact = await Contact.findOne({ externalIds: 'cdnow-00004' }).lean();
    const view = await eventually(async () => {
      const r = await marketer.call('GET', `/api/contacts/${contact!._id.toHexString()}`);
      return r.body.value ? r.body : undefined;
    }, 60_000);
    expect(view.value).toMatchObject({ currency: 'USD', orders: expect.any(Number) });
    expect(view.value.orders).toBeGreaterThan(0);
    expect(view.value.historicRevenue).toBeGreaterThan(0);
    expect(view.value.probabilityActive).toBeGreaterThan(0);
    expect(view.value.probabilityActive).toBeLessThanOrEqual(1);
    expect(view.value.clv12m).toBeGreaterThanOrEqual(0);
    expect(view.value.expectedPurchases90d).toBeGreaterThanOrEqual(0);
    expect(view.value.rfm.segment).toEqual(expect.any(String));
    const stranger = await Contact.create({ name: 'Sin pedidos' });
    const none = await marketer.call('GET', `/api/contacts/${stranger._id.toHexString()}`);
    expect(none.status).toBe(200);
    expect(none.body.value).toBeNull();
  }, 120_000);

  it('roles and bad input: agents may not read, viewers may not fit, bad dates are 400', async () => {
    expect((await agent.call('GET', '/api/value/model')).status).toBe(403);
    expect((await viewer.call('POST', '/api/value/fit', {})).status).toBe(403);
    for (const asOf of ['1997-13-01', 'yesterday', '1997-9-3']) {
      const r = await viewer.call('GET', `/api/value/model?asOf=${asOf}`);
      expect(r.status, asOf).toBe(400);
    }
    expect((await marketer.call('POST', '/api/value/fit', { asOf: 'soon' })).status).toBe(400);
    expect((await viewer.call('GET', '/api/value/model?asOf=2001-01-01')).status).toBe(404);
  });
});
