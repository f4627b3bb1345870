/**
 * The agent report (issue 19.9) over seeded conversations with known timings: conversations
 * handled (counted for whoever held the conversation when it went back to the bot, so a
 * reassigned one counts for the colleague who closed it), the median time to the first staff
 * reply (notes do not count; an episode without a reply is left out), the median time to
 * resolution, CSAT from the cases assigned to each agent, and the team's figures as its members'
 * together; only episodes that ended in the range. The CSV carries the same rows; roles enforced.
 */
import { Types } from 'mongoose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Case } from '../../../src/kernel/db/models/case.js';
import { Conversation } from '../../../src/kernel/db/models/conversation.js';
import { Message } from '../../../src/kernel/db/models/message.js';
import { asAdminToken, call, staffWithRole, type Json, type Staff } from '../auth/staff-client.js';
import { startTestApp, type TestApp } from '../../support/app.js';

const DAY = '2026-03-10';
const at = (hms: string, day = DAY) => new Date(`${day}T${hms}Z`);

describe('agent report', () => {
  let app: TestApp;
  let ana: Staff;
  let bea: Staff;
  let agentOnly: Staff;
  let viewer: Staff;
  let anaId: string;
  let beaId: string;
  let n = 0;

  type Step = [status: string, time: Date, by?: string, to?: string];
  /** A conversation with this status history; replies: [time, internal?]. */
  const seed = async (history: Step[], replies: Array<[Date, boolean?]> = []) => {
    const _id = new Types.ObjectId();
    const contactId = new Types.ObjectId();
    n += 1;
    await Conversation.collection.insertOne({
      _id,
      contactId,
      channel: 'webchat',
      platformConversationId: `report-${n}`,
      platformUserId: `visitor-${n}`,
      status: history.at(-1)![0],
      statusHistory: history.map(([status, time, by, to]) => ({
        status,
        at: time,
        ...(by ? { by } : {}),
        ...(to ? { to } : {}),
      })),
      createdAt: history[0]![1],
      updatedAt: history.at(-1)![1],
    });
    if (replies.length === 0) return;
    await Message.collection.insertMany(
      replies.map(([time, internal], i) => ({
        conversationId: _id,
        contactId,
        channel: 'webchat',
        direction: 'out',
        author: 'staff',
        text: 'reply',
        status: internal ? 'processed' : 'sent',
        ...(internal ? { internal: true } : {}),
        dedupeKey: `report-${n}-${i}`,
        createdAt: time,
        updatedAt: time,
      })),
    );
  };
  const rate = (userId: string, rating: number, time: Date) =>
    Case.collection.insertOne({
      number: `CS-9${String((n += 1)).padStart(5, '0')}`,
      contactId: new Types.ObjectId(),
      assignee: { id: userId, name: 'x' },
      csat: { rating, at: time },
      createdAt: time,
      updatedAt: time,
    });

  beforeAll(async () => {
    app = await startTestApp({}, { assignmentIntervalMs: 3_600_000 });
    [ana, bea, agentOnly, viewer] = await Promise.all([
      staffWithRole(app, 'agent'),
      staffWithRole(app, 'agent'),
      staffWithRole(app, 'agent'),
      staffWithRole(app, 'viewer'),
    ]);
    anaId = `user:${ana.user.id}`;
    beaId = `user:${bea.user.id}`;
    const team = await call(app, 'POST', '/api/teams', {
      body: { name: 'Ventas', members: [ana.user.id, bea.user.id] },
      headers: asAdminToken,
    });
    expect(team.status).toBe(201);

    // Ana: first responses 60, 120, 180 s; resolutions 600, 1800, 1200 s.
    await seed(
      [
        ['queued', at('10:00:00')],
        ['assigned', at('10:00:30'), anaId],
        ['bot', at('10:10:00'), anaId],
      ],
      [[at('10:01:00')]],
    );
    await seed(
      [
        ['queued', at('11:00:00')],
        ['assigned', at('11:00:10'), anaId],
        ['bot', at('11:30:00'), anaId],
      ],
      [[at('11:00:20'), true], [at('11:02:00')], [at('11:05:00')]],
    );
    await seed(
      [
        ['queued', at('12:00:00')],
        ['assigned', at('12:00:05'), 'auto', anaId],
        ['bot', at('12:20:00'), anaId],
      ],
      [[at('12:03:00')]],
    );
    // Bea: a conversation Ana answered first (40 s) and passed on, closed by Bea (2700 s) …
    await seed(
      [
        ['queued', at('09:00:00')],
        ['assigned', at('09:00:05'), 'auto', anaId],
        ['assigned', at('09:05:00'), anaId, beaId],
        ['bot', at('09:45:00'), beaId],
      ],
      [[at('09:00:40')]],
    );
    // … and one closed without a reply (600 s; no first response).
    await seed([
      ['queued', at('13:00:00')],
      ['assigned', at('13:00:30'), beaId],
      ['bot', at('13:10:00'), beaId],
    ]);
    // Not counted: ended the day before; still open; an earlier episode of the day before.
    await seed(
      [
        ['queued', at('10:00:00', '2026-03-09')],
        ['assigned', at('10:00:01', '2026-03-09'), anaId],
        ['bot', at('10:30:00', '2026-03-09'), anaId],
      ],
      [[at('10:00:02', '2026-03-09')]],
    );
    await seed([
      ['queued', at('14:00:00')],
      ['assigned', at('14:00:01'), beaId],
    ]);
    await rate(ana.user.id, 5, at('15:00:00'));
    await rate(ana.user.id, 4, at('16:00:00'));
    await rate(bea.user.id, 2, at('16:30:00'));
    await rate(ana.user.id, 1, at('16:00:00', '2026-03-09'));
  });
  afterAll(() => app?.stop());

  it('computes handled, median first response, median resolution and CSAT per agent and team', async () => {
    const res = await viewer.call('GET', `/api/analytics/agents?from=${DAY}&to=${DAY}`);
    expect(res.status).toBe(200);
    const byName = new Map((res.body.agents as Json[]).map((r) => [r.name, r]));
    expect(byName.get(ana.user.name)).toEqual({
      kind: 'agent',
      id: anaId,
      name: ana.user.name,
      handled: 3,
      medianFirstResponseSeconds: 120,
      medianResolutionSeconds: 1200,
      csatAverage: 4.5,
      csatResponses: 2,
    });
    expect(byName.get(bea.user.name)).toMatchObject({
      handled: 2,
      medianFirstResponseSeconds: 40,
      medianResolutionSeconds: 1650,
      csatAverage: 2,
      csatResponses: 1,
    });
    expect(res.body.teams).toEqual([
      {
        kind: 'team',
        id: expect.any(String),
        name: 'Ventas',
        handled: 5,
        medianFirstResponseSeconds: 90,
        medianResolutionSeconds: 1200,
        csatAverage: 3.67,
        csatResponses: 3,
      },
    ]);
    // The day before holds only Ana's earlier episode.
    const before = await viewer.call('GET', '/api/analytics/agents?from=2026-03-09&to=2026-03-09');
    expect(before.body.agents).toEqual([
      expect.objectContaining({ name: ana.user.name, handled: 1, medianFirstResponseSeconds: 2 }),
    ]);
  });

  it('downloads the same rows as CSV, headers in the asked language', async () => {
    const res = await fetch(`${app.url}/api/analytics/agents.csv?from=${DAY}&to=${DAY}`, {
      headers: { ...asAdminToken, 'accept-language': 'es' },
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/csv');
    const lines = (await res.text())
      .replace(/^\uFEFF/, '')
      .trim()
      .split('\r\n');
    expect(lines[0]).toBe(
      'tipo,nombre,conversaciones atendidas,mediana primera respuesta (s),mediana resolución (s),CSAT medio,respuestas CSAT',
    );
    expect(lines).toContain(`agente,${ana.user.name},3,120,1200,4.5,2`);
    expect(lines).toContain(`agente,${bea.user.name},2,40,1650,2,1`);
    expect(lines).toContain('equipo,Ventas,5,90,1200,3.67,3');
  });

  it('is for analytics readers only, and refuses bad ranges', async () => {
    expect((await agentOnly.call('GET', '/api/analytics/agents')).status).toBe(403);
    expect((await agentOnly.call('GET', '/api/analytics/agents.csv')).status).toBe(403);
    const inverted = await viewer.call(
      'GET',
      '/api/analytics/agents?from=2026-03-10&to=2026-03-01',
    );
    expect(inverted.status).toBe(400);
    expect((await viewer.call('GET', '/api/analytics/agents?from=yesterday')).status).toBe(400);
  });
});
