/**
 * Segments and lead scoring against a real Charla (FerretDB, Redis): segment counts for several
 * definitions over leads with known attributes, `segment=` on the lead list and the CSV export,
 * validation and roles; the scoring rules API (invalid rules refused with their paths and nothing
 * saved, a weight change rescoring the stored leads through the queued job, audit, preview);
 * consent changes reaching the leads; and a real conversation's turns rescoring its lead.
 */
import { parse } from 'csv-parse/sync';
import { Types } from 'mongoose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { refreshLead } from '../../../src/features/leads/scoring/refresh.js';
import { AuditEntry } from '../../../src/kernel/db/models/audit-entry.js';
import { Case } from '../../../src/kernel/db/models/case.js';
import { Contact } from '../../../src/kernel/db/models/contact.js';
import { Conversation } from '../../../src/kernel/db/models/conversation.js';
import { Lead } from '../../../src/kernel/db/models/lead.js';
import { Segment } from '../../../src/kernel/db/models/segment.js';
import { staffWithRole, type Json, type Staff } from '../auth/staff-client.js';
import { customer, recordingAdapter } from '../../pipeline/engine/chat.js';
import { eventually, startTestApp, type TestApp } from '../../support/app.js';

const DAY = 24 * 60 * 60 * 1000;

describe('segments and scoring', () => {
  let app: TestApp;
  let marketer: Staff;
  let viewer: Staff;
  let agent: Staff;
  let admin: Staff;
  const rec = recordingAdapter('telegram');
  const ids: Record<string, string> = {};
  let contactEs: Types.ObjectId;

  beforeAll(async () => {
    app = await startTestApp({}, { extraAdapters: [rec.adapter] });
    [marketer, viewer, agent, admin] = await Promise.all([
      staffWithRole(app, 'marketer'),
      staffWithRole(app, 'viewer'),
      staffWithRole(app, 'agent'),
      staffWithRole(app, 'admin'),
    ]);
    const now = Date.now();
    const [es, en, other] = await Contact.create([
      { name: 'Lucía', locale: 'es', marketingConsent: { granted: true, updatedAt: new Date() } },
      { name: 'Tom', locale: 'en' },
      { name: 'Otro', locale: 'es' },
    ]);
    contactEs = es!._id;
    const conv = await Conversation.create({
      contactId: es!._id,
      channel: 'whatsapp',
      platformConversationId: 'seg-1',
      platformUserId: 'seg-1',
      intentsSeen: ['greeting', 'pricing'],
      lastMessageAt: new Date(now - 2 * DAY),
      locale: 'es',
    });
    const leads = await Lead.create([
      // lucia: es, consent, pricing, company + phone, vip tag, whatsapp, recent contact.
      {
        contactId: es!._id,
        conversationId: conv._id,
        name: 'Lucía Pérez',
        company: 'Ñandú, S.A.',
        phone: '+34600000001',
        channel: 'whatsapp',
        tags: ['vip', 'madrid'],
      },
      // tom: en, no consent, email only, webchat.
      { contactId: en!._id, name: 'Tom', email: 'tom@example.com', channel: 'webchat' },
      // otro: es, no consent, open case, telegram, tag madrid.
      { contactId: other!._id, name: 'Otro', channel: 'telegram', tags: ['madrid'] },
    ]);
    const [lucia, tom, otro] = leads.map((l) => l._id.toHexString());
    Object.assign(ids, { lucia, tom, otro });
    await Case.create({
      number: 'C-SEG-1',
      type: 'support',
      contactId: other!._id,
      channel: 'telegram',
    });
    for (const l of leads) await refreshLead(l._id);
  }, 60_000);

  afterAll(async () => app?.stop());

  const count = async (filter: Json) => {
    const res = await marketer.call('POST', '/api/segments/count', { filter });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return res.body.count as number;
  };

  it('copies contact facts onto the leads and scores them with the seeded rules', async () => {
    const lucia = await Lead.findById(ids.lucia).lean();
    expect(lucia).toMatchObject({ language: 'es', marketingConsent: true, score: 50 });
    expect(lucia?.intentsSeen).toEqual(['greeting', 'pricing']);
    expect(lucia?.scoreReasons?.map((r) => r.rule)).toEqual([
      'company',
      'pricing',
      'phone',
      'consent',
    ]);
    const list = await viewer.call('GET', '/api/leads?sort=score&order=desc');
    expect(list.status).toBe(200);
    expect(list.body.items[0]).toMatchObject({
      id: ids.lucia,
      score: 50,
      language: 'es',
      marketingConsent: true,
    });
    expect(list.body.items[0].scoreReasons[0]).toEqual({
      rule: 'company',
      points: 15,
      label: { en: 'company given', es: 'empresa indicada' },
    });
  });

  it('counts segments right for several definitions', async () => {
    expect(await count({})).toBe(3);
    expect(await count({ language: 'es' })).toBe(2);
    expect(await count({ consent: 'granted' })).toBe(1);
    expect(await count({ consent: 'withheld' })).toBe(2);
    expect(await count({ tags: ['madrid'] })).toBe(2);
    expect(await count({ tags: ['madrid', 'vip'] })).toBe(1);
    expect(await count({ channels: ['webchat', 'telegram'] })).toBe(2);
    expect(await count({ scoreMin: 40 })).toBe(1);
    expect(await count({ scoreMax: 10 })).toBe(2);
    expect(await count({ intents: ['pricing'] })).toBe(1);
    expect(await count({ hasOpenCase: true })).toBe(1);
    expect(await count({ hasOpenCase: false })).toBe(2);
    expect(await count({ lastContactWithinDays: 7 })).toBe(1);
    expect(await count({ lastContactWithinDays: 1 })).toBe(0);
    expect(await count({ language: 'es', hasOpenCase: false, tags: ['madrid'] })).toBe(1);
    expect(await count({ statuses: ['won'] })).toBe(0);
  });

  it('saves, lists with live counts, changes and deletes segments (audited, roles)', async () => {
    const bad = await marketer.call('POST', '/api/segments', {
      name: 'Mal',
      filter: { scoreMin: 80, scoreMax: 20 },
    });
    expect(bad.status).toBe(400);
    const unknown = await marketer.call('POST', '/api/segments', {
      name: 'Mal',
      filter: { colour: 'red' },
    });
    expect(unknown.status).toBe(400);
    expect(await Segment.countDocuments()).toBe(0);
    expect((await viewer.call('POST', '/api/segments', { name: 'x', filter: {} })).status).toBe(
      403,
    );
    expect((await agent.call('GET', '/api/segments')).status).toBe(403);

    const made = await marketer.call('POST', '/api/segments', {
      name: 'Madrid en español',
      filter: { tags: ['madrid'], language: 'es' },
    });
    expect(made.status).toBe(201);
    expect(made.body).toMatchObject({ name: 'Madrid en español', count: 2 });
    ids.segment = made.body.id;
    const listed = await viewer.call('GET', '/api/segments');
    expect(listed.body.items).toEqual([expect.objectContaining({ id: ids.segment, count: 2 })]);

    const changed = await marketer.call('PUT', `/api/segments/${ids.segment}`, {
      name: 'Madrid con consentimiento',
      filter: { tags: ['madrid'], consent: 'granted' },
    });
    expect(changed.status).toBe(200);
    expect(changed.body.count).toBe(1);
    const audits = await AuditEntry.find({ targetId: ids.segment }).sort({ createdAt: 1 }).lean();
    expect(audits.map((a) => a.action)).toEqual(['segment.create', 'segment.update']);

    const extra = await marketer.call('POST', '/api/segments', { name: 'Todos', filter: {} });
    expect((await marketer.call('DELETE', `/api/segments/${extra.body.id}`)).status).toBe(204);
    expect((await marketer.call('GET', `/api/segments/${extra.body.id}`)).status).toBe(404);
  });

  it('applies segment= to the lead list and the CSV export; an unknown one is a 400', async () => {
    const list = await marketer.call('GET', `/api/leads?segment=${ids.segment}`);
    expect(list.body.items.map((l: Json) => l.id)).toEqual([ids.lucia]);
    expect(list.body.total).toBe(1);
    const narrowed = await marketer.call(
      'GET',
      `/api/leads?segment=${ids.segment}&channel=webchat`,
    );
    expect(narrowed.body.total).toBe(0);
    const res = await fetch(`${app.url}/api/leads/export.csv?segment=${ids.segment}`, {
      headers: { cookie: marketer.cookie },
    });
    expect(res.status).toBe(200);
    const rows = parse(await res.text(), { bom: true, columns: true }) as Json[];
    expect(rows).toEqual([
      expect.objectContaining({
        id: ids.lucia,
        company: 'Ñandú, S.A.',
        language: 'es',
        marketingConsent: 'yes',
        score: '50',
      }),
    ]);
    const missing = new Types.ObjectId().toHexString();
    const nope = await marketer.call('GET', `/api/leads?segment=${missing}`);
    expect(nope.status).toBe(400);
    expect(nope.body.error.code).toBe('unknown_segment');
    const nopeCsv = await fetch(`${app.url}/api/leads/export.csv?segment=${missing}`, {
      headers: { cookie: marketer.cookie },
    });
    expect(nopeCsv.status).toBe(400);
  });

  it('a consent withdrawal reaches the leads: segments, export and score follow', async () => {
    const res = await marketer.call('PUT', `/api/contacts/${contactEs}/consent`, {
      granted: false,
    });
    expect(res.status).toBe(200);
    expect(await count({ consent: 'granted' })).toBe(0);
    const csv = await fetch(`${app.url}/api/leads/export.csv?consent=granted`, {
      headers: { cookie: marketer.cookie },
    });
    expect(parse(await csv.text(), { bom: true, columns: true })).toEqual([]);
    const lucia = await Lead.findById(ids.lucia).lean();
    expect(lucia).toMatchObject({ marketingConsent: false, score: 45 });
    await marketer.call('PUT', `/api/contacts/${contactEs}/consent`, { granted: true });
    expect((await Lead.findById(ids.lucia).lean())?.score).toBe(50);
  });

  it('refuses invalid rules with their paths and saves nothing', async () => {
    const live = await viewer.call('GET', '/api/scoring/rules');
    expect(live.status).toBe(200);
    expect(live.body.version).toBe(1);
    expect(live.body.yaml).toContain('returnedWithinDays: 7');
    const bad = await admin.call('PUT', '/api/scoring/rules', {
      yaml: 'rules:\n  - { id: x, points: 999, label: { en: a, es: b }, when: { field: age } }\n',
    });
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('invalid_rules');
    expect(bad.body.error.details.map((d: Json) => d.path)).toEqual(
      expect.arrayContaining(['rules.0.points']),
    );
    const syntax = await admin.call('PUT', '/api/scoring/rules', { yaml: 'rules: [\n' });
    expect(syntax.status).toBe(400);
    expect(syntax.body.error.details[0].path).toBe('yaml');
    expect(
      (await marketer.call('PUT', '/api/scoring/rules', { yaml: live.body.yaml })).status,
    ).toBe(403);
    expect((await viewer.call('GET', '/api/scoring/rules')).body.version).toBe(1);
  });

  it('previews a draft on a lead, then a saved weight change rescores the leads', async () => {
    const live = (await viewer.call('GET', '/api/scoring/rules')).body.yaml as string;
    const draft = live.replace(/points: 15/, 'points: 40');
    const preview = await marketer.call('POST', '/api/scoring/preview', {
      leadId: ids.lucia,
      yaml: draft,
    });
    expect(preview.status).toBe(200);
    expect(preview.body).toMatchObject({ score: 75, stored: { score: 50 } });
    expect((await Lead.findById(ids.lucia).lean())?.score).toBe(50);

    const saved = await admin.call('PUT', '/api/scoring/rules', { yaml: draft });
    expect(saved.status).toBe(200);
    expect(saved.body.version).toBe(2);
    const rescored = await eventually(async () => {
      const l = await Lead.findById(ids.lucia).lean();
      return l?.score === 75 && l.scoreRulesVersion === 2 ? l : undefined;
    });
    expect(rescored.scoreReasons?.[0]).toMatchObject({ rule: 'company', points: 40 });
    const audit = await AuditEntry.findOne({ action: 'scoring.rules.update' }).lean();
    expect(audit?.after).toMatchObject({ version: 2 });
    // Put the shipped weights back for the next test.
    await admin.call('PUT', '/api/scoring/rules', { yaml: live });
    await eventually(async () => (await Lead.findById(ids.lucia).lean())?.score === 50);
  });

  it("a conversation's turns rescore its lead: created by the flow, then pricing asked", async () => {
    const eva = customer(() => app, rec, 'eva');
    await eva.say('Hola, me interesa contratar vuestro servicio para mi empresa');
    await eva.say('Eva Gómez');
    await eva.say('eva.gomez@example.com');
    await eva.say('+34 611 22 33 44');
    await eva.say('Construcciones Eva SL');
    await eva.say('No'); // no marketing e-mails
    await eva.say('Sí');
    const conversation = await Conversation.findById(eva.conversationId()).lean();
    expect(conversation?.leadId).toBeDefined();
    const leadId = String(conversation!.leadId);
    const first = await eventually(async () => {
      const l = await Lead.findById(leadId).lean();
      return l?.scoredAt ? l : undefined;
    });
    // company 15 + phone 10 + email 10
    expect(first.score).toBe(35);
    await eva.say('¿cuánto cuesta?');
    const after = await eventually(async () => {
      const l = await Lead.findById(leadId).lean();
      return l?.intentsSeen?.includes('pricing') ? l : undefined;
    });
    expect(after.score).toBe(55);
    expect(after.scoreReasons?.map((r) => r.rule)).toContain('pricing');
  }, 60_000);
});
