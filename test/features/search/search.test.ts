/**
 * Search everywhere (issue 19.7) against a real Charla (FerretDB, Redis, web chat): a visitor's
 * words find their conversation whatever the accents and case; contacts by name and phone, cases
 * by number and words, leads by name; each role only sees the types it may read (asking for
 * another is a 403); an erased customer's messages and contact are not found; bad input is a
 * 400; the backfill indexes messages stored without terms, and bot texts are not searchable.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Types } from 'mongoose';
import pino from 'pino';
import { backfillSearchTerms } from '../../../src/features/search/index.js';
import { Case } from '../../../src/kernel/db/models/case.js';
import { Contact } from '../../../src/kernel/db/models/contact.js';
import { Lead } from '../../../src/kernel/db/models/lead.js';
import { Message } from '../../../src/kernel/db/models/message.js';
import { settledSession, webchatClient } from '../../channels/webchat/client.js';
import { staffWithRole, type Staff } from '../auth/staff-client.js';
import { startTestApp, type TestApp } from '../../support/app.js';

type Json = any; // eslint-disable-line @typescript-eslint/no-explicit-any

const ids = (body: Json, type: string): string[] =>
  ((body.groups as Json[]).find((g) => g.type === type)?.items ?? []).map((i: Json) => i.id);
const types = (body: Json): string[] => (body.groups as Json[]).map((g) => g.type);

describe('search everywhere', () => {
  let app: TestApp;
  let admin: Staff;
  let agent: Staff;
  let marketer: Staff;
  let viewer: Staff;
  let conversationId: string;
  let contactId: string;

  beforeAll(async () => {
    app = await startTestApp();
    [admin, agent, marketer, viewer] = await Promise.all([
      staffWithRole(app, 'admin'),
      staffWithRole(app, 'agent'),
      staffWithRole(app, 'marketer'),
      staffWithRole(app, 'viewer'),
    ]);
    const web = webchatClient(app.url);
    const s = await web.createSession('es');
    expect((await web.post(s, { text: 'Mi camión de mudanza no llegó a Cádiz' })).status).toBe(202);
    await settledSession(s.sessionId);
    conversationId = s.conversationId;
    const message = await Message.findOne({ conversationId, direction: 'in' }).lean();
    contactId = String(message!.contactId);
    // A mongoose update: the model's hook writes the contact's terms.
    await Contact.updateOne(
      { _id: contactId },
      { $set: { name: 'Begoña Íñiguez', phones: ['+34600112233'] } },
    );
  });
  afterAll(() => app?.stop());

  const find = (who: Staff, q: string, extra = '') =>
    who.call('GET', `/api/search?q=${encodeURIComponent(q)}${extra}`);

  it('finds a conversation by its words, whatever the accents and case', async () => {
    for (const q of ['CAMION cadiz', 'camión', 'Mudanza Cádiz']) {
      const res = await find(agent, q);
      expect(res.status).toBe(200);
      expect(ids(res.body, 'conversations')).toEqual([conversationId]);
      const hit = (res.body.groups as Json[]).find((g) => g.type === 'conversations').items[0];
      expect(hit).toMatchObject({
        href: `/conversations/${conversationId}`,
        title: 'Begoña Íñiguez',
        snippet: 'Mi camión de mudanza no llegó a Cádiz',
      });
    }
    // Every word must be there: one missing, nothing found.
    expect(ids((await find(agent, 'camion barcelona')).body, 'conversations')).toEqual([]);
    // Stop words alone match nothing (and do not match everything).
    const stop = await find(agent, 'de la');
    expect(stop.body.terms).toEqual([]);
    expect(ids(stop.body, 'conversations')).toEqual([]);
  });

  it('finds contacts by name and phone, cases by number and words, leads by name', async () => {
    const kase = await Case.create({
      number: 'CS-004242',
      subject: 'Factura duplicada',
      description: 'Me cobraron dos veces el envío',
      channel: 'webchat',
    });
    const lead = await Lead.create({
      name: 'Xiomara Quintanilla',
      email: 'xiomara@example.com',
      company: 'Ñandú S.L.',
      channel: 'webchat',
    });
    expect(ids((await find(admin, 'begona iniguez')).body, 'contacts')).toEqual([contactId]);
    // insertMany (the CSV import's way) writes the terms too.
    const [imported] = await Contact.insertMany([{ name: 'Wenceslao Ybarra' }]);
    expect(ids((await find(admin, 'wenceslao')).body, 'contacts')).toEqual([String(imported!._id)]);
    expect(ids((await find(admin, '+34 600 11 22 33')).body, 'contacts')).toEqual([contactId]);
    expect(ids((await find(admin, '600112233')).body, 'contacts')).toEqual([contactId]);
    for (const q of ['CS-004242', '4242', 'factura envio']) {
      expect(ids((await find(agent, q)).body, 'cases')).toEqual([String(kase._id)]);
    }
    for (const q of ['xiomara', 'nandu', 'xiomara@example.com']) {
      expect(ids((await find(marketer, q)).body, 'leads')).toEqual([String(lead._id)]);
    }
    // An edit through the model refreshes the terms: the old words no longer find it.
    await Case.updateOne({ _id: kase._id }, { $set: { subject: 'Reembolso pendiente' } });
    expect(ids((await find(agent, 'reembolso')).body, 'cases')).toEqual([String(kase._id)]);
    expect(ids((await find(agent, 'duplicada')).body, 'cases')).toEqual([]);
  });

  it('shows each role only the types it may read; asking for another is a 403', async () => {
    expect(types((await find(admin, 'x')).body)).toEqual([
      'contacts',
      'conversations',
      'cases',
      'leads',
    ]);
    expect(types((await find(agent, 'xiomara')).body)).toEqual([
      'contacts',
      'conversations',
      'cases',
    ]);
    expect(types((await find(marketer, 'factura')).body)).toEqual([
      'contacts',
      'conversations',
      'leads',
    ]);
    expect(types((await find(viewer, 'x')).body)).toEqual([
      'contacts',
      'conversations',
      'cases',
      'leads',
    ]);
    const agentLeads = await find(agent, 'xiomara', '&types=leads');
    expect(agentLeads.status).toBe(403);
    expect(agentLeads.body.error.code).toBe('forbidden_type');
    expect((await find(marketer, 'factura', '&types=cases,contacts')).status).toBe(403);
    const only = await find(marketer, 'xiomara', '&types=leads');
    expect(only.status).toBe(200);
    expect(types(only.body)).toEqual(['leads']);
    expect((await fetch(`${app.url}/api/search?q=camion`)).status).toBe(401);
  });

  it('refuses bad input with a 400', async () => {
    for (const extra of ['', '&q=%20%20', `&q=${'a'.repeat(201)}`]) {
      const res = await agent.call('GET', `/api/search?${extra.slice(1)}`);
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBeTruthy();
    }
    expect((await find(agent, 'camion', '&types=contacts,spaceships')).status).toBe(400);
    expect((await find(agent, 'camion', '&limit=0')).status).toBe(400);
    expect((await find(agent, 'camion', '&limit=21')).status).toBe(400);
  });

  it('indexes what was stored without terms, never bot texts', async () => {
    const base = {
      conversationId: new Types.ObjectId(conversationId),
      contactId: new Types.ObjectId(contactId),
      channel: 'webchat',
      status: 'processed',
      attempts: 0,
      internal: false,
      createdAt: new Date(),
      updatedAt: new Date(),
    };
    await Message.collection.insertMany([
      {
        ...base,
        direction: 'in',
        author: 'customer',
        text: 'Quiero un paraguas amarillo',
        dedupeKey: `t:${new Types.ObjectId()}`,
      },
      {
        ...base,
        direction: 'out',
        author: 'bot',
        text: 'Tenemos paraguas verdes',
        dedupeKey: `t:${new Types.ObjectId()}`,
      },
    ]);
    expect(ids((await find(agent, 'paraguas amarillo')).body, 'conversations')).toEqual([]);
    const counts = await backfillSearchTerms(pino({ level: 'silent' }), { force: true });
    expect(counts?.messages).toBeGreaterThan(0);
    expect(ids((await find(agent, 'paraguas amarillo')).body, 'conversations')).toEqual([
      conversationId,
    ]);
    expect(ids((await find(agent, 'verdes')).body, 'conversations')).toEqual([]);
  });

  it('finds nothing of an erased customer', async () => {
    const erased = await admin.call('POST', `/api/contacts/${contactId}/erase`, {
      confirm: contactId,
    });
    expect(erased.status).toBe(200);
    expect(ids((await find(admin, 'camion cadiz')).body, 'conversations')).toEqual([]);
    expect(ids((await find(admin, 'paraguas')).body, 'conversations')).toEqual([]);
    expect(ids((await find(admin, 'begona')).body, 'contacts')).toEqual([]);
    expect(ids((await find(admin, '600112233')).body, 'contacts')).toEqual([]);
    // Stored documents keep no terms.
    expect(
      await Message.countDocuments({ conversationId, terms: { $exists: true, $ne: [] } }),
    ).toBe(0);
  });
});
