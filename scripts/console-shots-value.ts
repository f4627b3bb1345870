/**
 * Orders for the screenshots of the value page and the analytics page's revenue
 * (scripts/console-screenshots.ts): regular, lapsed and one-off customers over a year, one
 * campaign send before two recent orders, then the value fit (POST /api/value/fit) waited for.
 */
import { Campaign, CampaignRecipient } from '../src/features/campaigns/models.js';
import { Contact } from '../src/kernel/db/models/contact.js';

const DAY = 86_400_000;
const every = (step: number, from: number, to: number) =>
  Array.from({ length: Math.floor((to - from) / step) + 1 }, (_, k) => from + k * step);

function ordersOf(id: string, name: string, daysAgo: number[], amount: number) {
  return daysAgo.map((d, i) => ({
    externalId: `${id}-${i}`,
    customer: { externalId: id, name },
    placedAt: new Date(Date.now() - d * DAY - 3_600_000).toISOString(),
    amount: amount + (i % 3) * 5,
    currency: 'EUR',
    status: 'delivered' as const,
  }));
}

const NAMES = ['Lucía Fernández', 'Jorge Martín', 'Olivia Smith', 'Pablo Ruiz', 'Emma Brown'];

export async function seedValueData(url: string, admin: Record<string, string>): Promise<void> {
  const orders = [];
  for (let i = 0; i < 30; i++)
    orders.push(
      ...ordersOf(
        `shot-steady-${i}`,
        `${NAMES[i % NAMES.length]} ${i + 1}`,
        every(14, 1 + (i % 12), 300),
        20 + (i % 7) * 6,
      ),
    );
  for (let i = 0; i < 12; i++)
    orders.push(
      ...ordersOf(`shot-lapsed-${i}`, `Cliente dormido ${i + 1}`, every(7, 200 + i, 380), 45),
    );
  for (let i = 0; i < 12; i++)
    orders.push(...ordersOf(`shot-once-${i}`, `Nuevo ${i + 1}`, [1 + i * 2], 15));
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
  for (const id of ['shot-steady-0', 'shot-steady-1', 'shot-once-0', 'shot-once-1']) {
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
