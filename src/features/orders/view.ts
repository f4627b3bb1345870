/** An order document as the API shows it. */
import type { OrderDoc } from '../../kernel/db/models/order.js';
import type { OrderView } from './schemas.js';

const iso = (d: Date | null | undefined) => (d ? new Date(d).toISOString() : null);

export function orderView(o: OrderDoc, baseCurrency: string): OrderView {
  return {
    id: o._id.toHexString(),
    externalId: o.externalId,
    number: o.number,
    contactId: String(o.contactId),
    placedAt: new Date(o.placedAt).toISOString(),
    amount: o.amount,
    currency: o.currency,
    baseAmount: o.baseAmount,
    baseCurrency,
    status: o.status ?? 'placed',
    trackingUrl: o.trackingUrl ?? null,
    items: (o.items ?? []).map((i) => ({
      sku: i.sku ?? null,
      name: i.name,
      quantity: i.quantity,
      unitPrice: i.unitPrice ?? null,
    })),
    history: (o.history ?? []).map((h) => ({
      at: new Date(h.at).toISOString(),
      status: h.status ?? 'placed',
    })),
    createdAt: iso(o.createdAt),
    updatedAt: iso(o.updatedAt),
  };
}
