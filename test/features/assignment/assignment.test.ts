/**
 * Assignment against the real app (FerretDB, Redis, web chat): teams managed by admins only and
 * audited; presence set by the agent; routing (flow → team, language → team) applied when a
 * conversation is escalated; round-robin among available team members under the capacity, away
 * agents skipped; reassigning to a colleague (agent: only their own or a waiting one) and to a
 * team; the "team" view filter and counts; the assignee shown in lists.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { AuditEntry } from '../../../src/kernel/db/models/audit-entry.js';
import { Conversation } from '../../../src/kernel/db/models/conversation.js';
import { Message } from '../../../src/kernel/db/models/message.js';
import { webchatClient, type Session } from '../../channels/webchat/client.js';
import { asAdminToken, call, staffWithRole, type Staff } from '../auth/staff-client.js';
import { eventually, startTestApp, type TestApp } from '../../support/app.js';

type Json = any; // eslint-disable-line @typescript-eslint/no-explicit-any

describe('assignment', () => {
  let app: TestApp;
  let web: ReturnType<typeof webchatClient>;
  let ana: Staff;
  let bea: Staff;
  let carl: Staff;
  let viewer: Staff;
  const admin = (method: string, path: string, body?: unknown) =>
    call(app, method, path, { body, headers: asAdminToken });
  const staffId = (s: Staff) => `user:${s.user.id}`;

  beforeAll(async () => {
    app = await startTestApp({}, { assignmentIntervalMs: 3_600_000 });
    web = webchatClient(app.url);
    [ana, bea, carl, viewer] = await Promise.all([
      staffWithRole(app, 'agent'),
      staffWithRole(app, 'agent'),
      staffWithRole(app, 'agent'),
      staffWithRole(app, 'viewer'),
    ]);
  });
  afterAll(() => app?.stop());

  /** A web chat visitor escalated to humans (as the engine would: under the lock). */
  const escalated = async (locale: 'es' | 'en', flow?: string): Promise<Session> => {
    const s = await web.createSession(locale);
    await Conversation.updateOne(
      { _id: s.conversationId },
      { $set: { locale, ...(flow ? { flow: { name: flow, slots: {} } } : {}) } },
    );
    await app.charla.services.escalator.escalate(s.conversationId, 'customer_request');
    return s;
  };
  const settle = () => app.charla.services.assignment.idle();
  const conv = (s: Session) => Conversation.findById(s.conversationId).lean();

  it('lets only admins manage teams, validates them and audits every change', async () => {
    const body = { name: 'Ventas', members: [ana.user.id, bea.user.id], languages: ['es'] };
    expect((await ana.call('POST', '/api/teams', body)).status).toBe(403);
    expect((await admin('POST', '/api/teams', { ...body, members: ['0'.repeat(24)] })).status).toBe(
      400,
    );
    expect((await admin('POST', '/api/teams', { ...body, members: [viewer.user.id] })).status).toBe(
      400,
    );
    expect((await admin('POST', '/api/teams', { name: '' })).body.error.code).toBe(
      'invalid_request',
    );
    const created = await admin('POST', '/api/teams', body);
    expect(created.status).toBe(201);
    expect(created.body.members.map((m: Json) => m.name).sort()).toEqual(
      [ana.user.name, bea.user.name].sort(),
    );
    expect((await admin('POST', '/api/teams', { ...body, name: 'ventas' })).status).toBe(409);
    const support = await admin('POST', '/api/teams', {
      name: 'Soporte',
      members: [carl.user.id],
      flows: ['support_case'],
      languages: ['en'],
    });
    expect(support.status).toBe(201);
    const list = await viewer.call('GET', '/api/teams');
    expect(list.status).toBe(200);
    expect(list.body.items.map((t: Json) => t.name)).toEqual(['Soporte', 'Ventas']);
    const renamed = await admin('PUT', `/api/teams/${support.body.id}`, {
      ...support.body,
      members: [carl.user.id],
      name: 'Support',
    });
    expect(renamed.status).toBe(200);
    expect(renamed.body.name).toBe('Support');
    const audits = await AuditEntry.find({ action: /^team\./ }).lean();
    expect(audits.map((a) => a.action).sort()).toEqual([
      'team.create',
      'team.create',
      'team.update',
    ]);
    const scratch = await admin('POST', '/api/teams', { name: 'Temporal' });
    expect((await bea.call('DELETE', `/api/teams/${scratch.body.id}`)).status).toBe(403);
    expect((await admin('DELETE', `/api/teams/${scratch.body.id}`)).status).toBe(204);
    expect((await admin('DELETE', `/api/teams/${scratch.body.id}`)).status).toBe(404);
  });

  it('sets presence for oneself only, shown to colleagues, audited', async () => {
    expect(
      (await viewer.call('PUT', '/api/assignment/presence', { status: 'available' })).status,
    ).toBe(403);
    expect((await admin('PUT', '/api/assignment/presence', { status: 'available' })).status).toBe(
      400,
    );
    expect((await ana.call('PUT', '/api/assignment/presence', { status: 'busy' })).status).toBe(
      400,
    );
    const set = await ana.call('PUT', '/api/assignment/presence', { status: 'available' });
    expect(set.status).toBe(200);
    expect(set.body).toMatchObject({ id: staffId(ana), presence: 'available', open: 0 });
    const seen = await bea.call('GET', '/api/assignment/agents');
    const byId = new Map((seen.body.items as Json[]).map((a) => [a.id, a]));
    expect(byId.get(staffId(ana))?.presence).toBe('available');
    expect(byId.get(staffId(bea))?.presence).toBe('away');
    expect(byId.get(staffId(ana))?.teams.map((t: Json) => t.name)).toEqual(['Ventas']);
    expect(seen.body.me.id).toBe(staffId(bea));
    expect(await AuditEntry.countDocuments({ action: 'staff.presence' })).toBe(1);
  });

  it('pushes a presence change to colleagues over the live stream (staff id, no name)', async () => {
    const socket = new WebSocket(`${app.url.replace('http', 'ws')}/api/stream`, {
      headers: { cookie: bea.cookie },
    });
    const events: Json[] = [];
    socket.on('message', (raw) => events.push(JSON.parse(String(raw))));
    try {
      await eventually(async () => events.some((e) => e.type === 'hello'));
      expect(
        (await carl.call('PUT', '/api/assignment/presence', { status: 'available' })).status,
      ).toBe(200);
      const seen = await eventually(async () => events.find((e) => e.type === 'staff.presence'));
      expect(seen).toMatchObject({ staffId: staffId(carl), presence: 'available' });
      expect(JSON.stringify(seen)).not.toContain(carl.user.name);
      expect((await carl.call('PUT', '/api/assignment/presence', { status: 'away' })).status).toBe(
        200,
      );
      await eventually(async () =>
        events.some((e) => e.type === 'staff.presence' && e.presence === 'away'),
      );
      // A refused change tells nobody.
      const before = events.length;
      expect(
        (await viewer.call('PUT', '/api/assignment/presence', { status: 'available' })).status,
      ).toBe(403);
      expect((await carl.call('PUT', '/api/assignment/presence', { status: 'busy' })).status).toBe(
        400,
      );
      expect((await carl.call('PUT', '/api/assignment/presence', { status: 'away' })).status).toBe(
        200,
      );
      await eventually(async () => events.length > before);
      expect(events.slice(before).map((e) => e.presence)).toEqual(['away']);
    } finally {
      socket.close();
    }
  });

  it('routes by flow, then language, and assigns round-robin under the capacity, never to the away', async () => {
    expect((await ana.call('PUT', '/api/assignment/settings', { capacity: 2 })).status).toBe(403);
    expect((await admin('PUT', '/api/assignment/settings', { capacity: 0 })).status).toBe(400);
    expect((await admin('PUT', '/api/assignment/settings', { capacity: 2 })).status).toBe(200);
    await bea.call('PUT', '/api/assignment/presence', { status: 'available' });
    // carl (Support) stays away: a support conversation waits.
    const supportCase = await escalated('es', 'support_case');
    const spanish = [await escalated('es'), await escalated('es'), await escalated('es')];
    await settle();
    const waiting = await conv(supportCase);
    expect(waiting?.status).toBe('queued');
    expect(waiting?.team?.name).toBe('Support');
    const assignees = await Promise.all(spanish.map(async (s) => (await conv(s))?.assignee?.id));
    // Round-robin: ana, bea, then ana again (each under the capacity of 2).
    expect(assignees.slice(0, 2).sort()).toEqual([staffId(ana), staffId(bea)].sort());
    expect(assignees[2]).toBe(assignees[0]);
    for (const s of spanish) expect((await conv(s))?.team?.name).toBe('Ventas');
    // A fourth and fifth: one more place (the other agent's), then the capacity is full.
    const more = [await escalated('es'), await escalated('es')];
    await settle();
    const states = await Promise.all(more.map(async (s) => (await conv(s))?.status));
    expect(states).toEqual(['assigned', 'queued']);
    const agents = await ana.call('GET', '/api/assignment/agents');
    for (const a of agents.body.items as Json[]) expect(a.open).toBeLessThanOrEqual(2);
    // Carl becomes available: the support conversation is his.
    await carl.call('PUT', '/api/assignment/presence', { status: 'available' });
    await settle();
    expect((await conv(supportCase))?.assignee?.id).toBe(staffId(carl));
    const history = (await conv(supportCase))!.statusHistory.at(-1);
    expect(history).toMatchObject({ status: 'assigned', by: 'auto', to: staffId(carl) });
    // The team view and its counts.
    const teams = (await viewer.call('GET', '/api/teams')).body.items as Json[];
    const ventas = teams.find((t) => t.name === 'Ventas')!;
    const list = await viewer.call('GET', `/api/conversations?team=${ventas.id}`);
    expect(list.body.total).toBe(5);
    expect(list.body.items.every((i: Json) => i.team?.name === 'Ventas')).toBe(true);
    const views = await ana.call('GET', '/api/conversations/views');
    expect(views.body.teams[ventas.id]).toBe(5);
  });

  it('reassigns to a colleague: agents only their own or waiting ones, admins any; audited', async () => {
    const mine = (await ana.call('GET', '/api/conversations?view=mine')).body.items[0] as Json;
    expect(mine).toBeDefined();
    const to = (s: Staff) => ({ to: { kind: 'user', id: s.user.id } });
    expect(
      (await viewer.call('POST', `/api/conversations/${mine.id}/assign`, to(bea))).status,
    ).toBe(403);
    expect(
      (await bea.call('POST', `/api/conversations/${mine.id}/assign`, to(carl))).body.error.code,
    ).toBe('claimed_by_other');
    expect(
      (await ana.call('POST', `/api/conversations/${mine.id}/assign`, to(viewer))).status,
    ).toBe(400);
    expect(
      (await ana.call('POST', `/api/conversations/${mine.id}/assign`, { to: { kind: 'team' } }))
        .status,
    ).toBe(400);
    const passed = await ana.call('POST', `/api/conversations/${mine.id}/assign`, to(carl));
    expect(passed.status).toBe(200);
    expect(passed.body.assignee).toEqual({ id: staffId(carl), name: carl.user.name });
    const carlsMine = await carl.call('GET', '/api/conversations?view=mine');
    expect(carlsMine.body.items.map((i: Json) => i.id)).toContain(mine.id);
    const audit = await AuditEntry.findOne({
      action: 'conversation.assign',
      targetId: mine.id,
    }).lean();
    expect(audit?.before).toMatchObject({ assignee: staffId(ana) });
    expect(audit?.after).toMatchObject({ assignee: staffId(carl), status: 'assigned' });
    // The customer is told who joined.
    const told = await eventually(() =>
      Message.findOne({
        conversationId: mine.id,
        author: 'system',
        text: new RegExp(carl.user.name),
      }).lean(),
    );
    expect(told.direction).toBe('out');
    // An admin may take it from anyone.
    const back = await admin('POST', `/api/conversations/${mine.id}/assign`, to(ana));
    expect(back.status).toBe(200);
    expect(back.body.assignee.id).toBe(staffId(ana));
  });

  it('hands a conversation to a team: back in its queue, then assigned among its members', async () => {
    const teams = (await viewer.call('GET', '/api/teams')).body.items as Json[];
    const support = teams.find((t) => t.name === 'Support')!;
    const mine = (await bea.call('GET', '/api/conversations?view=mine')).body.items[0] as Json;
    const handed = await bea.call('POST', `/api/conversations/${mine.id}/assign`, {
      to: { kind: 'team', id: support.id },
    });
    expect(handed.status).toBe(200);
    expect(handed.body.team).toEqual({ id: support.id, name: 'Support' });
    await settle();
    const after = await Conversation.findById(mine.id).lean();
    expect(after?.assignee?.id).toBe(staffId(carl));
    expect(after?.team?.name).toBe('Support');
    const unknown = await bea.call('POST', `/api/conversations/${mine.id}/assign`, {
      to: { kind: 'team', id: 'f'.repeat(24) },
    });
    expect(unknown.status).toBe(404);
  });

  it('refuses conversations the bot holds, and unknown ones', async () => {
    const s = await web.createSession('es');
    const res = await ana.call('POST', `/api/conversations/${s.conversationId}/assign`, {
      to: { kind: 'user', id: bea.user.id },
    });
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe('not_escalated');
    const none = await ana.call('POST', `/api/conversations/${'a'.repeat(24)}/assign`, {
      to: { kind: 'user', id: bea.user.id },
    });
    expect(none.status).toBe(404);
  });
});
