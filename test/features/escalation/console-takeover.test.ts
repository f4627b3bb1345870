/**
 * Taking a conversation over from the console, with the Slack staff queue running beside it
 * (real Charla, FerretDB, Redis, web chat; fake Slack Web API on 127.0.0.1): a console claim
 * re-renders the Slack item with the agent's name and a Slack claim shows in the console; a
 * console reply reaches the visitor's web chat; notes stay internal; closing hands back to the
 * bot. One claimer wins; the wrong agent, role or text is refused; every action is audited.
 */
import { WebSocket } from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuditEntry } from '../../../src/kernel/db/models/audit-entry.js';
import { Conversation } from '../../../src/kernel/db/models/conversation.js';
import { Message } from '../../../src/kernel/db/models/message.js';
import { type MessageItem, type Session } from '../../channels/webchat/client.js';
import { asAdminToken, call, staffWithRole, type Staff } from '../auth/staff-client.js';
import { sendSlackAction, type SlackCall } from '../../fakes/slack-api.js';
import { eventually } from '../../support/app.js';
import { ESCALATION_CHANNEL, startSlackRig, type SlackRig } from './slack-rig.js';

type Json = any; // eslint-disable-line @typescript-eslint/no-explicit-any
type Block = { type: string; elements?: Array<{ action_id?: string; value?: string }> };
const SLACK_ANA = { id: 'U_ANA', name: 'ana' };

const buttons = (c: SlackCall) =>
  ((c.args.blocks as Block[] | undefined) ?? [])
    .filter((b) => b.type === 'actions')
    .flatMap((b) => b.elements ?? [])
    .map((e) => e.action_id);

describe('console take-over, in step with Slack', () => {
  let rig: SlackRig;
  let agent: Staff;
  let otherAgent: Staff;
  let marketer: Staff;
  let viewer: Staff;

  beforeAll(async () => {
    rig = await startSlackRig({ ESCALATION_SLA_MINUTES: '600' });
    rig.slackApi.users.set(SLACK_ANA.id, { id: SLACK_ANA.id, name: 'Ana' });
    [agent, otherAgent, marketer, viewer] = await Promise.all([
      staffWithRole(rig.app, 'agent'),
      staffWithRole(rig.app, 'agent'),
      staffWithRole(rig.app, 'marketer'),
      staffWithRole(rig.app, 'viewer'),
    ]);
  });
  afterAll(() => rig?.stop());

  const visitorMessages = async (s: Session): Promise<MessageItem[]> =>
    ((await rig.web.list(s)).body as { messages: MessageItem[] }).messages ?? [];
  const visitorSees = (s: Session, match: (m: MessageItem) => boolean) =>
    eventually(async () => (await visitorMessages(s)).find(match));
  /** A web chat visitor whose conversation is queued, with its Slack item posted. */
  const queuedVisitor = async () => {
    const s = await rig.web.createSession('es');
    await rig.app.charla.services.escalator.escalate(s.conversationId, 'customer_request');
    const ts = await eventually(
      async () => (await Conversation.findById(s.conversationId).lean())?.escalation?.itemTs,
    );
    return { s, id: s.conversationId, ts };
  };
  const lastUpdateOf = (ts: string) =>
    rig.slackApi
      .callsTo('chat.update')
      .filter((c) => c.args.ts === ts)
      .at(-1);
  const threadText = (ts: string) =>
    rig.slackApi
      .callsTo('chat.postMessage')
      .filter((c) => c.args.thread_ts === ts)
      .map((c) => String(c.args.text))
      .join('\n');
  const act = (who: Staff, id: string, action: string, body?: unknown) =>
    who.call('POST', `/api/conversations/${id}/${action}`, body);
  /** The console's live stream as a signed-in member of staff sees it. */
  const stream = async (who: Staff) => {
    const socket = new WebSocket(`${rig.app.url.replace('http', 'ws')}/api/stream`, {
      headers: { cookie: who.cookie },
    });
    const events: Json[] = [];
    socket.on('message', (raw) => events.push(JSON.parse(String(raw))));
    await eventually(async () => events.some((e) => e.type === 'hello'));
    const updates = (id: string) =>
      events.filter((e) => e.type === 'conversation.updated' && e.id === id);
    return { socket, events, updates };
  };

  it('claim, reply, note and close from the console; Slack and the visitor follow', async () => {
    const live = await stream(viewer);
    const { s, id, ts } = await queuedVisitor();

    const claimed = await act(agent, id, 'claim');
    expect(claimed.status).toBe(200);
    expect(claimed.body).toMatchObject({
      id,
      status: 'assigned',
      assignee: { id: `user:${agent.user.id}`, name: agent.user.name },
    });
    // Slack: the item is re-rendered as claimed by the console user (named, not a broken mention)
    // and the thread says who claimed it.
    const update = await eventually(async () => {
      const last = lastUpdateOf(ts);
      return last && !buttons(last).includes('charla_claim') ? last : undefined;
    });
    expect(buttons(update)).toEqual(['charla_close']);
    expect(JSON.stringify(update.args.blocks)).toContain(agent.user.name);
    expect(JSON.stringify(update.args.blocks)).not.toContain('<@user:');
    await eventually(async () => threadText(ts).includes(agent.user.name));
    // The visitor is told a person joined, by name.
    await visitorSees(s, (m) => m.author === 'system' && m.text.includes(agent.user.name));

    const replied = await act(agent, id, 'reply', { text: '  Hola, soy yo. ¿En qué te ayudo?  ' });
    expect(replied.status).toBe(201);
    expect(replied.body.message).toMatchObject({
      conversationId: id,
      direction: 'out',
      author: 'staff',
      text: 'Hola, soy yo. ¿En qué te ayudo?',
      staff: { id: `user:${agent.user.id}`, name: agent.user.name },
    });
    const delivered = await visitorSees(s, (m) => m.text === 'Hola, soy yo. ¿En qué te ayudo?');
    expect(delivered.author).toBe('staff');

    const noted = await act(agent, id, 'note', { text: 'cliente VIP' });
    expect(noted.status).toBe(201);
    expect(noted.body.message).toMatchObject({
      internal: true,
      author: 'staff',
      text: 'cliente VIP',
    });
    // Slack's thread shows the console's reply and note, named, so it stays the whole story.
    await eventually(async () => {
      const thread = threadText(ts);
      return (
        thread.includes(`*${agent.user.name}* (consola): Hola, soy yo. ¿En qué te ayudo?`) &&
        thread.includes(`*${agent.user.name}* (consola, nota interna): cliente VIP`)
      );
    });
    const detail = await agent.call('GET', `/api/conversations/${id}`);
    expect(
      (detail.body.messages as Json[]).some((m) => m.internal && m.text === 'cliente VIP'),
    ).toBe(true);

    const closed = await act(agent, id, 'close');
    expect(closed.status).toBe(200);
    expect(closed.body).toMatchObject({ id, status: 'bot', assignee: null });
    await visitorSees(s, (m) => m.text.startsWith('Te devolvemos al asistente'));
    await eventually(async () => {
      const last = lastUpdateOf(ts);
      return last && buttons(last).length === 0;
    });
    expect((await visitorMessages(s)).some((m) => m.text.includes('VIP'))).toBe(false);
    expect((await act(agent, id, 'close')).body.error.code).toBe('not_escalated');

    // Every console watching saw each transition and the staff reply, as they happened.
    await eventually(async () => live.updates(id).length === 3);
    expect(live.updates(id).map((e) => [e.change, e.status])).toEqual([
      ['queued', 'queued'],
      ['claimed', 'assigned'],
      ['closed', 'bot'],
    ]);
    expect(live.updates(id)[1].assignee).toEqual({
      id: `user:${agent.user.id}`,
      name: agent.user.name,
    });
    const staffMessages = live.events.filter(
      (e) => e.type === 'message.created' && e.conversationId === id && e.author === 'staff',
    );
    expect(staffMessages.map((e) => [e.preview, e.internal])).toEqual([
      ['Hola, soy yo. ¿En qué te ayudo?', false],
      ['cliente VIP', true],
    ]);
    live.socket.close();

    // Every action is in the audit log, by the console user, with before/after of the status.
    const audit = await AuditEntry.find({ targetType: 'Conversation', targetId: id })
      .sort({ createdAt: 1 })
      .lean();
    expect(audit.map((a) => a.action)).toEqual([
      'conversation.claim',
      'conversation.reply',
      'conversation.note',
      'conversation.close',
    ]);
    expect(new Set(audit.map((a) => a.actor))).toEqual(new Set([`user:${agent.user.id}`]));
    expect(audit[0]!.before).toMatchObject({ status: 'queued' });
    expect(audit[0]!.after).toMatchObject({ status: 'assigned' });
    expect(audit[3]!.after).toMatchObject({ status: 'bot' });
    // The reply's text (personal data) is not copied into the audit log.
    expect(JSON.stringify(audit)).not.toContain('En qué te ayudo');
  });

  it('a claim in Slack shows in the console, and console agents cannot answer for Ana', async () => {
    const live = await stream(agent);
    const { id, ts } = await queuedVisitor();
    const res = await sendSlackAction(rig.app.url, {
      actionId: 'charla_claim',
      value: id,
      user: SLACK_ANA,
      channel: ESCALATION_CHANNEL,
      messageTs: ts,
    });
    expect(res.status).toBe(200);
    const seen = await eventually(async () => {
      const r = await agent.call('GET', `/api/conversations?status=assigned`);
      return (r.body.items as Json[]).find((i) => i.id === id);
    });
    expect(seen.assignee).toEqual({ id: SLACK_ANA.id, name: 'Ana' });
    const pushed = await eventually(async () =>
      live.updates(id).find((e) => e.change === 'claimed'),
    );
    expect(pushed).toMatchObject({
      status: 'assigned',
      assignee: { id: SLACK_ANA.id, name: 'Ana' },
    });
    live.socket.close();
    const claim = await act(agent, id, 'claim');
    expect(claim.status).toBe(409);
    expect(claim.body.error).toMatchObject({ code: 'already_assigned' });
    expect(claim.body.error.message).toContain('Ana');
    const reply = await act(agent, id, 'reply', { text: 'hola' });
    expect(reply.status).toBe(409);
    expect(reply.body.error.code).toBe('not_assignee');
    expect(await Message.countDocuments({ conversationId: id, author: 'staff' })).toBe(0);
  });

  it('of two agents claiming at once exactly one wins', async () => {
    const { id } = await queuedVisitor();
    const results = await Promise.all([act(agent, id, 'claim'), act(otherAgent, id, 'claim')]);
    expect(results.map((r) => r.status).sort()).toEqual([200, 409]);
    const winner = results.find((r) => r.status === 200)!;
    const stored = await Conversation.findById(id).lean();
    expect(stored?.assignee?.id).toBe(winner.body.assignee.id);
    expect(stored?.statusHistory.filter((h) => h.status === 'assigned')).toHaveLength(1);
    // The loser may not answer the customer.
    const loser = winner.body.assignee.id === `user:${agent.user.id}` ? otherAgent : agent;
    expect((await act(loser, id, 'reply', { text: 'hola' })).status).toBe(409);
  });

  it('refuses empty or too long texts with 400 and changes nothing', async () => {
    const { id } = await queuedVisitor();
    expect((await act(agent, id, 'claim')).status).toBe(200);
    for (const body of [
      { text: '' },
      { text: '   ' },
      { text: 'x'.repeat(4001) },
      {},
      { text: 7 },
    ]) {
      for (const action of ['reply', 'note']) {
        const res = await act(agent, id, action, body);
        expect(res.status, `${action} ${JSON.stringify(body).slice(0, 30)}`).toBe(400);
        expect(res.body.error.code).toBe('invalid_request');
      }
    }
    expect(await Message.countDocuments({ conversationId: id, author: 'staff' })).toBe(0);
    expect(
      await AuditEntry.countDocuments({
        targetId: id,
        action: { $in: ['conversation.reply', 'conversation.note'] },
      }),
    ).toBe(0);
  });

  it('claiming a conversation the bot has is 409 not_escalated; unknown is 404', async () => {
    const s = await rig.web.createSession('en');
    const res = await act(agent, s.conversationId, 'claim');
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe('not_escalated');
    expect((await act(agent, 'a'.repeat(24), 'claim')).status).toBe(404);
    expect((await act(agent, 'nope', 'close')).status).toBe(404);
    expect((await act(agent, s.conversationId, 'reply', { text: 'hi' })).body.error.code).toBe(
      'not_assignee',
    );
  });

  it('only agents and admins act: marketers and viewers get 403, nobody signed in 401, no CSRF 403', async () => {
    const { id } = await queuedVisitor();
    for (const who of [marketer, viewer]) {
      for (const [action, body] of [
        ['claim', undefined],
        ['reply', { text: 'hola' }],
        ['close', undefined],
        ['note', { text: 'nota' }],
      ] as const) {
        const res = await act(who, id, action, body);
        expect(res.status, `${who.user.role} ${action}`).toBe(403);
        expect(res.body.error.code).toBe('forbidden');
      }
    }
    expect((await call(rig.app, 'POST', `/api/conversations/${id}/claim`)).status).toBe(401);
    const noCsrf = await agent.call('POST', `/api/conversations/${id}/claim`, undefined, {
      csrf: false,
    });
    expect(noCsrf.status).toBe(403);
    expect((await Conversation.findById(id).lean())?.status).toBe('queued');
    // The admin token may act (automation); the customer is told "Admin" joined.
    const admin = await call(rig.app, 'POST', `/api/conversations/${id}/claim`, {
      headers: asAdminToken,
    });
    expect(admin.status).toBe(200);
    expect(admin.body.assignee).toEqual({ id: 'admin-token', name: 'Admin' });
  });
  it('only the assignee or an admin closes a claimed conversation (403 claimed_by_other)', async () => {
    const { id } = await queuedVisitor();
    expect((await act(agent, id, 'claim')).status).toBe(200);
    const refused = await act(otherAgent, id, 'close');
    expect(refused.status).toBe(403);
    expect(refused.body.error).toMatchObject({ code: 'claimed_by_other' });
    expect(refused.body.error.message).toContain(agent.user.name);
    const still = await Conversation.findById(id).lean();
    expect(still).toMatchObject({ status: 'assigned', assignee: { id: `user:${agent.user.id}` } });
    // An admin may close anyone's, and it is audited as the admin's close.
    const byAdmin = await call(rig.app, 'POST', `/api/conversations/${id}/close`, {
      headers: asAdminToken,
    });
    expect(byAdmin.status).toBe(200);
    expect(byAdmin.body).toMatchObject({ status: 'bot' });
    const audit = await AuditEntry.find({ targetId: id, action: 'conversation.close' }).lean();
    expect(audit).toHaveLength(1);
    // A queued (unclaimed) conversation: any agent may hand it back.
    const queued = await queuedVisitor();
    expect((await act(otherAgent, queued.id, 'close')).status).toBe(200);
  });
});
