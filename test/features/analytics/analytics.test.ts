/**
 * Analytics of a scripted day of conversations, driven through the real pipeline (ingest →
 * queue → engine → delivery; console claims and replies; the leads API), rolled up by the real
 * job and read over the API — each figure compared with the count made by hand from the script.
 * Then: a turn replayed after a crash counts once, an erasure changes no total, and bad queries
 * are refused.
 */
import { Types } from 'mongoose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dayOf } from '../../../src/features/analytics/definitions.js';
import { AnalyticsDay } from '../../../src/features/analytics/model.js';
import { Case } from '../../../src/kernel/db/models/case.js';
import { Conversation } from '../../../src/kernel/db/models/conversation.js';
import { Lead } from '../../../src/kernel/db/models/lead.js';
import { Message } from '../../../src/kernel/db/models/message.js';
import { staffWithRole, type Json, type Staff } from '../auth/staff-client.js';
import { customer, recordingAdapter, type Customer } from '../../pipeline/engine/chat.js';
import { eventually, startTestApp, type TestApp } from '../../support/app.js';

const today = dayOf(new Date());

describe('analytics of scripted conversations', () => {
  let app: TestApp;
  let agent: Staff;
  let marketer: Staff;
  let viewer: Staff;
  let armed = false;
  const tg = recordingAdapter('telegram');
  const wa = recordingAdapter('whatsapp');
  const c = {} as Record<'ana' | 'bob' | 'carla' | 'dan' | 'marta', Customer>;

  beforeAll(async () => {
    app = await startTestApp(
      {},
      {
        extraAdapters: [tg.adapter, wa.adapter],
        analyticsIntervalMs: 3_600_000, // the test runs the job itself
        crashAt: (point) => {
          if (!armed || point !== 'after-state') return;
          armed = false;
          throw new Error('crash test: after-state');
        },
      },
    );
    [agent, marketer, viewer] = await Promise.all([
      staffWithRole(app, 'agent'),
      staffWithRole(app, 'marketer'),
      staffWithRole(app, 'viewer'),
    ]);
  });
  afterAll(async () => app?.stop());

  const rollup = async () => {
    const report = await app.charla.services.analytics!.runOnce({ settleMs: 0 });
    expect(report).toBeDefined();
    return report!;
  };
  const summary = async (query = '') => {
    const res = await viewer.call(
      'GET',
      `/api/analytics/summary?from=${today}&to=${today}${query}`,
    );
    expect(res.status).toBe(200);
    return res.body as Json;
  };
  const staffTakes = async (conversationId: string, text: string) => {
    await eventually(
      async () => (await Conversation.findById(conversationId).lean())?.status === 'queued',
    );
    expect((await agent.call('POST', `/api/conversations/${conversationId}/claim`)).status).toBe(
      200,
    );
    const res = await agent.call('POST', `/api/conversations/${conversationId}/reply`, { text });
    expect(res.status).toBe(201);
    await eventually(async () =>
      [...tg.sent, ...wa.sent].some((m) => m.id === res.body.message.id),
    );
  };

  it('counts every figure of the script as counted by hand', async () => {
    // ana (telegram, es): a lead, captured by the lead flow: 1 question + 6 answers to its steps
    // (the marketing opt-in refused).
    c.ana = customer(() => app, tg, 'an-ana');
    await c.ana.say('Hola, me interesa contratar vuestro servicio para mi empresa');
    await c.ana.say('Ana García');
    await c.ana.say('ana.garcia@ejemplo.com');
    await c.ana.say('+34 612 34 56 78');
    await c.ana.say('Precios Bajos SL');
    await c.ana.say('no');
    await c.ana.say('Sí');
    // bob (telegram, en): hours, two fallbacks, accepts a person; staff claim and answer.
    c.bob = customer(() => app, tg, 'an-bob');
    await c.bob.say('What are your opening hours?');
    await c.bob.say('The purple elephant sings opera on Tuesdays');
    await c.bob.say('My grandmother knits very long scarves');
    await c.bob.say('Yes');
    await staffTakes(c.bob.conversationId(), 'Hi Bob, how can I help?');
    // carla (whatsapp, es): asks for a person, writes again while queued (relayed, not read).
    c.carla = customer(() => app, wa, 'an-carla');
    await c.carla.say('Quiero hablar con una persona');
    await c.carla.say('¿Hay alguien ahí?');
    await staffTakes(c.carla.conversationId(), 'Hola Carla, dime.');
    // dan (whatsapp, en): one question, answered by the bot.
    c.dan = customer(() => app, wa, 'an-dan');
    await c.dan.say('What are your opening hours?');
    // marta (telegram, es): opens a case (1 question + 2 answers).
    c.marta = customer(() => app, tg, 'an-marta');
    await c.marta.say('Quiero abrir una incidencia');
    await c.marta.say(
      'La factura de octubre me ha llegado duplicada y me habéis cobrado dos veces',
    );
    await c.marta.say('marta@example.com');

    // The lead is won (marketer, through the API); the case resolved with a CSAT of 4 (as the
    // cases workspace records it).
    const lead = await Lead.findOne({ conversationId: c.ana.conversationId() }).lean();
    expect(lead).not.toBeNull();
    const won = await marketer.call('PATCH', `/api/leads/${String(lead!._id)}`, { status: 'won' });
    expect(won.status).toBe(200);
    // (Raw write: the case model gains its `csat` field in the cases workspace.)
    await Case.collection.updateOne(
      { conversationId: new Types.ObjectId(c.marta.conversationId()) },
      { $set: { status: 'resolved', csat: { rating: 4 } } },
    );
    await rollup();

    const s = await summary();
    const sent = [...tg.sent, ...wa.sent];
    // By hand: 6 + 4 + 2 + 1 + 3 customer messages; carla's second one went to staff unread.
    expect(s.conversations).toBe(5);
    expect(s.messagesIn).toBe(17);
    expect(s.messagesOut).toBe(sent.length); // every reply the platforms received, bot and staff
    // Escalated: bob and carla. Contained: ana, dan, marta.
    expect(s.escalationRate).toBeCloseTo(2 / 5);
    expect(s.containmentRate).toBeCloseTo(3 / 5);
    // Read by the bot: 15; without intent: bob's two fallbacks (flow answers never count).
    expect(s.fallbackRate).toBeCloseTo(2 / 16);
    expect(s.leads).toBe(1);
    expect(s.qualifiedLeads).toBe(1);
    expect(s.wonLeads).toBe(1);
    expect(s.cases).toBe(1);
    expect(s.casesResolved).toBe(1);
    expect(s.csatAverage).toBe(4);
    expect(s.csatResponses).toBe(1);
    // Medians of the two hand-overs, from the records' own times (queued → assigned / reply).
    const waits: number[] = [];
    const replies: number[] = [];
    for (const who of [c.bob, c.carla]) {
      const conv = await Conversation.findById(who.conversationId()).lean();
      const queued = conv!.statusHistory.find((h) => h.status === 'queued')!.at;
      const assigned = conv!.statusHistory.find((h) => h.status === 'assigned')!.at;
      const reply = await Message.findOne({ conversationId: conv!._id, author: 'staff' }).lean();
      waits.push(Math.round((+assigned - +queued) / 1000));
      replies.push(Math.round((+reply!.createdAt - +queued) / 1000));
    }
    expect(s.medianQueueWaitSeconds).toBe((waits[0]! + waits[1]!) / 2);
    expect(s.medianFirstStaffReplySeconds).toBe((replies[0]! + replies[1]!) / 2);
    // By channel and language.
    expect(s.byChannel.telegram.conversations).toBe(3);
    expect(s.byChannel.telegram.messagesIn).toBe(14);
    expect(s.byChannel.whatsapp.conversations).toBe(2);
    expect(s.byChannel.whatsapp.escalationRate).toBeCloseTo(1 / 2);
    expect(s.byLanguage.es.conversations).toBe(3);
    expect(s.byLanguage.en.conversations).toBe(2);
    expect(s.byLanguage.en.fallbackRate).toBeCloseTo(2 / 5);
    expect(s.byLanguage.es.leads).toBe(1);
    // Intents: business_hours twice (bob, dan); each of the others once.
    expect(s.topIntents[0]).toEqual({ intent: 'business_hours', count: 2 });
    expect(s.topIntents.map((i: Json) => i.intent)).toEqual(
      expect.arrayContaining(['lead_interest', 'human_agent', 'open_case']),
    );
    expect(s.topIntents.reduce((n: number, i: Json) => n + i.count, 0)).toBe(5);
    // Unanswered: bob's two texts, each once.
    expect(s.topUnanswered.map((u: Json) => u.text).sort()).toEqual([
      'My grandmother knits very long scarves',
      'The purple elephant sings opera on Tuesdays',
    ]);
    // Filters.
    const wa1 = await summary('&channel=whatsapp&language=en');
    expect(wa1.conversations).toBe(1);
    expect(wa1.containmentRate).toBe(1);
    // The time series agrees, with empty days at 0 and rates null.
    const yesterday = dayOf(new Date(Date.now() - 86_400_000));
    const ts = await marketer.call(
      'GET',
      `/api/analytics/timeseries?metric=conversations&interval=day&from=${yesterday}&to=${today}`,
    );
    expect(ts.status).toBe(200);
    expect(ts.body.points).toEqual([
      { date: yesterday, value: 0 },
      { date: today, value: 5 },
    ]);
    const rate = await viewer.call(
      'GET',
      `/api/analytics/timeseries?metric=escalationRate&from=${yesterday}&to=${today}`,
    );
    expect(rate.body.points.map((p: Json) => p.value)).toEqual([null, 0.4]);
  });

  it('a turn replayed after a crash is counted once; running the job again changes nothing', async () => {
    const before = await summary();
    armed = true;
    await c.dan.say('What are your opening hours?'); // crashes after its state write, replayed
    expect(armed).toBe(false);
    await rollup();
    await rollup();
    const after = await summary();
    expect(after.messagesIn).toBe(before.messagesIn + 1);
    expect(after.conversations).toBe(before.conversations);
    expect(after.messagesOut).toBe(before.messagesOut + 1);
    expect(after.topIntents[0]).toEqual({ intent: 'business_hours', count: 3 });
  });

  it('an erasure leaves every total unchanged', async () => {
    const before = await summary();
    const cells = await AnalyticsDay.find({ month: today.slice(0, 7) }).lean();
    expect(JSON.stringify(cells)).not.toMatch(/Ana|ana\.garcia|612/);
    const contactId = c.ana.contactId();
    const res = await app.charla.server.inject({
      method: 'POST',
      url: `/api/contacts/${contactId}/erase`,
      headers: { ...app.admin, 'content-type': 'application/json' },
      payload: { confirm: contactId },
    });
    expect(res.statusCode).toBe(200);
    await app.charla.services.analytics!.runOnce({ settleMs: 0 });
    const { topUnanswered: a, ...restBefore } = before;
    const { topUnanswered: b, ...restAfter } = await summary();
    expect(restAfter).toEqual(restBefore);
    expect(b).toEqual(a);
  });

  it('refuses bad queries (400) and roles without access (403)', async () => {
    for (const q of [
      'from=2026-13-01',
      `from=${today}&to=2020-01-01`,
      'from=2020-01-01&to=2022-01-01',
      'channel=fax',
      'language=fr',
    ]) {
      const res = await viewer.call('GET', `/api/analytics/summary?${q}`);
      expect(res.status, q).toBe(400);
      expect(res.body.error.code).toBeDefined();
    }
    const bad = await viewer.call('GET', '/api/analytics/timeseries?metric=nope');
    expect(bad.status).toBe(400);
    expect((await agent.call('GET', '/api/analytics/summary')).status).toBe(403);
    const def = await viewer.call('GET', '/api/analytics/summary');
    expect(def.status).toBe(200);
    expect(def.body.to).toBe(today);
    expect(def.body.from).toBe(dayOf(new Date(Date.now() - 29 * 86_400_000)));
  });
});
