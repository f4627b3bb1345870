/**
 * Sentiment through the real engine (ingest → queue → engine → delivery): every customer message
 * gets its score on its record and on the conversation's trend; two negative messages in a row
 * raise the conversation's priority, whether the bot has it or staff do (relay path), and the
 * staff queue lists it first, marked. A neutral message in between breaks the run. A replayed
 * message adds nothing.
 */
import { Types } from 'mongoose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Lead } from '../../../src/kernel/db/models/lead.js';
import { Conversation } from '../../../src/kernel/db/models/conversation.js';
import { Message } from '../../../src/kernel/db/models/message.js';
import { ADMIN_TOKEN, startTestApp, type TestApp } from '../../support/app.js';
import { call } from '../auth/staff-client.js';
import { customer, recordingAdapter } from '../../pipeline/engine/chat.js';

const admin = { authorization: `Bearer ${ADMIN_TOKEN}` };

describe('sentiment trend and frustration', () => {
  let app: TestApp;
  const rec = recordingAdapter('telegram');
  beforeAll(async () => {
    app = await startTestApp({}, { extraAdapters: [rec.adapter] });
  });
  afterAll(async () => app?.stop());

  const inbound = (conversationId: string) =>
    Message.find({ conversationId, direction: 'in' }).sort({ _id: 1 }).lean();

  it('scores each message; two negatives in a row with the bot raise the priority', async () => {
    const c = customer(() => app, rec, 'angry-bot', { locale: 'en' });
    await c.say('Hello, thanks for the help yesterday, great service');
    let conversation = await Conversation.findById(c.conversationId()).lean();
    expect(conversation?.priority).toBeUndefined();
    await c.say('This is useless, nothing works');
    conversation = await Conversation.findById(c.conversationId()).lean();
    expect(conversation?.sentiment?.frustratedAt ?? null).toBeNull();
    await c.say('Worst experience ever, I am really angry');
    conversation = await Conversation.findById(c.conversationId()).lean();
    expect(conversation?.priority).toBe('high');
    expect(conversation?.sentiment?.frustratedAt).toBeInstanceOf(Date);

    const messages = await inbound(c.conversationId());
    expect(messages.map((m) => Math.sign(m.sentiment ?? 0))).toEqual([1, -1, -1]);
    const trend = conversation!.sentiment!.trend;
    expect(trend.map((p) => p.score)).toEqual(messages.map((m) => m.sentiment));
    expect(trend.map((p) => String(p.messageId))).toEqual(messages.map((m) => String(m._id)));

    const list = await call(app, 'GET', `/api/conversations?limit=200`, { headers: admin });
    const item = list.body.items.find((i: { id: string }) => i.id === c.conversationId());
    expect(item).toMatchObject({ priority: 'high' });
    expect(item.sentiment.trend).toHaveLength(3);
    expect(item.sentiment.frustratedAt).toEqual(expect.any(String));

    // A replay of the last message (its turn already saved) adds nothing.
    const last = messages.at(-1)!;
    await app.charla.services.engine.handle({ ...last, direction: 'in' });
    const again = await Conversation.findById(c.conversationId()).lean();
    expect(again?.sentiment?.trend).toHaveLength(3);
  });

  it('a neutral message between two negative ones breaks the run', async () => {
    const c = customer(() => app, rec, 'mixed-bot', { locale: 'es' });
    await c.say('Es una vergüenza, estoy harto');
    await c.say('¿Cuál es vuestro horario?');
    await c.say('Fatal, estoy muy enfadado');
    const conversation = await Conversation.findById(c.conversationId()).lean();
    expect(conversation?.sentiment?.trend).toHaveLength(3);
    expect(conversation?.priority).toBeUndefined();
    expect(conversation?.sentiment?.frustratedAt ?? null).toBeNull();
  });

  it('while queued for staff, two negatives raise the priority and the queue lists it first', async () => {
    const calm = customer(() => app, rec, 'calm-queued', { locale: 'es' });
    await calm.say('Quiero hablar con una persona, por favor');
    const angry = customer(() => app, rec, 'angry-queued', { locale: 'es' });
    await angry.say('Quiero hablar con una persona, por favor');
    expect((await Conversation.findById(angry.conversationId()).lean())?.status).toBe('queued');

    expect(await angry.say('Esto es horrible, nadie me responde')).toEqual([]);
    expect(await angry.say('Estoy harto, esto no funciona')).toEqual([]);
    const conversation = await Conversation.findById(angry.conversationId()).lean();
    expect(conversation?.status).toBe('queued');
    expect(conversation?.priority).toBe('high');
    expect(conversation?.sentiment?.frustratedAt).toBeInstanceOf(Date);
    const messages = await inbound(angry.conversationId());
    expect(messages.slice(-2).every((m) => (m.sentiment ?? 0) < 0)).toBe(true);

    const queue = await call(app, 'GET', '/api/escalations?status=queued&limit=200', {
      headers: admin,
    });
    expect(queue.status).toBe(200);
    const ids = queue.body.items.map((i: { conversationId: string }) => i.conversationId);
    // Queued later than the calm customer, listed before them.
    expect(ids.indexOf(angry.conversationId())).toBeLessThan(ids.indexOf(calm.conversationId()));
    const item = queue.body.items.find(
      (i: { conversationId: string }) => i.conversationId === angry.conversationId(),
    );
    expect(item).toMatchObject({ priority: 'high', frustratedAt: expect.any(String) });

    // The relayed message again (a replayed job): the trend keeps one point per message.
    const last = messages.at(-1)!;
    await app.charla.services.engine.handle({ ...last, direction: 'in' });
    const again = await Conversation.findById(angry.conversationId()).lean();
    expect(again?.sentiment?.trend.length).toBe(conversation?.sentiment?.trend.length);
  });
  it('segments can select the leads of frustrated customers (and of the others)', async () => {
    const angry = customer(() => app, rec, 'angry-segment', { locale: 'en' });
    await angry.say('This is useless, nothing works');
    await angry.say('Worst experience ever, I am really angry');
    const calm = customer(() => app, rec, 'calm-segment', { locale: 'en' });
    await calm.say('Thanks, that helped a lot');
    const lead = (contactId: string) => ({
      contactId: new Types.ObjectId(contactId),
      channel: 'telegram',
      status: 'new',
      score: 0,
      tags: ['insight-segment'],
      createdAt: new Date(),
      updatedAt: new Date(),
    });
    await Lead.collection.insertMany([lead(angry.contactId()), lead(calm.contactId())]);
    const count = async (filter: Record<string, unknown>) => {
      const res = await call(app, 'POST', '/api/segments/count', {
        headers: admin,
        body: { filter: { tags: ['insight-segment'], ...filter } },
      });
      expect(res.status).toBe(200);
      return res.body.count as number;
    };
    expect(await count({})).toBe(2);
    expect(await count({ frustrated: true })).toBe(1);
    expect(await count({ frustrated: false })).toBe(1);
    const bad = await call(app, 'POST', '/api/segments/count', {
      headers: admin,
      body: { filter: { frustrated: 'yes' } },
    });
    expect(bad.status).toBe(400);
  });
});
