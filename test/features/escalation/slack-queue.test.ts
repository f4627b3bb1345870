/**
 * The human queue in Slack end to end: a real Charla (FerretDB, Redis, the real engine and web
 * chat) against a fake Slack Web API on 127.0.0.1, with signed events, actions and commands.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ChannelSendError,
  type ChannelAdapter,
} from '../../../src/kernel/contracts/channel-adapter.js';
import { Conversation } from '../../../src/kernel/db/models/conversation.js';
import { Case } from '../../../src/kernel/db/models/case.js';
import { Lead } from '../../../src/kernel/db/models/lead.js';
import { Message } from '../../../src/kernel/db/models/message.js';
import {
  sendSlackAction,
  sendSlackCommand,
  sendSlackEvent,
  type FakeSlackApi,
  type SlackCall,
} from '../../fakes/slack-api.js';
import { webchatClient, type MessageItem, type Session } from '../../channels/webchat/client.js';
import { eventually, type TestApp } from '../../support/app.js';
import { ESCALATION_CHANNEL, startSlackRig, type SlackRig } from './slack-rig.js';

const CHANNEL = ESCALATION_CHANNEL;
const ANA = { id: 'U_ANA', name: 'ana' };
const BOB = { id: 'U_BOB', name: 'bob' };
/** A Slack user whose Slack email is a Charla admin's. */
const CARMEN = { id: 'U_CARMEN', name: 'carmen' };
const CARMEN_EMAIL = 'carmen.admin@example.com';

type Block = { type: string; elements?: Array<{ action_id?: string; value?: string }> };
const buttons = (call: SlackCall) =>
  ((call.args.blocks as Block[] | undefined) ?? [])
    .filter((b) => b.type === 'actions')
    .flatMap((b) => b.elements ?? [])
    .map((e) => `${e.action_id}:${e.value}`);

/** A customer channel that refuses every message for good (e.g. the customer blocked the bot). */
const refusingTelegram: ChannelAdapter = {
  id: 'telegram',
  capabilities: { buttons: false, media: false, typing: false, maxTextLength: 4096 },
  mount: () => undefined,
  async send() {
    throw new ChannelSendError('403 bot was blocked by the user', { retryable: false });
  },
};

describe('escalations in Slack', () => {
  let slackApi: FakeSlackApi;
  let app: TestApp;
  let web: ReturnType<typeof webchatClient>;
  let rig: SlackRig;

  beforeAll(async () => {
    rig = await startSlackRig(
      { ESCALATION_SLA_MINUTES: '600' },
      { extraAdapters: [refusingTelegram] },
    );
    ({ slackApi, app, web } = rig);
    slackApi.users.set(ANA.id, { id: ANA.id, name: 'Ana' });
    slackApi.users.set(BOB.id, { id: BOB.id, name: 'Bob' });
    slackApi.users.set(CARMEN.id, { id: CARMEN.id, name: 'Carmen', email: CARMEN_EMAIL });
    const admin = await fetch(`${app.url}/api/users`, {
      method: 'POST',
      headers: { ...app.admin, 'content-type': 'application/json' },
      body: JSON.stringify({
        email: CARMEN_EMAIL,
        name: 'Carmen',
        role: 'admin',
        password: 'a-long-admin-password-1',
      }),
    });
    expect(admin.status).toBe(201);
  });
  afterAll(() => rig?.stop());

  const say = async (s: Session, text: string) => {
    const res = await web.post(s, { text });
    expect(res.status).toBeLessThan(300);
  };
  const visitorSees = (s: Session, match: (m: MessageItem) => boolean) =>
    eventually(async () => {
      const res = await web.list(s);
      return ((res.body as { messages: MessageItem[] }).messages ?? []).find(match);
    });
  const visitorMessages = async (s: Session): Promise<MessageItem[]> => {
    const res = await web.list(s);
    return (res.body as { messages: MessageItem[] }).messages ?? [];
  };
  /** The posted queue item of a conversation: its Slack call and ts. */
  const itemOf = (conversationId: string) =>
    eventually(async () => {
      const c = await Conversation.findById(conversationId).lean();
      if (!c?.escalation?.itemTs) return undefined;
      const call = slackApi
        .callsTo('chat.postMessage')
        .find(
          (x) =>
            x.args.channel === CHANNEL &&
            !x.args.thread_ts &&
            buttons(x).some((b) => b.endsWith(conversationId)),
        );
      return call ? { call, ts: c.escalation.itemTs } : undefined;
    });
  const threadPosts = (ts: string) =>
    slackApi.callsTo('chat.postMessage').filter((c) => c.args.thread_ts === ts);
  const click = (
    actionId: string,
    conversationId: string,
    user: { id: string; name: string },
    ts: string,
  ) =>
    sendSlackAction(app.url, {
      actionId,
      value: conversationId,
      user,
      channel: CHANNEL,
      messageTs: ts,
    });
  const reply = (user: string, ts: string, text: string) =>
    sendSlackEvent(app.url, {
      type: 'message',
      channel: CHANNEL,
      user,
      text,
      ts: `${Date.now() / 1000}`,
      thread_ts: ts,
      channel_type: 'channel',
    });
  const escalatedVisitor = async (locale: 'es' | 'en' = 'es') => {
    const s = await web.createSession(locale);
    await app.charla.services.escalator.escalate(s.conversationId, 'fallback');
    const item = await itemOf(s.conversationId);
    return { s, ...item };
  };

  it('a visitor asking for a person reaches the Slack queue as an item with Claim / Close', async () => {
    const s = await web.createSession('es');
    const conv = await Conversation.findById(s.conversationId).lean();
    await Lead.create({
      conversationId: conv!._id,
      contactId: conv!.contactId,
      email: 'marta@example.com',
      channel: 'webchat',
    });
    await Case.create({
      number: 'CS-990001',
      conversationId: conv!._id,
      contactId: conv!.contactId,
      subject: 'factura',
      channel: 'webchat',
    });
    await say(s, 'quiero hablar con una persona');
    const { call, ts } = await itemOf(s.conversationId);
    expect(call.token).toBe('xoxb-test-token');
    expect(buttons(call)).toEqual([
      `charla_claim:${s.conversationId}`,
      `charla_close:${s.conversationId}`,
    ]);
    const rendered = JSON.stringify(call.args.blocks);
    expect(rendered).toContain('webchat');
    expect(rendered).toContain('quiero hablar con una persona');
    expect(rendered).toContain('human_agent');
    expect(rendered).toContain('marta@example.com (new)');
    expect(rendered).toContain('CS-990001 (open)');
    const c = await Conversation.findById(s.conversationId).lean();
    expect(c?.status).toBe('queued');
    expect(c?.escalation?.reason).toBe('customer_request');
    expect(c?.escalation?.queuedAt).toBeInstanceOf(Date);
    expect(c?.escalation?.itemChannel).toBe(CHANNEL);
    expect(c?.statusHistory.map((h) => h.status)).toEqual(['bot', 'queued']);
    expect(ts).toBeTruthy();
  });

  it('round trip: claim, customer ⇄ thread, notes stay internal, close hands back to the bot', async () => {
    const s = await web.createSession('es');
    await say(s, 'quiero hablar con una persona');
    const { ts } = await itemOf(s.conversationId);

    // Claim
    const claim = await click('charla_claim', s.conversationId, ANA, ts);
    expect(claim.status).toBe(200);
    await eventually(
      async () => (await Conversation.findById(s.conversationId).lean())?.status === 'assigned',
    );
    const assigned = await Conversation.findById(s.conversationId).lean();
    expect(assigned?.assignee?.id).toBe(ANA.id);
    expect(assigned?.escalation?.assignedAt).toBeInstanceOf(Date);
    const update = await eventually(async () =>
      slackApi.callsTo('chat.update').find((c) => c.args.ts === ts),
    );
    expect(buttons(update)).toEqual([`charla_close:${s.conversationId}`]);
    await visitorSees(s, (m) => m.author === 'system' && m.text.includes('Ana'));

    // Customer → thread
    await say(s, '¿seguís ahí? tengo un problema con mi factura');
    const relayed = await eventually(async () =>
      threadPosts(ts).find((c) => String(c.args.text).includes('tengo un problema con mi factura')),
    );
    expect(relayed.args.channel).toBe(CHANNEL);

    // Staff → customer
    expect((await reply(ANA.id, ts, 'Hola, soy Ana. Lo miro ahora mismo.')).status).toBe(200);
    const fromStaff = await visitorSees(s, (m) => m.text === 'Hola, soy Ana. Lo miro ahora mismo.');
    expect(fromStaff.author).toBe('staff');
    const stored = await Message.findById(fromStaff.id).lean();
    expect(stored?.staff?.id).toBe(ANA.id);

    // Internal note: stored, never sent
    await reply(ANA.id, ts, 'note: cliente VIP, revisar descuento');
    const note = await eventually(async () =>
      Message.findOne({ conversationId: s.conversationId, internal: true }).lean(),
    );
    expect(note.text).toBe('cliente VIP, revisar descuento');
    expect(note.author).toBe('staff');

    // Someone else may not answer for the assignee
    await reply(BOB.id, ts, 'Soy Bob, ¿te ayudo?');
    const warned = await eventually(async () =>
      slackApi.callsTo('chat.postEphemeral').find((c) => c.args.user === BOB.id),
    );
    expect(String(warned.args.text)).toContain('Ana');

    // The customer is still waiting for Ana's next answer and never saw the note or Bob.
    const seen = await visitorMessages(s);
    expect(seen.some((m) => m.text.includes('VIP'))).toBe(false);
    expect(seen.some((m) => m.text.includes('Soy Bob'))).toBe(false);

    // Close
    await click('charla_close', s.conversationId, ANA, ts);
    await eventually(
      async () => (await Conversation.findById(s.conversationId).lean())?.status === 'bot',
    );
    const closed = await Conversation.findById(s.conversationId).lean();
    expect(closed?.escalation?.closedAt).toBeInstanceOf(Date);
    expect(closed?.statusHistory.map((h) => h.status)).toEqual([
      'bot',
      'queued',
      'assigned',
      'bot',
    ]);
    await visitorSees(s, (m) => m.text.startsWith('Te devolvemos al asistente'));
    await eventually(async () => {
      const last = slackApi
        .callsTo('chat.update')
        .filter((c) => c.args.ts === ts)
        .at(-1);
      return last && buttons(last).length === 0;
    });

    // The bot answers again: the next message is not relayed to the thread.
    const before = threadPosts(ts).length;
    await say(s, 'hola');
    await eventually(async () => {
      const msgs = await visitorMessages(s);
      const lastIn = msgs.filter((m) => m.direction === 'in').at(-1);
      const lastOut = msgs.filter((m) => m.direction === 'out').at(-1);
      return lastIn && lastOut && lastOut.createdAt >= lastIn.createdAt && lastOut.author === 'bot';
    });
    await new Promise((r) => setTimeout(r, 300));
    expect(
      threadPosts(ts)
        .slice(before)
        .some((c) => String(c.args.text).includes('hola')),
    ).toBe(false);
    expect(
      (
        await Message.findOne({
          conversationId: s.conversationId,
          direction: 'in',
          text: 'hola',
        }).lean()
      )?.status,
    ).toBe('processed');
  });

  it('close resumes the flow step the customer was in', async () => {
    const s = await web.createSession('es');
    await say(s, 'quiero contratar el servicio');
    await visitorSees(s, (m) => m.awaiting?.flow === 'lead_capture' && m.awaiting.slot === 'name');
    await say(s, 'quiero hablar con una persona');
    const { ts } = await itemOf(s.conversationId);
    await click('charla_close', s.conversationId, ANA, ts);
    await visitorSees(s, (m) => m.text.startsWith('Te devolvemos al asistente'));
    // The pending slot is asked again after the hand-back.
    await eventually(async () => {
      const msgs = await visitorMessages(s);
      const asks = msgs.filter(
        (m) => m.awaiting?.flow === 'lead_capture' && m.awaiting.slot === 'name',
      );
      return asks.length >= 2;
    });
    const c = await Conversation.findById(s.conversationId).lean();
    expect(c?.flow?.name).toBe('lead_capture');
  });

  it('two agents claiming at once: exactly one wins, the other is told who has it', async () => {
    const { s, ts } = await escalatedVisitor();
    const updatesBefore = slackApi.callsTo('chat.update').filter((c) => c.args.ts === ts).length;
    const results = await Promise.all([
      click('charla_claim', s.conversationId, ANA, ts),
      click('charla_claim', s.conversationId, BOB, ts),
    ]);
    expect(results.map((r) => r.status)).toEqual([200, 200]);
    const loserCall = await eventually(async () =>
      slackApi
        .callsTo('chat.postEphemeral')
        .find(
          (c) =>
            String(c.args.text).startsWith('Ya la atiende') &&
            [ANA.id, BOB.id].includes(String(c.args.user)),
        ),
    );
    const c = await Conversation.findById(s.conversationId).lean();
    expect(c?.status).toBe('assigned');
    const winner = c?.assignee?.id;
    expect([ANA.id, BOB.id]).toContain(winner);
    expect(loserCall.args.user).not.toBe(winner);
    expect(c?.statusHistory.filter((h) => h.status === 'assigned')).toHaveLength(1);
    await eventually(async () => threadPosts(ts).some((p) => String(p.args.text).includes('✋')));
    await new Promise((r) => setTimeout(r, 300));
    expect(threadPosts(ts).filter((p) => String(p.args.text).includes('✋'))).toHaveLength(1);
    expect(slackApi.callsTo('chat.update').filter((x) => x.args.ts === ts).length).toBe(
      updatesBefore + 1,
    );
  });

  it('a forged claim is rejected with 401 and changes nothing', async () => {
    const { s, ts } = await escalatedVisitor();
    const res = await sendSlackAction(
      app.url,
      {
        actionId: 'charla_claim',
        value: s.conversationId,
        user: ANA,
        channel: CHANNEL,
        messageTs: ts!,
      },
      { secret: 'wrong-secret' },
    );
    expect(res.status).toBe(401);
    const stale = await sendSlackAction(
      app.url,
      {
        actionId: 'charla_claim',
        value: s.conversationId,
        user: ANA,
        channel: CHANNEL,
        messageTs: ts!,
      },
      { timestamp: Math.floor(Date.now() / 1000) - 600 },
    );
    expect(stale.status).toBe(401);
    await new Promise((r) => setTimeout(r, 300));
    const c = await Conversation.findById(s.conversationId).lean();
    expect(c?.status).toBe('queued');
    expect(c?.assignee?.id).toBeUndefined();
    expect(slackApi.callsTo('chat.update').some((x) => x.args.ts === ts)).toBe(false);
  });

  it('a reply in the thread of an unclaimed item claims it for the replier and reaches the customer', async () => {
    const { s, ts } = await escalatedVisitor('en');
    await reply(BOB.id, ts!, 'Hi, Bob here. How can I help?');
    const seen = await visitorSees(s, (m) => m.text === 'Hi, Bob here. How can I help?');
    expect(seen.author).toBe('staff');
    const c = await Conversation.findById(s.conversationId).lean();
    expect(c?.status).toBe('assigned');
    expect(c?.assignee?.id).toBe(BOB.id);
  });

  it("a staff reply the customer's channel refuses is reported in the thread", async () => {
    const { ingest, escalator } = app.charla.services;
    const r = await ingest.ingest({
      channel: 'telegram',
      platformMessageId: 'tg-1',
      platformUserId: 'TG1',
      platformConversationId: 'TG1',
      text: 'hola',
    });
    await eventually(
      async () => (await Message.findById(r.messageId).lean())?.status === 'processed',
    );
    await escalator.escalate(r.conversationId, 'fallback');
    const { ts } = await itemOf(r.conversationId);
    await reply(ANA.id, ts, 'Hola desde Slack');
    const failed = await eventually(async () =>
      Message.findOne({
        conversationId: r.conversationId,
        author: 'staff',
        status: 'failed',
      }).lean(),
    );
    expect(failed.text).toBe('Hola desde Slack');
    await eventually(async () => threadPosts(ts).some((p) => String(p.args.text).includes('⚠️')));
  });

  it('only the assignee or a Slack user mapped to a Charla admin closes a claimed item; others are told why', async () => {
    const { s, ts } = await escalatedVisitor('en');
    await click('charla_claim', s.conversationId, ANA, ts!);
    await eventually(
      async () => (await Conversation.findById(s.conversationId).lean())?.status === 'assigned',
    );
    const refusalsTo = (user: string) =>
      slackApi
        .callsTo('chat.postEphemeral')
        .filter((c) => c.args.user === user && /administrador de Charla/.test(String(c.args.text)))
        .map((c) => String(c.args.text));

    // Bob: the Close button, `!close` in the thread and `/charla close` are all refused.
    expect((await click('charla_close', s.conversationId, BOB, ts!)).status).toBe(200);
    await eventually(async () => refusalsTo(BOB.id).length === 1);
    expect(refusalsTo(BOB.id)[0]).toContain('Ana');
    await reply(BOB.id, ts!, '!close');
    await eventually(async () => refusalsTo(BOB.id).length === 2);
    const command = await sendSlackCommand(app.url, {
      text: `close ${s.conversationId}`,
      userId: BOB.id,
      channel: CHANNEL,
    });
    expect((command.body as { text: string }).text).toMatch(/Ana.*administrador de Charla/);
    const still = await Conversation.findById(s.conversationId).lean();
    expect(still?.status).toBe('assigned');
    expect(still?.assignee?.id).toBe(ANA.id);

    // Carmen's Slack email is a Charla admin's: she may close it.
    await click('charla_close', s.conversationId, CARMEN, ts!);
    await eventually(
      async () => (await Conversation.findById(s.conversationId).lean())?.status === 'bot',
    );
    expect(refusalsTo(CARMEN.id)).toEqual([]);
  });

  it('!close in the thread closes the item; the customer is told in their language', async () => {
    const { s, ts } = await escalatedVisitor('en');
    await reply(ANA.id, ts!, '!close');
    await eventually(
      async () => (await Conversation.findById(s.conversationId).lean())?.status === 'bot',
    );
    await visitorSees(s, (m) => m.text.startsWith("You're back with the assistant"));
  });

  it('/charla queue lists waiting items, /charla lead shows a lead, /charla close closes by id', async () => {
    const { s } = await escalatedVisitor();
    const queue = await sendSlackCommand(app.url, {
      text: 'queue',
      userId: ANA.id,
      channel: CHANNEL,
    });
    expect(queue.status).toBe(200);
    expect(queue.body).toMatchObject({ response_type: 'ephemeral' });
    const queueText = (queue.body as { text: string }).text;
    expect(queueText).toContain(s.conversationId);
    expect(queueText).toMatch(/esperando/);

    await Lead.create({
      name: 'Lucía Pérez',
      email: 'lucia@example.com',
      company: 'Acme',
      channel: 'webchat',
      status: 'qualified',
    });
    const lead = await sendSlackCommand(app.url, {
      text: 'lead <mailto:lucia@example.com|lucia@example.com>',
      userId: ANA.id,
      channel: CHANNEL,
    });
    const leadText = (lead.body as { text: string }).text;
    expect(leadText).toContain('Lucía Pérez');
    expect(leadText).toContain('Acme');
    expect(leadText).toContain('qualified');
    const missing = await sendSlackCommand(app.url, {
      text: 'lead nobody@example.com',
      userId: ANA.id,
      channel: CHANNEL,
    });
    expect((missing.body as { text: string }).text).toContain('No hay ningún lead');

    const usage = await sendSlackCommand(app.url, {
      text: 'close',
      userId: ANA.id,
      channel: CHANNEL,
    });
    expect((usage.body as { text: string }).text).toContain('!close');
    const close = await sendSlackCommand(app.url, {
      text: `close ${s.conversationId}`,
      userId: ANA.id,
      channel: CHANNEL,
    });
    expect((close.body as { text: string }).text).toContain('Cerrada');
    expect((await Conversation.findById(s.conversationId).lean())?.status).toBe('bot');
    // A case number works as the reference too.
    const other = await escalatedVisitor();
    const otherConv = await Conversation.findById(other.s.conversationId).lean();
    await Case.create({
      number: 'CS-990002',
      conversationId: otherConv!._id,
      contactId: otherConv!.contactId,
      channel: 'webchat',
    });
    const byCase = await sendSlackCommand(app.url, {
      text: 'close cs-990002',
      userId: ANA.id,
      channel: CHANNEL,
    });
    expect((byCase.body as { text: string }).text).toContain('Cerrada');
    expect((await Conversation.findById(other.s.conversationId).lean())?.status).toBe('bot');
    const unknown = await sendSlackCommand(app.url, {
      text: 'close CS-000404',
      userId: ANA.id,
      channel: CHANNEL,
    });
    expect((unknown.body as { text: string }).text).toContain('Ninguna conversación');

    // Elsewhere in the workspace (where customers may be), /charla shows nothing.
    const outside = await sendSlackCommand(app.url, {
      text: 'lead lucia@example.com',
      userId: 'U_CUSTOMER',
      channel: 'D_SOMEONE',
    });
    expect((outside.body as { text: string }).text).toContain('solo funciona');
    expect((outside.body as { text: string }).text).not.toContain('Lucía');

    const after = await sendSlackCommand(app.url, {
      text: 'queue',
      userId: ANA.id,
      channel: CHANNEL,
    });
    expect((after.body as { text: string }).text).not.toContain(s.conversationId);
  });
});
