/**
 * Demo data for the console's browser tests and screenshots, made the way production makes it:
 * staff accounts through POST /api/users, customers chatting through the real web chat API (so
 * the engine, NLU and escalation write what they always write), a conversation queued for staff
 * through POST /api/conversations/:id/escalate; then the store's own functions add what a chat
 * alone would take long to produce (a long name, email/phone, consent, tags, a merged second
 * identity, a lead, a case).
 */
import { Contact } from '../src/kernel/db/models/contact.js';
import { Conversation } from '../src/kernel/db/models/conversation.js';
import { Lead } from '../src/kernel/db/models/lead.js';
import { Message } from '../src/kernel/db/models/message.js';
import {
  addContactDetails,
  mergeContacts,
  setMarketingConsent,
} from '../src/kernel/db/contacts.js';
import { createCase } from '../src/kernel/db/cases.js';
import { upsertLead } from '../src/kernel/db/leads.js';

export const SEED_PASSWORD = 'correct-horse-battery-staple';

export const SEED_USERS = {
  admin: { email: 'alba.admin@example.com', name: 'Alba Administradora', role: 'admin' },
  marketer: { email: 'marco@example.com', name: 'Marco Marketing', role: 'marketer' },
  agent: {
    email: 'maria.fernanda@example.com',
    name: 'María Fernanda de los Ángeles Santamaría-Villalobos',
    role: 'agent',
  },
  viewer: { email: 'victor@example.com', name: 'Víctor Visor', role: 'viewer' },
} as const;
export type SeedRole = keyof typeof SEED_USERS;

export const LONG_CUSTOMER_NAME =
  'Guadalupe Esperanza Montserrat Fernández de Córdoba y Altamirano-Buenaventura';

async function poll<T>(fn: () => Promise<T | null | undefined | false>, what: string, ms = 15_000) {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`seed: ${what} not ready within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function call(
  baseUrl: string,
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
) {
  const res = await fetch(`${baseUrl}${path}`, {
    method,
    headers: { ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`seed: ${method} ${path} → ${res.status} ${text}`);
  return text ? (JSON.parse(text) as Record<string, unknown>) : {};
}

export async function createSeedUsers(baseUrl: string, admin: Record<string, string>) {
  const ids = {} as Record<SeedRole, string>;
  for (const [role, user] of Object.entries(SEED_USERS) as [
    SeedRole,
    (typeof SEED_USERS)[SeedRole],
  ][]) {
    const created = await call(
      baseUrl,
      'POST',
      '/api/users',
      { ...user, password: SEED_PASSWORD },
      admin,
    );
    ids[role] = created.id as string;
  }
  return ids;
}

/** A web chat visitor: a session, then each text sent once the bot answered the previous one. */
export async function chatAsVisitor(baseUrl: string, locale: 'es' | 'en', texts: string[]) {
  const session = (await call(baseUrl, 'POST', '/api/webchat/sessions', { locale })) as {
    sessionId: string;
    token: string;
  };
  const auth = { authorization: `Bearer ${session.token}` };
  let inbound = 0;
  for (const text of texts) {
    await call(
      baseUrl,
      'POST',
      `/api/webchat/sessions/${session.sessionId}/messages`,
      { text },
      auth,
    );
    inbound += 1;
    await poll(async () => {
      const conv = await Conversation.findOne({
        channel: 'webchat',
        platformConversationId: session.sessionId,
      }).lean();
      if (!conv) return null;
      const messages = await Message.find({ conversationId: conv._id }).lean();
      const ins = messages.filter((m) => m.direction === 'in');
      const settled =
        ins.length >= inbound &&
        ins.every((m) => m.status === 'processed') &&
        messages.some((m) => m.direction === 'out') &&
        messages.filter((m) => m.direction === 'out').every((m) => m.status !== 'pending');
      return settled;
    }, `the bot's answer to "${text}"`);
  }
  const conversation = (await Conversation.findOne({
    channel: 'webchat',
    platformConversationId: session.sessionId,
  }).lean())!;
  return { ...session, conversationId: conversation._id, contactId: conversation.contactId };
}

/** Pipeline leads across every status (no contact: the seeded customers keep their counts). */
export const PIPELINE_LEADS = [
  {
    name: 'Zoë Ñúñez Peñalosa',
    status: 'new',
    score: 82,
    channel: 'whatsapp',
    company: 'Cafés Ñandú',
  },
  {
    name: 'Maximiliano Bartolomé de la Santísima Trinidad Echeverría-Olaechea',
    status: 'new',
    score: 35,
    channel: 'telegram',
    company: 'Construcciones y Reformas Integrales del Mediterráneo Oriental S.L.U.',
  },
  {
    name: 'Åsa Lindqvist',
    status: 'contacted',
    score: 58,
    channel: 'webchat',
    company: 'Nordic AB',
  },
  { name: 'Íñigo Azpiazu', status: 'contacted', score: 12, channel: 'twitter', company: null },
  {
    name: '<b>Negrita</b> & Cía',
    status: 'qualified',
    score: 71,
    channel: 'webchat',
    company: 'Etiquetas <i>S.A.</i>',
  },
  { name: 'Chloé Dubois', status: 'won', score: 95, channel: 'slack', company: 'Maison Dubois' },
  {
    name: 'Ramón Gutiérrez',
    status: 'lost',
    score: 5,
    channel: 'whatsapp-web',
    company: 'Taller Ramón',
  },
] as const;

/**
 * What the propensity model (src/features/propensity/) would have stored on some open leads;
 * the others (Åsa, Íñigo) have none, so the console labels their score "rule score".
 */
const PIPELINE_PROPENSITY: Record<string, { p: number; factors: object[]; at: Date }> = {
  'Zoë Ñúñez Peñalosa': {
    p: 0.74,
    factors: [
      { feature: 'intent:pricing', weight: 1.12 },
      { feature: 'channel:whatsapp', weight: 0.41 },
      { feature: 'frustrated', weight: -0.36 },
    ],
    at: new Date('2026-06-01T03:15:00Z'),
  },
  'Maximiliano Bartolomé de la Santísima Trinidad Echeverría-Olaechea': {
    p: 0.18,
    factors: [
      { feature: 'channel:telegram', weight: -0.52 },
      { feature: 'messages', weight: 0.2 },
    ],
    at: new Date('2026-06-01T03:15:00Z'),
  },
  '<b>Negrita</b> & Cía': {
    p: 0.61,
    factors: [
      { feature: 'customerOrders', weight: 0.8 },
      { feature: 'consent', weight: 0.33 },
    ],
    at: new Date('2026-06-01T03:15:00Z'),
  },
};

async function seedPipelineLeads(owner: string): Promise<Record<string, string>> {
  const created = await Lead.create(
    PIPELINE_LEADS.map((l, i) => ({
      ...l,
      company: l.company ?? undefined,
      email: `pipeline-${i}@example.com`,
      interest: 'Plan Pro',
      owner: i % 2 === 0 ? owner : undefined,
      tags: i === 0 ? ['feria-2026', 'café'] : [],
      ...(PIPELINE_PROPENSITY[l.name] ? { propensity: PIPELINE_PROPENSITY[l.name] } : {}),
    })),
  );
  return Object.fromEntries(created.map((l, i) => [PIPELINE_LEADS[i]!.name, l._id.toHexString()]));
}

export interface SeededData {
  users: Record<SeedRole, string>;
  /** Pipeline lead ids by name (PIPELINE_LEADS), plus `main`: the queued customer's lead. */
  leads: Record<string, string>;
  /** Queued for staff, the long-named customer with several identities. */
  queued: { conversationId: string; contactId: string; sessionId: string; token: string };
  english: { conversationId: string; contactId: string };
}

export async function seedConsoleData(
  baseUrl: string,
  admin: Record<string, string>,
  existingUsers?: Record<SeedRole, string>,
): Promise<SeededData> {
  const users = existingUsers ?? (await createSeedUsers(baseUrl, admin));

  const queued = await chatAsVisitor(baseUrl, 'es', [
    'hola',
    '¿cuánto cuesta el plan para empresas?',
  ]);
  const english = await chatAsVisitor(baseUrl, 'en', ['hello', 'where are your offices?']);
  const other = await chatAsVisitor(baseUrl, 'es', ['buenas tardes']);

  await addContactDetails(queued.contactId, {
    name: LONG_CUSTOMER_NAME,
    email: 'guadalupe.fernandez.de.cordoba@correo-muy-largo.example.com',
    phone: '+34612345678',
  });
  await setMarketingConsent(queued.contactId, true, { actor: 'bot' });
  await Contact.updateOne(
    { _id: queued.contactId },
    { $set: { tags: ['vip', 'empresa', 'madrid', 'renovación-2027'] } },
  );
  // The same person wrote from a second browser: merged into one customer.
  await mergeContacts(queued.contactId, other.contactId, {
    actor: 'bot',
    reason: 'same email',
  });
  const { lead: mainLead } = await upsertLead({
    contactId: queued.contactId,
    conversationId: queued.conversationId,
    channel: 'webchat',
    name: LONG_CUSTOMER_NAME,
    email: 'guadalupe.fernandez.de.cordoba@correo-muy-largo.example.com',
    company: 'Industrias Altamirano-Buenaventura S.A.',
    interest: 'Plan de empresa para 250 usuarios',
  });
  await createCase({
    type: 'support',
    contactId: queued.contactId,
    conversationId: queued.conversationId,
    channel: 'webchat',
    subject: 'La factura de noviembre no ha llegado a contabilidad',
  });
  await addContactDetails(english.contactId, { name: 'John Smith' });

  await call(
    baseUrl,
    'POST',
    `/api/conversations/${queued.conversationId.toHexString()}/escalate`,
    undefined,
    admin,
  );
  await poll(
    async () => (await Conversation.findById(queued.conversationId).lean())?.status === 'queued',
    'the queued escalation',
  );

  const leads = { ...(await seedPipelineLeads(users.marketer)), main: mainLead._id.toHexString() };
  // A staff change, so the lead page has a timeline beyond "created".
  await call(
    baseUrl,
    'PATCH',
    `/api/leads/${leads.main}`,
    { status: 'contacted', owner: users.marketer, notes: 'Llamar el lunes a las 10:00.' },
    admin,
  );

  return {
    users,
    leads,
    queued: {
      conversationId: queued.conversationId.toHexString(),
      contactId: queued.contactId.toHexString(),
      sessionId: queued.sessionId,
      token: queued.token,
    },
    english: {
      conversationId: english.conversationId.toHexString(),
      contactId: english.contactId.toHexString(),
    },
  };
}

/**
 * Customer insight and privacy: a customer who asked for their data to be erased (a privacy
 * case) and wrote two negative messages in a row (frustrated), and a second one erased through
 * the API (the erased state).
 */
export async function seedInsightData(baseUrl: string, admin: Record<string, string>) {
  const frustrated = await chatAsVisitor(baseUrl, 'es', [
    'hola',
    'quiero que borréis mis datos',
    'es una vergüenza, llevo tres días esperando',
    'estoy harto, esto no funciona',
  ]);
  await addContactDetails(frustrated.contactId, {
    name: 'Maximiliano Aurelio Sánchez-Villalobos',
    email: 'maximiliano.sanchez@example.com',
  });
  const erased = await chatAsVisitor(baseUrl, 'en', ['hello', 'thanks, great service']);
  await addContactDetails(erased.contactId, { name: 'Erin Example' });
  const id = erased.contactId.toHexString();
  await call(baseUrl, 'POST', `/api/contacts/${id}/erase`, { confirm: id }, admin);
  return {
    frustrated: {
      conversationId: frustrated.conversationId.toHexString(),
      contactId: frustrated.contactId.toHexString(),
    },
    erased: { contactId: id },
  };
}
