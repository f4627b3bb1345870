/**
 * Webhook events of a turn replayed after a crash (docs/ARCHITECTURE.md, crash consistency): the
 * lead, the case and the escalation of a turn that crashed after writing its CRM records or its
 * state, and was re-run by BullMQ, reach the receiver once each.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CrashPoint } from '../../../src/pipeline/engine/engine.js';
import { asAdminToken, call } from '../auth/staff-client.js';
import { customer, recordingAdapter } from '../../pipeline/engine/chat.js';
import { eventually, startTestApp, type TestApp } from '../../support/app.js';
import { startReceiver, type Receiver } from './receiver.js';

/** A lead capture by a new person (another email and phone each time: a new lead, not an update). */
const leadScript = (n: number) => [
  'Hola, me interesa contratar vuestro servicio para mi empresa',
  'Ana Réplica',
  `ana.replica${n}@ejemplo.com`,
  `+34 612 34 56 7${n}`,
  'Réplicas SL',
  'No', // marketing opt-in
  'Sí', // the summary: the lead is captured in this turn
];
const LEAD_TURN = 6;
const CASE_SCRIPT = [
  'Quiero abrir una incidencia',
  'La factura de octubre me ha llegado duplicada y me habéis cobrado dos veces',
  'lucia.replica@example.com',
];

describe('webhook events of replayed turns', () => {
  let app: TestApp;
  let receiver: Receiver;
  const rec = recordingAdapter('telegram');
  let armed: CrashPoint | undefined;
  const crashes: string[] = [];

  beforeAll(async () => {
    receiver = await startReceiver();
    app = await startTestApp(
      { WEBHOOK_ALLOW_HOSTS: '127.0.0.1' }, // the receiver's address
      {
        extraAdapters: [rec.adapter],
        webhookBackoffMs: 50,
        crashAt: (point) => {
          if (point !== armed) return;
          armed = undefined;
          crashes.push(point);
          throw new Error(`test crash at ${point}`);
        },
      },
    );
    const res = await call(app, 'POST', '/api/webhooks', {
      headers: asAdminToken,
      body: {
        url: `${receiver.url}/all`,
        events: ['lead.created', 'lead.updated', 'case.created', 'conversation.escalated'],
      },
    });
    expect(res.status).toBe(201);
  });
  afterAll(async () => {
    await app?.stop();
    await receiver?.close();
  });

  async function run(user: string, script: string[], point: CrashPoint, turn: number) {
    const who = customer(() => app, rec, user);
    for (const [i, line] of script.entries()) {
      if (i === turn) armed = point;
      await who.say(line);
    }
    expect(armed).toBeUndefined();
    return who.conversationId();
  }

  /** The events the receiver got about a conversation, once deliveries settled. */
  async function eventsOf(conversationId: string, expected: number): Promise<string[]> {
    const about = () =>
      receiver.received
        .map((r) => JSON.parse(r.body) as { event: string; data: Record<string, unknown> })
        .filter((b) => b.data.conversationId === conversationId || b.data.id === conversationId)
        .map((b) => b.event);
    await eventually(async () => about().length >= expected);
    await new Promise((r) => setTimeout(r, 500)); // a duplicate would arrive meanwhile
    return about();
  }

  for (const [n, point] of (['after-crm', 'after-state'] as const).entries()) {
    it(`a lead captured in a turn that crashed ${point} is announced once`, async () => {
      const before = crashes.length;
      const conversationId = await run(`lead-${point}`, leadScript(n), point, LEAD_TURN);
      expect(crashes.slice(before)).toEqual([point]);
      expect(await eventsOf(conversationId, 1)).toEqual(['lead.created']);
    });

    it(`a case opened in a turn that crashed ${point} is announced once`, async () => {
      const conversationId = await run(`case-${point}`, CASE_SCRIPT, point, 2);
      expect(await eventsOf(conversationId, 1)).toEqual(['case.created']);
    });
  }

  it('an escalation replayed after the escalation step is announced once', async () => {
    const conversationId = await run(
      'human',
      ['Quiero hablar con una persona'],
      'after-escalate',
      0,
    );
    expect(await eventsOf(conversationId, 1)).toEqual(['conversation.escalated']);
  });
});
