/**
 * "Where is my order?" (built-in `order_status`, issue 22). The order is found by a number in the
 * message, and only disclosed to the contact it belongs to — or to someone who gives, in the
 * same message, the email address on the order. A number that is not the contact's, without that
 * email, gets a request for it, and the same answer whether the number exists or not (nothing is
 * disclosed about another person's order, not even that it exists). With no number, the
 * contact's latest order is answered. An order still not delivered ORDER_LATE_DAYS after it was
 * placed opens a support case (once per order; a replayed turn finds it). A "talk to a person"
 * button rides on every answer.
 */
import type { Types } from 'mongoose';
import type { ChannelId, Locale } from '../../kernel/contracts/messages.js';
import { createCase } from '../../kernel/db/cases.js';
import { Case, type CaseDoc } from '../../kernel/db/models/case.js';
import { Contact } from '../../kernel/db/models/contact.js';
import { Order, type OrderDoc } from '../../kernel/db/models/order.js';
import { turnId } from '../../kernel/db/turn-ids.js';
import type { OrderStatus } from '../../kernel/vocabulary.js';
import { fill } from '../engine/texts.js';
import type { ReplyDraft } from '../outbox.js';
import type { ActionContext } from './context.js';
import type { RecordEffects } from './effects.js';

const DAY_MS = 86_400_000;
export const DEFAULT_ORDER_LATE_DAYS = 7;

const T = {
  status: {
    es: 'Tu pedido {number} del {date}: {status}.',
    en: 'Your order {number} from {date}: {status}.',
  },
  tracking: {
    es: 'Puedes seguir el envío aquí: {url}',
    en: 'You can track the parcel here: {url}',
  },
  late: {
    es: 'Va con retraso, lo siento. He abierto el caso {case} para que el equipo lo revise y te diga algo.',
    en: 'It is running late, sorry. I have opened case {case} so the team looks into it and gets back to you.',
  },
  lateKnown: {
    es: 'Va con retraso; el equipo ya lo está revisando en el caso {case}.',
    en: 'It is running late; the team is already looking into it in case {case}.',
  },
  askNumber: {
    es: 'Claro, te ayudo con tu pedido. ¿Me dices el número de pedido y el email con el que lo hiciste? Por ejemplo: 10234 ana@ejemplo.com',
    en: 'Sure, I can help with your order. Could you send me the order number and the email you used for it? For example: 10234 ana@example.com',
  },
  verify: {
    es: 'Para proteger tus datos necesito comprobar que el pedido es tuyo: escríbeme en un mismo mensaje el número de pedido y el email con el que lo hiciste (por ejemplo: {number} ana@ejemplo.com).',
    en: 'To protect your details I need to check the order is yours: send me, in one message, the order number and the email you used for it (for example: {number} ana@example.com).',
  },
  person: { es: 'Hablar con una persona', en: 'Talk to a person' },
} satisfies Record<string, Record<Locale, string>>;

const STATUS_NAMES: Record<OrderStatus, Record<Locale, string>> = {
  placed: { es: 'recibido, lo estamos preparando', en: 'received, we are getting it ready' },
  shipped: { es: 'enviado, de camino', en: 'shipped, on its way' },
  delivered: { es: 'entregado', en: 'delivered' },
  cancelled: { es: 'cancelado', en: 'cancelled' },
  returned: { es: 'devuelto', en: 'returned' },
};

/** The order numbers a message may hold ("#10-234", "pedido 10234", "A-77812"), normalised. */
export function orderNumbersIn(text: string): string[] {
  const withoutEmails = text.replace(/\S+@\S+/g, ' ');
  const found = withoutEmails.match(/#?\b[A-Za-z]{0,6}[-/]?\d[\d-]{2,}[A-Za-z0-9]*\b/g) ?? [];
  return [
    ...new Set(found.map((n) => n.trim().replace(/^#/, '').replace(/\s+/g, '').toUpperCase())),
  ];
}

const emailsIn = (ctx: ActionContext) =>
  new Set([
    ...(ctx.entities.emails ?? []).map((e) => e.toLowerCase()),
    ...(ctx.text.match(/[^\s<>(),;]+@[^\s<>(),;]+\.[a-z]{2,}/gi) ?? []).map((e) => e.toLowerCase()),
  ]);

const person = (locale: Locale) => [{ title: T.person[locale], payload: T.person[locale] }];

function dateOf(d: Date, locale: Locale): string {
  return new Intl.DateTimeFormat(locale === 'es' ? 'es-ES' : 'en-GB', {
    day: 'numeric',
    month: 'long',
    year: 'numeric',
    timeZone: 'UTC',
  }).format(d);
}

async function lateCase(
  order: OrderDoc,
  ctx: ActionContext,
  effects: RecordEffects,
): Promise<{ number: string; opened: boolean } | null> {
  const lateDays = effects.orderLateDays ?? DEFAULT_ORDER_LATE_DAYS;
  const open = order.status === 'placed' || order.status === 'shipped';
  if (!open || Date.now() - new Date(order.placedAt).getTime() <= lateDays * DAY_MS) return null;
  if (order.lateCaseId) {
    const known = await Case.findById(order.lateCaseId, { number: 1 }).lean<CaseDoc>();
    if (known) return { number: known.number, opened: false };
  }
  const created = await createCase(
    {
      type: 'support',
      contactId: ctx.conversation.contactId,
      conversationId: ctx.conversation._id,
      channel: ctx.conversation.channel as ChannelId,
      subject: `Late order ${order.number}`,
      description: `Order ${order.number} placed ${new Date(order.placedAt).toISOString().slice(0, 10)} is still ${order.status}.`,
    },
    ctx.messageId ? turnId(ctx.messageId, 'case') : undefined,
    effects.caseSla,
  );
  await Order.updateOne({ _id: order._id }, { $set: { lateCaseId: created._id } });
  await effects.events.publish('case.created', { case: created });
  return { number: created.number, opened: true };
}

async function answerFor(
  order: OrderDoc,
  ctx: ActionContext,
  effects: RecordEffects,
): Promise<ReplyDraft[]> {
  const { locale } = ctx;
  const status = (order.status ?? 'placed') as OrderStatus;
  const lines = [
    fill(T.status[locale], {
      number: order.number,
      date: dateOf(new Date(order.placedAt), locale),
      status: STATUS_NAMES[status][locale],
    }),
  ];
  if (order.trackingUrl && status === 'shipped') {
    lines.push(fill(T.tracking[locale], { url: order.trackingUrl }));
  }
  const late = await lateCase(order, ctx, effects);
  if (late)
    lines.push(fill(late.opened ? T.late[locale] : T.lateKnown[locale], { case: late.number }));
  return [{ text: lines.join('\n'), quickReplies: person(locale) }];
}

/** The contact and the contacts merged into it: whose orders this customer may see. */
async function ownContactIds(contactId: Types.ObjectId): Promise<Types.ObjectId[]> {
  const merged = await Contact.find({ mergedInto: contactId }, { _id: 1 }).lean();
  return [contactId, ...merged.map((c) => c._id)];
}

export async function orderStatus(
  ctx: ActionContext,
  effects: RecordEffects,
): Promise<ReplyDraft[]> {
  const { locale } = ctx;
  const own = await ownContactIds(ctx.conversation.contactId);
  const isOwn = (o: OrderDoc) => own.some((id) => id.equals(o.contactId));
  const numbers = orderNumbersIn(ctx.text);
  if (numbers.length === 0) {
    const latest = await Order.findOne({ contactId: { $in: own } })
      .sort({ placedAt: -1 })
      .lean<OrderDoc>();
    if (latest) return answerFor(latest, ctx, effects);
    return [{ text: T.askNumber[locale], quickReplies: person(locale) }];
  }
  const candidates = await Order.find({ number: { $in: numbers } }).lean<OrderDoc[]>();
  const mine = candidates.find(isOwn);
  if (mine) return answerFor(mine, ctx, effects);
  const emails = emailsIn(ctx);
  const proven = candidates.find((o) => o.email && emails.has(o.email.toLowerCase()));
  if (proven) return answerFor(proven, ctx, effects);
  // Unknown number, or someone else's without its email: one answer for both.
  return [{ text: fill(T.verify[locale], { number: numbers[0] }), quickReplies: person(locale) }];
}
