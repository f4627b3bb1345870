/**
 * Orders for the screenshots of the value page and the analytics page's revenue
 * (scripts/console-screenshots.ts): 300 customers of a shop over 18 months drawn from a
 * BG/NBD-like process with a fixed seed (src/features/value/synthetic-orders.ts: each
 * customer's weekly purchase rate from a Gamma, a drop-out chance after each repeat purchase
 * from a Beta, spend from the Gamma-Gamma), so the fit looks like a real shop's — customers who
 * buy at different paces and some who have stopped — instead of a few hand-made patterns
 * (which fitted a ≈ 400,000, b ≈ 29,000,000: nobody ever drops out). Then one campaign send
 * before some recent orders, and the value fit (POST /api/value/fit) waited for.
 */
import { Campaign, CampaignRecipient } from '../src/features/campaigns/models.js';
import { syntheticOrders } from '../src/features/value/synthetic-orders.js';
import { Contact } from '../src/kernel/db/models/contact.js';

const DAY = 86_400_000;
const WEEKS = 78;
const CUSTOMERS = 300;

const FIRST = [
  'Lucía',
  'Jorge',
  'Olivia',
  'Pablo',
  'Emma',
  'Íñigo',
  'Zoë',
  'Martín',
  'Chloé',
  'Sofía',
  'Noah',
  'Begoña',
];
const LAST = [
  'Fernández',
  'Martín',
  'Smith',
  'Ruiz',
  'Brown',
  'Núñez',
  'Azpiazu',
  'García',
  'Dubois',
  'Ortega',
  'Wilson',
];
const nameOf = (i: number) =>
  `${FIRST[i % FIRST.length]} ${LAST[(i * 7 + 3) % LAST.length]} ${i + 1}`;

/** The shop's orders: weekly rates Gamma(0.9, 9) (a purchase every ~10 weeks, varying a lot), drop-out Beta(0.6, 3), ~€35 an order. */
function shopOrders() {
  const end = Date.now() - 3_600_000;
  const start = new Date(end - WEEKS * 7 * DAY);
  const orders = [];
  for (const o of syntheticOrders({
    customers: CUSTOMERS,
    seed: 20261207,
    bgnbd: { r: 0.9, alpha: 9, a: 0.6, b: 3 },
    gammaGamma: { p: 6, q: 4, v: 18 },
    start,
    acquisitionWeeks: WEEKS,
    observedWeeks: WEEKS,
  })) {
    const i = Number(o.customerId.slice(1));
    orders.push({
      externalId: `shot-${o.customerId}-${o.placedAt.getTime()}`,
      customer: { externalId: `shot-${o.customerId}`, name: nameOf(i) },
      placedAt: o.placedAt.toISOString(),
      amount: Math.max(1, o.amount),
      currency: 'EUR',
      status: 'delivered' as const,
    });
  }
  return orders;
}

export async function seedValueData(url: string, admin: Record<string, string>): Promise<void> {
  const orders = shopOrders();
  const res = await fetch(`${url}/api/orders`, {
    method: 'POST',
    headers: { ...admin, 'content-type': 'application/json' },
    body: JSON.stringify({ orders }),
  });
  if (res.status !== 200) throw new Error(`orders: ${res.status} ${await res.text()}`);
  const campaign = await Campaign.create({
    name: 'Rebajas de otoño',
    segmentId: (await Contact.findOne({}).lean())!._id,
    channel: 'email',
    status: 'done',
    message: { es: { subject: 'Rebajas', text: 'Rebajas de otoño' } },
  });
  // Four customers who ordered in the last four days got the campaign just before.
  const recent = [
    ...new Set(
      orders
        .filter((o) => Date.parse(o.placedAt) > Date.now() - 4 * DAY)
        .map((o) => o.customer.externalId),
    ),
  ].slice(0, 4);
  for (const id of recent) {
    const contact = await Contact.findOne({ externalIds: id }).lean();
    if (!contact) continue;
    await CampaignRecipient.create({
      campaignId: campaign._id,
      contactId: contact._id,
      addressKey: `email:${id}@example.com`,
      state: 'sent',
      sentAt: new Date(Date.now() - 4 * DAY),
    });
  }
  const fit = await fetch(`${url}/api/value/fit`, {
    method: 'POST',
    headers: { ...admin, 'content-type': 'application/json' },
    body: '{}',
  });
  if (fit.status !== 202) throw new Error(`value fit: ${fit.status}`);
  for (let i = 0; i < 240; i++) {
    const model = await fetch(`${url}/api/value/model`, { headers: admin });
    if (model.status === 200 && ((await model.json()) as { bgnbd?: unknown }).bgnbd) return;
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error('value fit: no model after 2 minutes');
}
