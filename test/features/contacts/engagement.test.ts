/**
 * The engagement summary on GET /api/contacts/:id against a hand count: a contact with
 * conversations on two channels (one of them started by a real bot turn), leads and cases
 * (two with CSAT), plus a bot privacy request whose case links to the contact's export. Erased
 * contacts are left out of GET /api/contacts.
 */
import { Types } from 'mongoose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Case } from '../../../src/kernel/db/models/case.js';
import { Contact } from '../../../src/kernel/db/models/contact.js';
import { Conversation } from '../../../src/kernel/db/models/conversation.js';
import { Lead } from '../../../src/kernel/db/models/lead.js';
import { call } from '../auth/staff-client.js';
import { customer, recordingAdapter } from '../../pipeline/engine/chat.js';
import { ADMIN_TOKEN, startTestApp, type TestApp } from '../../support/app.js';

const admin = { authorization: `Bearer ${ADMIN_TOKEN}` };
const day = (d: number) => new Date(Date.UTC(2026, 9, d, 10));

describe('contact engagement summary', () => {
  let app: TestApp;
  const rec = recordingAdapter('telegram');
  beforeAll(async () => {
    app = await startTestApp({}, { extraAdapters: [rec.adapter] });
  });
  afterAll(async () => app?.stop());

  it('matches a hand count of first/last contact, conversations, channels, leads, cases, CSAT', async () => {
    const c = customer(() => app, rec, `engaged-${Date.now()}`, { locale: 'es' });
    await c.say('Quiero que borréis mis datos');
    const contactId = new Types.ObjectId(c.contactId());
    const botConversation = await Conversation.findById(c.conversationId()).lean();
    const extra = (n: number, channel: string, created: Date, last: Date) => ({
      contactId,
      channel,
      platformConversationId: `eng-${n}-${contactId}`,
      platformUserId: `eng-${contactId}`,
      status: 'closed',
      createdAt: created,
      lastMessageAt: last,
      sentiment: {
        trend: [{ at: last, score: -0.5, messageId: new Types.ObjectId() }],
        frustratedAt: n === 1 ? last : null,
      },
    });
    await Conversation.collection.insertMany([
      extra(1, 'webchat', day(2), day(3)),
      extra(2, 'whatsapp', day(5), day(9)),
    ]);
    await Lead.collection.insertMany([
      { contactId, channel: 'webchat', status: 'new', createdAt: day(3) },
      { contactId, channel: 'whatsapp', status: 'won', createdAt: day(9) },
    ]);
    await Case.collection.insertMany([
      {
        number: `CS-E${Date.now()}1`,
        contactId,
        status: 'resolved',
        csat: 4,
        type: 'support',
        priority: 'normal',
      },
      {
        number: `CS-E${Date.now()}2`,
        contactId,
        status: 'closed',
        csat: 5,
        type: 'support',
        priority: 'normal',
      },
      {
        number: `CS-E${Date.now()}3`,
        contactId,
        status: 'open',
        type: 'support',
        priority: 'normal',
      },
    ]);

    const res = await call(app, 'GET', `/api/contacts/${contactId}`, { headers: admin });
    expect(res.status).toBe(200);
    const botScores = (botConversation?.sentiment?.trend ?? []).map((p) => p.score ?? 0);
    const scores = [...botScores, -0.5, -0.5];
    const mean = Math.round((scores.reduce((a, b) => a + b, 0) / scores.length) * 100) / 100;
    expect(res.body.engagement).toEqual({
      firstContactAt: day(2).toISOString(),
      lastContactAt: new Date(botConversation!.lastMessageAt!).toISOString(),
      conversations: 3,
      channels: ['telegram', 'webchat', 'whatsapp'],
      leads: 2,
      // The bot's privacy case + three.
      cases: 4,
      openCases: 2,
      csat: { average: 4.5, responses: 2 },
      sentiment: { average: mean, frustratedConversations: 1 },
    });
    const privacy = res.body.cases.find((k: { type: string }) => k.type === 'privacy');
    expect(privacy.exportPath).toBe(`/api/contacts/${contactId}/export`);
    expect(res.body.cases.filter((k: { exportPath: string | null }) => k.exportPath)).toHaveLength(
      1,
    );
    const exported = await call(app, 'GET', privacy.exportPath, { headers: admin });
    expect(exported.status).toBe(200);
    expect(exported.body.cases.map((k: { type: string }) => k.type)).toContain('privacy');
  });

  it('an erased contact is not listed; its view says erased', async () => {
    const name = `Erasable ${Date.now()}`;
    const kept = await Contact.create({ name: `${name} kept` });
    const gone = await Contact.create({ name });
    const listed = async () => {
      const res = await call(app, 'GET', `/api/contacts?q=${encodeURIComponent(name)}`, {
        headers: admin,
      });
      return res.body.items.map((i: { id: string }) => i.id);
    };
    expect(await listed()).toEqual(expect.arrayContaining([String(kept._id), String(gone._id)]));
    const erase = await call(app, 'POST', `/api/contacts/${gone._id}/erase`, {
      headers: admin,
      body: { confirm: String(gone._id) },
    });
    expect(erase.status).toBe(200);
    expect(await listed()).toEqual([String(kept._id)]);
    const view = await call(app, 'GET', `/api/contacts/${gone._id}`, { headers: admin });
    expect(view.status).toBe(200);
    expect(view.body.contact).toMatchObject({ name: null, emails: [], phones: [] });
    expect(view.body.contact.erasedAt).toEqual(expect.any(String));
  });
});
