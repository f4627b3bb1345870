/**
 * One agent's own capacity (issue 19.5), against the real app (FerretDB, Redis, web chat): an
 * admin sets it (agents may not; bad values and non-agents refused; audited), the round-robin
 * gives that agent no more open conversations than it while a colleague fills up to the
 * install's capacity, and clearing it puts the install's capacity back.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuditEntry } from '../../../src/kernel/db/models/audit-entry.js';
import { Conversation } from '../../../src/kernel/db/models/conversation.js';
import { webchatClient, type Session } from '../../channels/webchat/client.js';
import { asAdminToken, call, staffWithRole, type Staff } from '../auth/staff-client.js';
import { startTestApp, type TestApp } from '../../support/app.js';

type Json = any; // eslint-disable-line @typescript-eslint/no-explicit-any

describe('assignment: per-agent capacity', () => {
  let app: TestApp;
  let web: ReturnType<typeof webchatClient>;
  let ana: Staff;
  let bea: Staff;
  let viewer: Staff;
  const admin = (method: string, path: string, body?: unknown) =>
    call(app, method, path, { body, headers: asAdminToken });
  const capacityOf = (s: Staff) => `/api/assignment/agents/${s.user.id}/capacity`;
  const staffId = (s: Staff) => `user:${s.user.id}`;

  beforeAll(async () => {
    app = await startTestApp({}, { assignmentIntervalMs: 3_600_000 });
    web = webchatClient(app.url);
    [ana, bea, viewer] = await Promise.all([
      staffWithRole(app, 'agent'),
      staffWithRole(app, 'agent'),
      staffWithRole(app, 'viewer'),
    ]);
  });
  afterAll(() => app?.stop());

  const escalated = async (): Promise<Session> => {
    const s = await web.createSession('es');
    await app.charla.services.escalator.escalate(s.conversationId, 'customer_request');
    return s;
  };
  const settle = () => app.charla.services.assignment.idle();
  const openOf = async (s: Staff) =>
    Conversation.countDocuments({ status: 'assigned', 'assignee.id': staffId(s) });

  it('is set by admins only, validated and audited', async () => {
    expect((await ana.call('PUT', capacityOf(ana), { capacity: 9 })).status).toBe(403);
    for (const capacity of [-1, 101, 1.5, '2']) {
      expect((await admin('PUT', capacityOf(ana), { capacity })).status).toBe(400);
    }
    expect((await admin('PUT', capacityOf(ana), {})).status).toBe(400);
    // Not someone who can be assigned conversations, or nobody at all.
    expect((await admin('PUT', capacityOf(viewer), { capacity: 1 })).status).toBe(404);
    expect(
      (await admin('PUT', `/api/assignment/agents/${'a'.repeat(24)}/capacity`, { capacity: 1 }))
        .status,
    ).toBe(404);

    const set = await admin('PUT', capacityOf(ana), { capacity: 1 });
    expect(set.status).toBe(200);
    expect(set.body).toMatchObject({ id: staffId(ana), capacity: 1, presence: 'away' });
    const agents = (await viewer.call('GET', '/api/assignment/agents')).body as Json;
    const byId = Object.fromEntries((agents.items as Json[]).map((a) => [a.id, a.capacity]));
    expect(byId[staffId(ana)]).toBe(1);
    expect(byId[staffId(bea)]).toBeNull();
    const audit = await AuditEntry.findOne({
      action: 'assignment.agent_capacity',
      targetId: ana.user.id,
    }).lean();
    expect(audit).toMatchObject({ before: { capacity: null }, after: { capacity: 1 } });
  });

  it('round-robin gives an agent no more than their own capacity, the install’s when cleared', async () => {
    expect((await admin('PUT', '/api/assignment/settings', { capacity: 3 })).status).toBe(200);
    expect((await admin('PUT', capacityOf(ana), { capacity: 1 })).status).toBe(200);
    for (const s of [ana, bea]) {
      expect(
        (await s.call('PUT', '/api/assignment/presence', { status: 'available' })).status,
      ).toBe(200);
    }
    // Setting the capacity kept ana's presence: she is available, and takes one only.
    const waiting = [];
    for (let i = 0; i < 5; i++) waiting.push(await escalated());
    await settle();
    expect(await openOf(ana)).toBe(1);
    expect(await openOf(bea)).toBe(3);
    const still = await Conversation.find({
      _id: { $in: waiting.map((s) => s.conversationId) },
      status: 'queued',
    }).lean();
    expect(still).toHaveLength(1);

    // Cleared: the install's 3 applies to ana again, and the waiting one is hers.
    const cleared = await admin('PUT', capacityOf(ana), { capacity: null });
    expect(cleared.status).toBe(200);
    expect(cleared.body.capacity).toBeNull();
    await settle();
    expect(await openOf(ana)).toBe(2);
    expect((await Conversation.findById(still[0]!._id).lean())?.assignee?.id).toBe(staffId(ana));

    // 0: never given conversations automatically, while others still are.
    expect((await admin('PUT', capacityOf(ana), { capacity: 0 })).status).toBe(200);
    expect((await admin('PUT', capacityOf(bea), { capacity: 4 })).status).toBe(200);
    const next = [await escalated(), await escalated()];
    await settle();
    const states = await Promise.all(
      next.map(async (s) => (await Conversation.findById(s.conversationId).lean())?.assignee?.id),
    );
    expect(states.filter((a) => a === staffId(bea))).toHaveLength(1);
    expect(states.filter((a) => a === staffId(ana))).toHaveLength(0);
    expect(await openOf(ana)).toBe(2);
  });
});
