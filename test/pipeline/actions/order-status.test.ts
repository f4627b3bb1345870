/**
 * "Where is my order?" end to end on a real Charla (FerretDB/MongoDB + Redis, web chat): the
 * customer's own order is answered (status, tracking link); another person's order number is
 * never disclosed — the visitor is asked for the order's email, and only the right email in the
 * same message answers it; an unknown number gets the very same request; an order late beyond
 * ORDER_LATE_DAYS opens one case; every answer offers a person.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Case } from '../../../src/kernel/db/models/case.js';
import { Contact } from '../../../src/kernel/db/models/contact.js';
import { Order } from '../../../src/kernel/db/models/order.js';
import { orderNumbersIn } from '../../../src/pipeline/actions/order-status.js';
import { call } from '../../features/auth/staff-client.js';
import { settledSession, webchatClient, type Session } from '../../channels/webchat/client.js';
import { startTestApp, type TestApp } from '../../support/app.js';

let app: TestApp;
let web: ReturnType<typeof webchatClient>;
const DAY = 86_400_000;

beforeAll(async () => {
  app = await startTestApp({ ORDER_LATE_DAYS: '10' });
  web = webchatClient(app.url);
}, 120_000);
afterAll(async () => app?.stop());

let seq = 0;
const uniq = () => `${Date.now() % 1_000_000}${(seq += 1)}`;

async function importOrders(orders: unknown[]) {
  const res = await call(app, 'POST', '/api/orders', { headers: app.admin, body: { orders } });
  expect(res.status).toBe(200);
}

/** Sends `text` and returns the bot's replies to it (texts and quick replies). */
async function ask(s: Session, text: string, n: number) {
  expect((await web.post(s, { text })).status).toBeLessThan(300);
  const { outbound, conversations } = await settledSession(s.sessionId, n);
  const last = outbound.filter((m) => m.createdAt >= outbound[outbound.length - 1]!.createdAt);
  return { replies: last, text: last.map((m) => m.text).join('\n'), conv: conversations[0]! };
}

describe('order_status', () => {
  it('reads order numbers as customers write them', () => {
    expect(orderNumbersIn('¿dónde está el pedido #10-234?')).toEqual(['10-234']);
    expect(orderNumbersIn('order a-77812 please')).toEqual(['A-77812']);
    expect(orderNumbersIn('pedido 55201 luis@correo.es')).toEqual(['55201']);
    expect(orderNumbersIn('where is my order?')).toEqual([]);
  });

  it('answers the customer’s own order with status and tracking link', async () => {
    const s = await web.createSession('es');
    const first = await ask(s, 'hola', 1);
    const email = `own-${uniq()}@example.com`;
    await Contact.updateOne({ _id: first.conv.contactId }, { $push: { emails: email } });
    const number = `7${uniq()}`;
    await importOrders([
      {
        externalId: number,
        customer: { email },
        placedAt: new Date(Date.now() - 2 * DAY).toISOString(),
        amount: 40,
        currency: 'EUR',
        status: 'shipped',
        trackingUrl: 'https://track.example.com/p/1',
      },
    ]);
    const { text, replies } = await ask(s, '¿dónde está mi pedido?', 2);
    expect(text).toContain(number);
    expect(text).toContain('enviado');
    expect(text).toContain('https://track.example.com/p/1');
    expect(replies.at(-1)?.quickReplies?.map((q) => q.title)).toContain('Hablar con una persona');
  }, 60_000);

  it('never discloses another person’s order: asks for its email, and only the right one answers', async () => {
    const owner = `owner-${uniq()}@example.com`;
    const number = `8${uniq()}`;
    await importOrders([
      {
        externalId: number,
        customer: { email: owner },
        placedAt: new Date(Date.now() - DAY).toISOString(),
        amount: 10,
        currency: 'EUR',
        status: 'shipped',
        trackingUrl: 'https://track.example.com/secret',
      },
    ]);
    const s = await web.createSession('en');
    const asked = await ask(s, `where is my order ${number}?`, 1);
    expect(asked.text).toMatch(/email/i);
    expect(asked.text).not.toContain('secret');
    expect(asked.text).not.toMatch(/shipped/i);
    const unknown = await ask(s, 'where is my order 99999999?', 2);
    // The same answer whether the number exists or not.
    expect(unknown.text.replace('99999999', number)).toBe(asked.text);
    const wrong = await ask(s, `order ${number} someone@example.com`, 3);
    expect(wrong.text).not.toContain('secret');
    const right = await ask(s, `order ${number} ${owner}`, 4);
    expect(right.text).toContain('shipped');
    expect(right.text).toContain('https://track.example.com/secret');
  }, 90_000);

  it('opens one case for an order late beyond ORDER_LATE_DAYS', async () => {
    const s = await web.createSession('en');
    const first = await ask(s, 'hello', 1);
    const email = `late-${uniq()}@example.com`;
    await Contact.updateOne({ _id: first.conv.contactId }, { $push: { emails: email } });
    const number = `9${uniq()}`;
    await importOrders([
      {
        externalId: number,
        customer: { email },
        placedAt: new Date(Date.now() - 15 * DAY).toISOString(),
        amount: 99,
        currency: 'EUR',
      },
    ]);
    const late = await ask(s, `what's the status of order ${number}?`, 2);
    const order = await Order.findOne({ externalId: number }).lean();
    expect(order?.lateCaseId).toBeTruthy();
    const opened = await Case.findById(order!.lateCaseId).lean();
    expect(opened?.contactId?.equals(first.conv.contactId)).toBe(true);
    expect(late.text).toContain(opened!.number);
    const again = await ask(s, `where is order ${number}?`, 3);
    expect(again.text).toContain(opened!.number);
    expect(await Case.countDocuments({ contactId: first.conv.contactId })).toBe(1);
  }, 90_000);
});
