/**
 * Without Slack, escalations still queue (bot → queued → assigned → bot, with timestamps) and
 * are listed by GET /api/escalations; admins can escalate a conversation themselves.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Conversation } from '../../../src/kernel/db/models/conversation.js';
import { webchatClient, type MessageItem } from '../../channels/webchat/client.js';
import { eventually, startTestApp, type TestApp } from '../../support/app.js';

describe('human queue without Slack', () => {
  let app: TestApp;
  let web: ReturnType<typeof webchatClient>;

  beforeAll(async () => {
    app = await startTestApp();
    web = webchatClient(app.url);
  });
  afterAll(async () => app?.stop());

  const api = async (method: string, path: string, headers: Record<string, string> = app.admin) => {
    const res = await fetch(`${app.url}${path}`, { method, headers });
    return { status: res.status, body: (await res.json()) as any }; // eslint-disable-line @typescript-eslint/no-explicit-any
  };

  it('queues an escalation and lists it with its wait', async () => {
    expect(app.charla.services.slack).toBeUndefined();
    const s = await web.createSession('es');
    await web.post(s, { text: 'quiero hablar con una persona' });
    await eventually(
      async () => (await Conversation.findById(s.conversationId).lean())?.status === 'queued',
    );

    const res = await api('GET', '/api/escalations');
    expect(res.status).toBe(200);
    const item = res.body.items.find(
      (i: { conversationId: string }) => i.conversationId === s.conversationId,
    );
    expect(item).toMatchObject({
      status: 'queued',
      channel: 'webchat',
      reason: 'customer_request',
      assignee: null,
      assignedAt: null,
    });
    expect(typeof item.waitingSeconds).toBe('number');
    expect(new Date(item.queuedAt).getTime()).toBeLessThanOrEqual(Date.now());
    expect(res.body.total).toBeGreaterThanOrEqual(1);
  });

  it('records bot → queued → assigned → bot with timestamps and filters by status', async () => {
    const s = await web.createSession('en');
    const { escalator } = app.charla.services;
    await escalator.escalate(s.conversationId, 'fallback');
    expect((await escalator.claim(s.conversationId, { id: 'U1', name: 'Ana' })).outcome).toBe(
      'claimed',
    );
    expect(await escalator.claim(s.conversationId, { id: 'U2', name: 'Bob' })).toEqual({
      outcome: 'already_assigned',
      assignee: { id: 'U1', name: 'Ana' },
    });

    const assigned = await api('GET', '/api/escalations?status=assigned');
    const item = assigned.body.items.find(
      (i: { conversationId: string }) => i.conversationId === s.conversationId,
    );
    expect(item).toMatchObject({ status: 'assigned', assignee: { id: 'U1', name: 'Ana' } });
    expect(item.waitingSeconds).toBeGreaterThanOrEqual(0);
    const queuedOnly = await api('GET', '/api/escalations?status=queued');
    expect(
      queuedOnly.body.items.some(
        (i: { conversationId: string }) => i.conversationId === s.conversationId,
      ),
    ).toBe(false);

    expect(await escalator.close(s.conversationId, { id: 'U1', name: 'Ana' })).toBe(true);
    expect(await escalator.close(s.conversationId, { id: 'U1', name: 'Ana' })).toBe(false);
    const c = await Conversation.findById(s.conversationId).lean();
    expect(c?.statusHistory.map((h) => h.status)).toEqual(['bot', 'queued', 'assigned', 'bot']);
    const esc = c!.escalation!;
    expect(esc.queuedAt!.getTime()).toBeLessThanOrEqual(esc.assignedAt!.getTime());
    expect(esc.assignedAt!.getTime()).toBeLessThanOrEqual(esc.closedAt!.getTime());
    const listed = await api('GET', '/api/escalations');
    expect(
      listed.body.items.some(
        (i: { conversationId: string }) => i.conversationId === s.conversationId,
      ),
    ).toBe(false);
    // The customer was told both times, in English.
    const seen = ((await web.list(s)).body as { messages: MessageItem[] }).messages.map(
      (m) => m.text,
    );
    expect(seen).toContain('Ana from our team has joined the conversation.');
    expect(seen).toContain("You're back with the assistant. How else can I help?");
  });

  it('lets an admin escalate a conversation', async () => {
    const s = await web.createSession('es');
    const res = await api('POST', `/api/conversations/${s.conversationId}/escalate`);
    expect(res.status).toBe(202);
    expect(res.body).toMatchObject({
      conversationId: s.conversationId,
      status: 'queued',
      reason: 'admin',
    });
    await eventually(async () =>
      ((await web.list(s)).body as { messages: MessageItem[] }).messages.find((m) =>
        m.text.startsWith('Te pasamos con una persona'),
      ),
    );
    const again = await api('POST', `/api/conversations/${s.conversationId}/escalate`);
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('not_with_bot');
  });

  it('rejects bad requests with clear errors and changes nothing', async () => {
    expect((await api('GET', '/api/escalations', {})).status).toBe(401);
    const bad = await api('GET', '/api/escalations?status=closed');
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('invalid_request');
    expect(bad.body.error.details[0].path).toBe('status');
    expect((await api('GET', '/api/escalations?limit=0')).status).toBe(400);
    expect((await api('POST', '/api/conversations/nope/escalate')).status).toBe(404);
    expect((await api('POST', '/api/conversations/0123456789abcdef01234567/escalate')).status).toBe(
      404,
    );
    const s = await web.createSession('es');
    const unauth = await api('POST', `/api/conversations/${s.conversationId}/escalate`, {});
    expect(unauth.status).toBe(401);
    expect((await Conversation.findById(s.conversationId).lean())?.status).toBe('bot');
  });
});
