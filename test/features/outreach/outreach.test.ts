/**
 * Reply anywhere (issue 19.3) against a real Charla (FerretDB, Redis, web chat, WhatsApp Cloud on
 * a fake Graph API): an agent takes a conversation from the bot with a first message (the visitor
 * gets it; a flow the bot ran waits and resumes on close), others are refused; a contact is
 * written to on a channel whose rule allows it — WhatsApp only inside the 24-hour window, web
 * chat while the session is known — and refused with a code saying why otherwise. Audited.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuditEntry } from '../../../src/kernel/db/models/audit-entry.js';
import { Conversation } from '../../../src/kernel/db/models/conversation.js';
import { Message } from '../../../src/kernel/db/models/message.js';
import { closeConversation } from '../../../src/kernel/db/conversations.js';
import { webchatClient, type MessageItem, type Session } from '../../channels/webchat/client.js';
import { WebchatSession } from '../../../channels/webchat/session.model.js';
import {
  postWebhook,
  startFakeGraph,
  whatsappWebhook,
  type FakeGraph,
} from '../../fakes/whatsapp-graph.js';
import { staffWithRole, type Staff } from '../auth/staff-client.js';
import { eventually, startTestApp, type TestApp } from '../../support/app.js';

type Json = any; // eslint-disable-line @typescript-eslint/no-explicit-any
const TOKEN = 'graph-token-outreach';
const PHONE_ID = '5550001';
const SECRET = 'app-secret-outreach';

describe('reply anywhere', () => {
  let app: TestApp;
  let graph: FakeGraph;
  let web: ReturnType<typeof webchatClient>;
  let agent: Staff;
  let other: Staff;
  let viewer: Staff;
  let marketer: Staff;

  beforeAll(async () => {
    graph = await startFakeGraph({ token: TOKEN, phoneId: PHONE_ID });
    app = await startTestApp({
      WHATSAPP_CLOUD_TOKEN: TOKEN,
      WHATSAPP_CLOUD_PHONE_ID: PHONE_ID,
      WHATSAPP_APP_SECRET: SECRET,
      WHATSAPP_VERIFY_TOKEN: 'verify-outreach',
      WHATSAPP_GRAPH_URL: graph.url,
    });
    web = webchatClient(app.url);
    [agent, other, viewer, marketer] = await Promise.all([
      staffWithRole(app, 'agent'),
      staffWithRole(app, 'agent'),
      staffWithRole(app, 'viewer'),
      staffWithRole(app, 'marketer'),
    ]);
  });
  afterAll(async () => {
    await app?.stop();
    await graph?.close();
  });

  const visitorSees = (s: Session, match: (m: MessageItem) => boolean) =>
    eventually(async () =>
      ((await web.list(s)).body as { messages: MessageItem[] }).messages.find(match),
    );
  const contactOf = async (conversationId: string) =>
    String((await Conversation.findById(conversationId).lean())!.contactId);

  it('takes a bot-held conversation over with a first message; the bot resumes its flow on close', async () => {
    const s = await web.createSession('es');
    // The visitor is in the middle of the lead form: the bot asked for their name.
    expect(
      (await web.post(s, { text: 'Hola, me interesa vuestro producto, ¿me contactáis?' })).status,
    ).toBe(202);
    await eventually(
      async () => (await Conversation.findById(s.conversationId).lean())?.flow?.slot,
    );
    const flowBefore = (await Conversation.findById(s.conversationId).lean())!.flow!;

    const res = await agent.call('POST', `/api/conversations/${s.conversationId}/take-over`, {
      text: 'Hola, soy Ana del equipo comercial. ¿En qué te ayudo?',
    });
    expect(res.status).toBe(200);
    expect(res.body.from).toBe('bot');
    expect(res.body.conversation).toMatchObject({
      status: 'assigned',
      assignee: { id: `user:${agent.user.id}`, name: agent.user.name },
    });
    expect(res.body.message.text).toContain('soy Ana');
    await visitorSees(s, (m) => m.text.includes('soy Ana'));

    const stored = (await Conversation.findById(s.conversationId).lean())!;
    expect(stored.flow).toBeNull();
    expect(stored.suspendedFlow).toMatchObject({ name: flowBefore.name, slot: flowBefore.slot });
    expect(stored.statusHistory.at(-1)).toMatchObject({
      status: 'assigned',
      reason: 'agent',
      by: `user:${agent.user.id}`,
    });
    const audit = await AuditEntry.findOne({
      action: 'conversation.take_over',
      targetId: s.conversationId,
    }).lean();
    expect(audit?.details).toMatchObject({ from: 'bot', channel: 'webchat' });

    // Now it is theirs: the customer's messages go to staff, not the bot.
    expect((await web.post(s, { text: 'Me llamo Lucía' })).status).toBe(202);
    await eventually(async () =>
      (await Conversation.findById(s.conversationId).lean())?.lastMessageText?.includes('Lucía'),
    );
    expect((await Conversation.findById(s.conversationId).lean())!.status).toBe('assigned');

    // Taking it again is a no-op that still sends; another agent is refused.
    const again = await agent.call('POST', `/api/conversations/${s.conversationId}/take-over`, {
      text: 'Un momento, por favor.',
    });
    expect(again.status).toBe(200);
    expect(again.body.from).toBe('yours');
    const theirs = await other.call('POST', `/api/conversations/${s.conversationId}/take-over`);
    expect(theirs.status).toBe(409);
    expect(theirs.body.error.code).toBe('already_assigned');

    // Close: the bot takes the conversation back and asks the flow's question again.
    expect((await agent.call('POST', `/api/conversations/${s.conversationId}/close`)).status).toBe(
      200,
    );
    const resumed = await eventually(async () => {
      const c = await Conversation.findById(s.conversationId).lean();
      return c?.status === 'bot' && c.flow?.slot ? c : undefined;
    });
    expect(resumed.flow).toMatchObject({ name: flowBefore.name, slot: flowBefore.slot });
  });

  it('refuses roles, bad input and unknown conversations', async () => {
    const s = await web.createSession('en');
    const path = `/api/conversations/${s.conversationId}/take-over`;
    expect((await viewer.call('POST', path)).status).toBe(403);
    expect((await marketer.call('POST', path)).status).toBe(403);
    expect((await agent.call('POST', path, { text: '   ' })).status).toBe(400);
    expect((await agent.call('POST', path, { text: 'x'.repeat(4001) })).status).toBe(400);
    expect((await agent.call('POST', path, { text: 'hi', extra: 1 })).status).toBe(400);
    const unknown = await agent.call(
      'POST',
      '/api/conversations/0123456789abcdef01234567/take-over',
    );
    expect(unknown.status).toBe(404);
    expect((await agent.call('POST', '/api/conversations/nope/take-over')).status).toBe(404);
    expect((await Conversation.findById(s.conversationId).lean())!.status).toBe('bot');
    // Without a text it only takes the conversation (the customer is told someone joined).
    const bare = await agent.call('POST', path);
    expect(bare.status).toBe(200);
    expect(bare.body.message).toBeNull();
    expect(bare.body.conversation.status).toBe('assigned');
  });

  it('writes on WhatsApp only inside the 24-hour window, and says why not outside it', async () => {
    const from = '34611222333';
    const hello = whatsappWebhook({
      phoneId: PHONE_ID,
      from,
      messages: [{ id: 'wamid.outreach-1', type: 'text', text: { body: 'hola' } }],
    });
    expect((await postWebhook(app.url, hello, SECRET)).status).toBe(200);
    const c = await eventually(async () => {
      const found = await Conversation.findOne({
        channel: 'whatsapp',
        platformUserId: from,
      }).lean();
      return found?.lastMessageAt ? found : undefined;
    });
    const contactId = String(c.contactId);
    const reach = await agent.call('GET', `/api/contacts/${contactId}/reach`);
    expect(reach.status).toBe(200);
    const wa = (reach.body.channels as Json[]).find((ch) => ch.channel === 'whatsapp');
    expect(wa).toMatchObject({ reachable: true, refusal: null, conversationId: String(c._id) });
    expect(Date.parse(wa.windowEndsAt)).toBe(new Date(c.lastMessageAt!).getTime() + 86_400_000);

    // 25 hours later: refused with the reason, nothing sent, nothing changed.
    await Conversation.updateOne(
      { _id: c._id },
      { $set: { lastMessageAt: new Date(Date.now() - 25 * 3_600_000) } },
    );
    const sentBefore = graph.delivered(from).length;
    const late = await agent.call('POST', `/api/contacts/${contactId}/conversations`, {
      channel: 'whatsapp',
      text: 'Hola de nuevo',
    });
    expect(late.status).toBe(409);
    expect(late.body.error.code).toBe('outside_window');
    expect(late.body.error.message).toMatch(/24 hours/);
    const lateTake = await agent.call('POST', `/api/conversations/${String(c._id)}/take-over`, {
      text: 'Hola',
    });
    expect(lateTake.status).toBe(409);
    expect(lateTake.body.error.code).toBe('outside_window');
    expect((await Conversation.findById(c._id).lean())!.status).toBe('bot');
    const lateReach = await agent.call('GET', `/api/contacts/${contactId}/reach`);
    expect((lateReach.body.channels as Json[])[0]).toMatchObject({
      reachable: false,
      refusal: { code: 'outside_window' },
    });

    // Inside the window: sent through Graph, the conversation is the agent's.
    await Conversation.updateOne(
      { _id: c._id },
      { $set: { lastMessageAt: new Date(Date.now() - 23 * 3_600_000) } },
    );
    const ok = await agent.call('POST', `/api/contacts/${contactId}/conversations`, {
      channel: 'whatsapp',
      text: '¿Sigues interesado en la oferta?',
    });
    expect(ok.status).toBe(201);
    expect(ok.body.conversation).toMatchObject({ id: String(c._id), status: 'assigned' });
    await eventually(async () =>
      graph
        .delivered(from)
        .slice(sentBefore)
        .some((r) => JSON.stringify(r.body).includes('Sigues interesado')),
    );
    const audit = await AuditEntry.findOne({
      action: 'conversation.start',
      targetId: String(c._id),
    });
    expect(audit).not.toBeNull();
  });

  it('refuses the assignee’s console reply with the channel’s reason instead of a failed send', async () => {
    const from = '34611999888';
    const hello = whatsappWebhook({
      phoneId: PHONE_ID,
      from,
      messages: [{ id: 'wamid.reply-rule-1', type: 'text', text: { body: 'hola' } }],
    });
    expect((await postWebhook(app.url, hello, SECRET)).status).toBe(200);
    const c = await eventually(async () => {
      const found = await Conversation.findOne({
        channel: 'whatsapp',
        platformUserId: from,
      }).lean();
      return found?.lastMessageAt ? found : undefined;
    });
    const id = String(c._id);
    expect((await agent.call('POST', `/api/conversations/${id}/take-over`)).status).toBe(200);
    const inside = await agent.call('POST', `/api/conversations/${id}/reply`, { text: 'Dime' });
    expect(inside.status).toBe(201);
    await eventually(async () =>
      graph.delivered(from).some((r) => JSON.stringify(r.body).includes('Dime')),
    );

    // 25 hours after the customer's last message: a 409 saying why; nothing stored or sent.
    await Conversation.updateOne(
      { _id: c._id },
      { $set: { lastMessageAt: new Date(Date.now() - 25 * 3_600_000) } },
    );
    const storedBefore = await Message.countDocuments({ conversationId: c._id });
    const sentBefore = graph.requests.length;
    const late = await agent.call('POST', `/api/conversations/${id}/reply`, {
      text: '¿Sigues ahí?',
    });
    expect(late.status).toBe(409);
    expect(late.body.error.code).toBe('outside_window');
    expect(late.body.error.message).toMatch(/24 hours/);
    expect(await Message.countDocuments({ conversationId: c._id })).toBe(storedBefore);
    expect(graph.requests.length).toBe(sentBefore);
    expect(await AuditEntry.countDocuments({ action: 'conversation.reply', targetId: id })).toBe(1);
    // A staff note is not a send: still allowed.
    expect(
      (await agent.call('POST', `/api/conversations/${id}/note`, { text: 'Fuera de plazo' }))
        .status,
    ).toBe(201);

    // Web chat: once the visitor's session is gone the reply is refused too.
    const s = await web.createSession('en');
    expect(
      (await agent.call('POST', `/api/conversations/${s.conversationId}/take-over`)).status,
    ).toBe(200);
    await WebchatSession.deleteOne({ _id: s.sessionId });
    const gone = await agent.call('POST', `/api/conversations/${s.conversationId}/reply`, {
      text: 'hello?',
    });
    expect(gone.status).toBe(409);
    expect(gone.body.error.code).toBe('session_gone');
  });

  it('opens a closed web chat conversation again while the session is known, not after', async () => {
    const s = await web.createSession('en');
    const contactId = await contactOf(s.conversationId);
    await closeConversation((await Conversation.findById(s.conversationId).lean())!._id);
    const res = await agent.call('POST', `/api/contacts/${contactId}/conversations`, {
      channel: 'webchat',
      text: 'Following up on your question',
    });
    expect(res.status).toBe(201);
    expect(res.body.conversation.id).not.toBe(s.conversationId);
    expect(res.body.conversation.status).toBe('assigned');
    await visitorSees(s, (m) => m.text === 'Following up on your question');

    // Channels the contact never used, or that are not connected, or a session gone: refused.
    const telegram = await agent.call('POST', `/api/contacts/${contactId}/conversations`, {
      channel: 'telegram',
      text: 'hi',
    });
    expect(telegram.status).toBe(409);
    expect(telegram.body.error.code).toBe('no_conversation_on_channel');
    await Conversation.create({
      contactId,
      channel: 'twitter',
      platformConversationId: `x-${s.sessionId}`,
      platformUserId: 'x-user',
      status: 'bot',
    });
    await WebchatSession.deleteOne({ _id: s.sessionId });
    const reach = await agent.call('GET', `/api/contacts/${contactId}/reach`);
    const byChannel = Object.fromEntries(
      (reach.body.channels as Json[]).map((ch) => [ch.channel, ch.refusal?.code ?? 'ok']),
    );
    expect(byChannel).toEqual({ twitter: 'channel_off', webchat: 'session_gone' });
    const gone = await other.call('POST', `/api/contacts/${contactId}/conversations`, {
      channel: 'webchat',
      text: 'hello?',
    });
    expect(gone.status).toBe(409);
    expect(gone.body.error.code).toBe('session_gone');

    expect((await agent.call('GET', '/api/contacts/0123456789abcdef01234567/reach')).status).toBe(
      404,
    );
    expect((await viewer.call('GET', `/api/contacts/${contactId}/reach`)).status).toBe(403);
    const badChannel = await agent.call('POST', `/api/contacts/${contactId}/conversations`, {
      channel: 'fax',
      text: 'hi',
    });
    expect(badChannel.status).toBe(400);
  });
});
