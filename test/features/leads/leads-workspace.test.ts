/**
 * The marketers' workspace against a real Charla (FerretDB, Redis): PATCH and bulk edits of
 * leads (validation changes nothing, audit, timeline), the lead page, list filters, the CSV
 * export parsed back with csv-parse, role 403s, and consent records (staff and the bot).
 */
import { parse } from 'csv-parse/sync';
import { Types } from 'mongoose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { User } from '../../../src/kernel/db/models/user.js';
import { AuditEntry } from '../../../src/kernel/db/models/audit-entry.js';
import { ConsentRecord } from '../../../src/kernel/db/models/consent-record.js';
import { Contact } from '../../../src/kernel/db/models/contact.js';
import { Lead } from '../../../src/kernel/db/models/lead.js';
import { asAdminToken, call, staffWithRole, type Json, type Staff } from '../auth/staff-client.js';
import { eventually, startTestApp, type TestApp } from '../../support/app.js';

describe('leads workspace API', () => {
  let app: TestApp;
  let marketer: Staff;
  let agent: Staff;
  let viewer: Staff;
  let contactId: Types.ObjectId;
  let conversationId: string;
  let leadA: string;
  let leadB: string;
  let tricky: string;

  const lead = (id: string) => Lead.findById(id).lean();

  beforeAll(async () => {
    app = await startTestApp();
    [marketer, agent, viewer] = await Promise.all([
      staffWithRole(app, 'marketer'),
      staffWithRole(app, 'agent'),
      staffWithRole(app, 'viewer'),
    ]);
    const arrived = await app.charla.services.ingest.ingest({
      channel: 'telegram',
      platformMessageId: `ws-${Date.now()}`,
      platformUserId: 'tg-ws-1',
      platformConversationId: 'tg-ws-1',
      text: 'hola, quiero el plan pro',
      senderName: 'José Núñez',
    });
    contactId = new Types.ObjectId(arrived.contactId);
    conversationId = arrived.conversationId;
    await Contact.updateOne({ _id: contactId }, { $set: { locale: 'es' } });
    const [a, b, t] = await Lead.create([
      {
        contactId,
        conversationId: new Types.ObjectId(conversationId),
        name: 'José Núñez',
        email: 'jose@example.com',
        company: 'Acme, S.L.',
        channel: 'telegram',
      },
      { contactId, name: 'Ana Beltrán', email: 'ana@example.com', channel: 'webchat' },
      {
        name: '=HYPERLINK("http://evil.example","clic")',
        email: 'axb@example.com',
        phone: '+34600111222',
        company: '@SUM(A1:A2)',
        interest: 'dijo "hola", luego\nuna línea nueva',
        channel: 'whatsapp',
      },
    ]);
    leadA = a!._id.toHexString();
    leadB = b!._id.toHexString();
    tricky = t!._id.toHexString();
  }, 60_000);

  afterAll(async () => {
    await app?.stop();
  });

  it('PATCH changes status, owner, notes and tags, audited and in the timeline', async () => {
    const res = await marketer.call('PATCH', `/api/leads/${leadA}`, {
      status: 'contacted',
      owner: agent.user.id,
      notes: 'Llamar el lunes',
      tags: ['pro', 'pro', 'madrid'],
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      id: leadA,
      status: 'contacted',
      owner: agent.user.id,
      notes: 'Llamar el lunes',
      tags: ['pro', 'madrid'],
    });
    const audit = await AuditEntry.findOne({ action: 'lead.update', targetId: leadA }).lean();
    expect(audit?.actor).toBe(`user:${marketer.user.id}`);
    expect(audit?.before).toMatchObject({ status: 'new', owner: null });
    expect(audit?.after).toMatchObject({ status: 'contacted', owner: agent.user.id });
    // notes are personal data: masked in the audit log
    expect(audit?.after.notes).toBe('***');

    const page = await viewer.call('GET', `/api/leads/${leadA}`);
    expect(page.status).toBe(200);
    const timeline = page.body.timeline as Json[];
    expect(timeline[0]).toMatchObject({ action: 'lead.created' });
    expect(timeline[1]).toMatchObject({
      action: 'lead.update',
      actor: `user:${marketer.user.id}`,
      actorName: marketer.user.name,
      before: { status: 'new' },
      after: { status: 'contacted' },
    });
    expect(page.body.lead).toMatchObject({ id: leadA, notes: 'Llamar el lunes' });
    expect(page.body.transcript.map((m: Json) => m.text)).toContain('hola, quiero el plan pro');
    expect(page.body.otherLeads.map((l: Json) => l.id)).toEqual([leadB]);
    expect(page.body.consent).toMatchObject({ granted: false, history: [] });
  });

  it('PATCH with an unknown status, owner or field is 400 and changes nothing', async () => {
    const before = await lead(leadB);
    const bad = [
      { status: 'archived' },
      { owner: new Types.ObjectId().toHexString() },
      { owner: 'not-an-id' },
      { colour: 'red' },
      {},
    ];
    for (const body of bad) {
      const res = await marketer.call('PATCH', `/api/leads/${leadB}`, body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.error.code).toMatch(/invalid_request|invalid_owner/);
    }
    const disabled = await staffWithRole(app, 'marketer');
    await User.updateOne({ _id: disabled.user.id }, { $set: { disabled: true } });
    const res = await marketer.call('PATCH', `/api/leads/${leadB}`, {
      status: 'won',
      owner: disabled.user.id,
    });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('invalid_owner');
    const after = await lead(leadB);
    expect(after?.status).toBe(before?.status);
    expect(after?.owner).toBeUndefined();
    expect(await AuditEntry.countDocuments({ targetId: leadB })).toBe(0);
    const missing = await marketer.call('PATCH', `/api/leads/${new Types.ObjectId()}`, {
      status: 'won',
    });
    expect(missing.status).toBe(404);
  });

  it('only marketers and admins edit leads', async () => {
    for (const who of [viewer, agent]) {
      const res = await who.call('PATCH', `/api/leads/${leadB}`, { status: 'lost' });
      expect(res.status).toBe(403);
      const bulk = await who.call('POST', '/api/leads/bulk', { ids: [leadB], set: { tags: [] } });
      expect(bulk.status).toBe(403);
    }
    expect((await lead(leadB))?.status).toBe('new');
    const admin = await call(app, 'PATCH', `/api/leads/${leadB}`, {
      body: { status: 'qualified' },
      headers: asAdminToken,
    });
    expect(admin.status).toBe(200);
    const entry = await AuditEntry.findOne({ action: 'lead.update', targetId: leadB }).lean();
    expect(entry?.actor).toBe('admin-token');
  });

  it('bulk: an unknown id changes nothing; valid ids are all set and audited', async () => {
    const unknown = new Types.ObjectId().toHexString();
    const refused = await marketer.call('POST', '/api/leads/bulk', {
      ids: [leadB, unknown],
      set: { status: 'lost' },
    });
    expect(refused.status).toBe(400);
    expect(refused.body.error.code).toBe('unknown_leads');
    expect(refused.body.error.message).toContain(unknown);
    expect((await lead(leadB))?.status).toBe('qualified');

    const res = await marketer.call('POST', '/api/leads/bulk', {
      ids: [leadB, tricky],
      set: { status: 'lost', tags: ['campaña-otoño'] },
    });
    expect(res.status).toBe(200);
    expect(res.body.updated).toBe(2);
    for (const id of [leadB, tricky]) {
      const l = await lead(id);
      expect(l?.status).toBe('lost');
      expect(l?.tags).toEqual(['campaña-otoño']);
      const entry = await AuditEntry.findOne({
        action: 'lead.update',
        targetId: id,
        'details.bulk': true,
      }).lean();
      expect(entry?.after).toMatchObject({ status: 'lost' });
    }
  });

  it('lists with filters: owner, free text with regex characters escaped, sort', async () => {
    const byOwner = await viewer.call('GET', `/api/leads?owner=${agent.user.id}`);
    expect(byOwner.body.items.map((l: Json) => l.id)).toEqual([leadA]);
    // "a.b" must not match "axb@example.com" as a regex would
    const literal = await viewer.call('GET', `/api/leads?q=${encodeURIComponent('a.b')}`);
    expect(literal.body.total).toBe(0);
    const accent = await viewer.call('GET', `/api/leads?q=${encodeURIComponent('acme, s.l.')}`);
    expect(accent.body.items.map((l: Json) => l.id)).toEqual([leadA]);
    const sorted = await viewer.call('GET', '/api/leads?sort=name&order=asc');
    expect(sorted.body.items.map((l: Json) => l.name)).toEqual([
      '=HYPERLINK("http://evil.example","clic")',
      'Ana Beltrán',
      'José Núñez',
    ]);
    const bad = await viewer.call('GET', '/api/leads?sort=password');
    expect(bad.status).toBe(400);
  });

  it('lists by score range, contact language and consent, combined with the other filters', async () => {
    await Lead.updateOne({ _id: leadA }, { $set: { score: 80 } });
    await Lead.updateOne({ _id: leadB }, { $set: { score: 40 } });
    await Lead.updateOne({ _id: tricky }, { $set: { score: 10 } });
    const english = await Contact.create({
      name: 'Emma Brown',
      locale: 'en',
      marketingConsent: { granted: true, updatedAt: new Date() },
    });
    const emma = await Lead.create({
      contactId: english._id,
      name: 'Emma Brown',
      channel: 'webchat',
      score: 55,
    });
    const ids = async (query: string) => {
      const res = await viewer.call('GET', `/api/leads?${query}&sort=name&order=asc`);
      expect(res.status, query).toBe(200);
      expect(res.body.total, query).toBe(res.body.items.length);
      return res.body.items.map((l: Json) => l.id);
    };
    try {
      expect(await ids('scoreMin=40&scoreMax=60')).toEqual([leadB, emma.id]);
      expect(await ids('scoreMin=55')).toEqual([emma.id, leadA]);
      expect(await ids('scoreMax=10')).toEqual([tricky]);
      expect(await ids('language=es')).toEqual([leadB, leadA]);
      expect(await ids('language=en')).toEqual([emma.id]);
      expect(await ids('consent=granted')).toEqual([emma.id]);
      // withheld: contacts who did not agree, and leads without a contact
      expect(await ids('consent=withheld')).toEqual([tricky, leadB, leadA]);
      expect(await ids('language=en&consent=withheld')).toEqual([]);
      expect(await ids('language=es&consent=withheld&scoreMin=50')).toEqual([leadA]);
      expect(await ids(`language=es&q=${encodeURIComponent('ana@')}`)).toEqual([leadB]);
      expect(await ids('channel=webchat&consent=granted&language=')).toEqual([emma.id]);
      for (const bad of ['scoreMin=-1', 'scoreMax=lots', 'language=fr', 'consent=maybe']) {
        const res = await viewer.call('GET', `/api/leads?${bad}`);
        expect(res.status, bad).toBe(400);
        expect(res.body.error.code).toBe('invalid_request');
      }
    } finally {
      await Lead.deleteOne({ _id: emma._id });
      await Contact.deleteOne({ _id: english._id });
    }
  });

  it('owners: active staff by name for marketers and viewers, not agents', async () => {
    const disabled = await staffWithRole(app, 'viewer');
    await User.updateOne({ _id: disabled.user.id }, { $set: { disabled: true } });
    const res = await viewer.call('GET', '/api/leads/owners');
    expect(res.status).toBe(200);
    const owners = res.body.items as Json[];
    expect(owners).toEqual(
      expect.arrayContaining([
        { id: agent.user.id, name: agent.user.name },
        { id: marketer.user.id, name: marketer.user.name },
      ]),
    );
    expect(owners.map((o) => o.id)).not.toContain(disabled.user.id);
    expect(Object.keys(owners[0]!).sort()).toEqual(['id', 'name']);
    expect((await agent.call('GET', '/api/leads/owners')).status).toBe(403);
  });

  it('exports CSV with a BOM, quoted values and formula cells neutralised; audited', async () => {
    await Lead.updateOne({ _id: leadB }, { $set: { intentsSeen: ['pricing', 'demo'] } });
    await Lead.updateOne(
      { _id: tricky },
      { $set: { notes: '+1+2', tags: ["=cmd|' /C calc'!A0", 'campaña-otoño'] } },
    );
    const res = await fetch(`${app.url}/api/leads/export.csv?sort=name&order=asc`, {
      headers: { cookie: marketer.cookie },
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/csv; charset=utf-8/);
    const bytes = Buffer.from(await res.arrayBuffer());
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const rows: string[][] = parse(bytes, { bom: true });
    expect(rows[0]!.join(',')).toBe(
      'id,name,email,phone,company,interest,status,score,channel,language,marketingConsent,owner,tags,notes,createdAt,updatedAt',
    );
    const records: Record<string, string>[] = parse(bytes, { bom: true, columns: true });
    expect(records).toHaveLength(3);
    const [formula, ana, jose] = records;
    expect(formula).toMatchObject({
      id: tricky,
      name: `'=HYPERLINK("http://evil.example","clic")`,
      // A phone in E.164 is no formula: written as it is, not as `'+34…`.
      phone: '+34600111222',
      company: "'@SUM(A1:A2)",
      notes: "'+1+2",
      tags: "'=cmd|' /C calc'!A0; campaña-otoño",
      interest: 'dijo "hola", luego\nuna línea nueva',
      status: 'lost',
      language: '',
      marketingConsent: 'no',
    });
    // No interest captured: the intents the person asked about stand in for it.
    expect(ana).toMatchObject({
      id: leadB,
      name: 'Ana Beltrán',
      channel: 'webchat',
      interest: 'pricing; demo',
    });
    expect(jose).toMatchObject({
      id: leadA,
      name: 'José Núñez',
      company: 'Acme, S.L.',
      status: 'contacted',
      language: 'es',
      owner: agent.user.name,
      tags: 'pro; madrid',
      notes: 'Llamar el lunes',
    });
    expect(new Date(jose!.createdAt!).toISOString()).toBe(jose!.createdAt);
    const audit = await AuditEntry.findOne({
      action: 'lead.export',
      actor: `user:${marketer.user.id}`,
    }).lean();
    expect(audit?.details).toMatchObject({ filters: { sort: 'name', order: 'asc' } });
  });

  it('export: viewer and agent get 403, bad filters 400', async () => {
    for (const who of [viewer, agent]) {
      expect((await who.call('GET', '/api/leads/export.csv')).status).toBe(403);
    }
    expect((await call(app, 'GET', '/api/leads/export.csv')).status).toBe(401);
    const bad = await marketer.call('GET', '/api/leads/export.csv?status=zombie');
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('invalid_request');
  });

  it('staff consent changes are records (by staff, console, wording), audited, on the lead', async () => {
    const wording = 'Acepto recibir novedades por email / I agree to receive news by email';
    const res = await marketer.call('PUT', `/api/contacts/${contactId}/consent`, {
      granted: true,
      wording,
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ granted: true });
    expect(res.body.history[0]).toMatchObject({
      granted: true,
      by: 'staff',
      channel: 'console',
      wording,
      actor: `user:${marketer.user.id}`,
    });
    const record = await ConsentRecord.findOne({ contactId }).lean();
    expect(record).toMatchObject({ granted: true, by: 'staff' });
    const audit = await AuditEntry.findOne({
      action: 'consent.grant',
      targetId: contactId.toHexString(),
    }).lean();
    expect(audit?.actor).toBe(`user:${marketer.user.id}`);
    const page = await viewer.call('GET', `/api/leads/${leadA}`);
    expect(page.body.consent).toMatchObject({ granted: true });
    expect(page.body.consent.history).toHaveLength(1);

    expect(
      (await viewer.call('PUT', `/api/contacts/${contactId}/consent`, { granted: false })).status,
    ).toBe(403);
    const bad = await marketer.call('PUT', `/api/contacts/${contactId}/consent`, { granted: 'y' });
    expect(bad.status).toBe(400);
    expect((await Contact.findById(contactId).lean())?.marketingConsent?.granted).toBe(true);
  });

  it('export with consent=granted keeps only consenting contacts', async () => {
    const res = await marketer.call('GET', '/api/leads/export.csv?consent=granted&sort=name');
    expect(res.status).toBe(200);
    const records: Record<string, string>[] = parse(res.body as string, {
      bom: true,
      columns: true,
    });
    expect(records.map((r) => r.id).sort()).toEqual([leadA, leadB].sort());
    expect(records.every((r) => r.marketingConsent === 'yes')).toBe(true);
  });

  it("the bot's unsubscribe writes a consent record by the customer", async () => {
    await app.charla.services.ingest.ingest({
      channel: 'telegram',
      platformMessageId: `ws-unsub-${Date.now()}`,
      platformUserId: 'tg-ws-1',
      platformConversationId: 'tg-ws-1',
      text: 'No quiero recibir más publicidad, dadme de baja',
    });
    const record = await eventually(
      () => ConsentRecord.findOne({ contactId, granted: false }).lean(),
      20_000,
    );
    expect(record).toMatchObject({ by: 'customer', actor: 'customer', channel: 'telegram' });
    expect(record.wording).toMatch(/no volverás a recibir/);
    expect((await Contact.findById(contactId).lean())?.marketingConsent?.granted).toBe(false);
    const consent = await agent.call('GET', `/api/contacts/${contactId}/consent`);
    expect(consent.body.history.map((h: Json) => h.by)).toEqual(['customer', 'staff']);
  }, 30_000);
});
