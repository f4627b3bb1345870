/**
 * The console's customers against a real Charla (FerretDB, Redis): customers arrive through
 * ingest on two channels, the same person is merged when a captured phone matches (the store's
 * own merge), consent and records are attached — and GET /api/contacts and /api/contacts/:id
 * show the single customer view to every reading role.
 */
import { Types } from 'mongoose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCase } from '../../../src/kernel/db/cases.js';
import { addContactDetails, setMarketingConsent } from '../../../src/kernel/db/contacts.js';
import { Contact } from '../../../src/kernel/db/models/contact.js';
import { Lead } from '../../../src/kernel/db/models/lead.js';
import { asAdminToken, call, staffWithRole, type Staff } from '../auth/staff-client.js';
import { eventually, startTestApp, type TestApp } from '../../support/app.js';

type Json = any; // eslint-disable-line @typescript-eslint/no-explicit-any

const oid = (id: string) => new Types.ObjectId(id);

describe('console contacts API', () => {
  let app: TestApp;
  let staff: Staff[];
  let marta: { contactId: string; conversationId: string };
  let martaOnWhatsapp: { contactId: string; conversationId: string };
  let luis: { contactId: string; conversationId: string };

  const get = (path: string) => call(app, 'GET', path, { headers: asAdminToken });
  const ids = (res: { body: Json }) => (res.body.items as Json[]).map((i) => i.id);

  const arrive = async (
    channel: 'telegram' | 'whatsapp',
    userId: string,
    text: string,
    extra: { senderName?: string; senderPhone?: string } = {},
  ) => {
    const r = await app.charla.services.ingest.ingest({
      channel,
      platformMessageId: `${userId}-${text.length}-${Date.now()}`,
      platformUserId: userId,
      platformConversationId: userId,
      text,
      ...extra,
    });
    return { contactId: r.contactId, conversationId: r.conversationId };
  };

  beforeAll(async () => {
    app = await startTestApp();
    staff = await Promise.all(
      (['marketer', 'agent', 'viewer'] as const).map((r) => staffWithRole(app, r)),
    );
    marta = await arrive('telegram', 'tg-501', 'hola, quiero información', {
      senderName: 'Marta Ruiz',
    });
    luis = await arrive('telegram', 'tg-502', 'hello there', { senderName: 'Luis Gómez' });
    martaOnWhatsapp = await arrive('whatsapp', '34600111222', 'soy Marta otra vez', {
      senderPhone: '+34600111222',
    });
    // Marta gives her phone on Telegram: the store merges the WhatsApp contact into hers.
    const survivor = await addContactDetails(
      oid(marta.contactId),
      { phone: '+34600111222', email: 'marta@example.com' },
      'bot',
    );
    expect(String(survivor)).toBe(marta.contactId);
    await setMarketingConsent(oid(marta.contactId), true, { actor: 'customer' });
    await Contact.updateOne({ _id: oid(marta.contactId) }, { $set: { tags: ['vip'] } });
    await Lead.create({
      contactId: oid(marta.contactId),
      conversationId: oid(marta.conversationId),
      name: 'Marta Ruiz',
      email: 'marta@example.com',
      channel: 'telegram',
      interest: 'plan pro',
    });
    await createCase({
      type: 'support',
      contactId: oid(marta.contactId),
      conversationId: oid(martaOnWhatsapp.conversationId),
      channel: 'whatsapp',
      subject: 'factura duplicada',
    });
    // The engine has seen the messages (lastMessageAt is written by its turn).
    await eventually(async () => {
      const res = await get(`/api/contacts/${marta.contactId}`);
      return (res.body.conversations as Json[] | undefined)?.every((c) => c.lastMessageAt);
    });
  });
  afterAll(() => app?.stop());

  it('lists customers, leaving merged-away contacts out', async () => {
    const res = await get('/api/contacts');
    expect(res.status).toBe(200);
    expect(res.body.total).toBe(2);
    expect(ids(res).sort()).toEqual([marta.contactId, luis.contactId].sort());
    const m = (res.body.items as Json[]).find((i) => i.id === marta.contactId);
    expect(m).toMatchObject({
      name: 'Marta Ruiz',
      emails: ['marta@example.com'],
      phones: ['+34600111222'],
      tags: ['vip'],
      marketingConsent: { granted: true },
    });
    expect(m.channels.sort()).toEqual(['telegram', 'whatsapp']);
  });

  it('searches by name, email and phone, and filters by channel and tag', async () => {
    expect(ids(await get('/api/contacts?q=ruiz'))).toEqual([marta.contactId]);
    expect(ids(await get('/api/contacts?q=MARTA@EXAMPLE'))).toEqual([marta.contactId]);
    expect(ids(await get('/api/contacts?q=600111'))).toEqual([marta.contactId]);
    expect(ids(await get('/api/contacts?q=gómez'))).toEqual([luis.contactId]);
    expect(ids(await get('/api/contacts?channel=whatsapp'))).toEqual([marta.contactId]);
    expect((await get('/api/contacts?channel=telegram')).body.total).toBe(2);
    expect((await get('/api/contacts?channel=slack')).body.total).toBe(0);
    expect(ids(await get('/api/contacts?tag=vip'))).toEqual([marta.contactId]);
    expect((await get('/api/contacts?q=(')).body.total).toBe(0);
    const page = await get('/api/contacts?limit=1&offset=1');
    expect(page.body.items).toHaveLength(1);
    expect(page.body.total).toBe(2);
  });

  it('shows the single customer view: identities, conversations, leads, cases, consent, merges', async () => {
    const res = await get(`/api/contacts/${marta.contactId}`);
    expect(res.status).toBe(200);
    const v = res.body;
    expect(v.contact.mergedInto).toBeNull();
    expect(
      (v.contact.identities as Json[]).map((i) => `${i.channel}:${i.platformUserId}`).sort(),
    ).toEqual(['telegram:tg-501', 'whatsapp:34600111222']);
    // Both channels' conversations now belong to Marta.
    expect((v.conversations as Json[]).map((c) => c.id).sort()).toEqual(
      [marta.conversationId, martaOnWhatsapp.conversationId].sort(),
    );
    expect((v.conversations as Json[]).every((c) => c.contact.id === marta.contactId)).toBe(true);
    expect(v.leads).toHaveLength(1);
    expect(v.leads[0]).toMatchObject({
      email: 'marta@example.com',
      interest: 'plan pro',
      status: 'new',
      conversationId: marta.conversationId,
    });
    expect(v.cases).toHaveLength(1);
    expect(v.cases[0]).toMatchObject({
      subject: 'factura duplicada',
      status: 'open',
      type: 'support',
    });
    expect(v.cases[0].number).toMatch(/^CS-\d{6}$/);
    expect(v.consent.marketing.granted).toBe(true);
    expect(v.consent.history).toEqual([
      expect.objectContaining({ action: 'consent.grant', actor: 'customer' }),
    ]);
    expect(v.merges).toEqual([
      expect.objectContaining({
        mergedId: martaOnWhatsapp.contactId,
        reason: 'same phone',
        actor: 'bot',
        channels: ['whatsapp'],
      }),
    ]);
  });

  it('points a merged-away contact at the one that absorbed it', async () => {
    const res = await get(`/api/contacts/${martaOnWhatsapp.contactId}`);
    expect(res.status).toBe(200);
    expect(res.body.contact.mergedInto).toBe(marta.contactId);
    expect(res.body.conversations).toEqual([]);
  });

  it('answers 404 for an unknown or malformed contact id and 400 for bad filters', async () => {
    const unknown = await get(`/api/contacts/${'b'.repeat(24)}`);
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.code).toBe('not_found');
    expect((await get('/api/contacts/x')).status).toBe(404);
    for (const path of ['/api/contacts?channel=fax', '/api/contacts?limit=0']) {
      const res = await get(path);
      expect(res.status, path).toBe(400);
      expect(res.body.error.code).toBe('invalid_request');
    }
  });

  it('is open to marketers, agents and viewers, and to nobody signed out', async () => {
    for (const who of staff) {
      expect((await who.call('GET', '/api/contacts')).body.total, who.user.role).toBe(2);
      const one = await who.call('GET', `/api/contacts/${luis.contactId}`);
      expect(one.status, who.user.role).toBe(200);
      expect(one.body.contact.name).toBe('Luis Gómez');
    }
    expect((await call(app, 'GET', '/api/contacts')).status).toBe(401);
    expect((await call(app, 'GET', `/api/contacts/${luis.contactId}`)).status).toBe(401);
  });
});
