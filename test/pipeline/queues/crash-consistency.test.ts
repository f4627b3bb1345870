/**
 * Crash consistency (issue 12.1): a turn interrupted at any named point and replayed by BullMQ
 * ends with the same leads, cases and flow state as an uninterrupted one, and each reply reaches
 * the customer exactly once, in order. The crash is an exception thrown by the `crashAt` hook
 * inside the real worker (real FerretDB, real Redis); the job's retry is the replay.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CrashPoint } from '../../../src/pipeline/engine/engine.js';
import type { DeliveryCrashPoint } from '../../../src/pipeline/queues/turn-delivery.js';
import { AuditEntry } from '../../../src/kernel/db/models/audit-entry.js';
import { Case } from '../../../src/kernel/db/models/case.js';
import { ConsentRecord } from '../../../src/kernel/db/models/consent-record.js';
import { Conversation } from '../../../src/kernel/db/models/conversation.js';
import { Lead } from '../../../src/kernel/db/models/lead.js';
import { Message } from '../../../src/kernel/db/models/message.js';
import { customer, recordingAdapter } from '../engine/chat.js';
import { startTestApp, type TestApp } from '../../support/app.js';

type Point = CrashPoint | DeliveryCrashPoint;

/** A lead capture with an FAQ mid-flow (a two-reply turn: the answer, then the slot again). */
const LEAD_SCRIPT = [
  'Hola, me interesa contratar vuestro servicio para mi empresa',
  'Ana García',
  '¿Cuál es vuestro horario?',
  'ana@ejemplo.com',
  '+34 612 34 56 78',
  'Precios Bajos SL',
  'No', // marketing opt-in
  'Sí',
];
const FAQ_TURN = 2;
const LAST_TURN = LEAD_SCRIPT.length - 1;

describe('a turn replayed after a crash at any point', () => {
  let app: TestApp;
  const rec = recordingAdapter('telegram');
  let armed: Point | undefined;
  const crashes: Point[] = [];

  beforeAll(async () => {
    app = await startTestApp(
      {},
      {
        extraAdapters: [rec.adapter],
        crashAt: (point) => {
          if (point !== armed) return;
          armed = undefined;
          crashes.push(point);
          throw new Error(`test crash at ${point}`);
        },
      },
    );
  });
  afterAll(async () => app?.stop());

  /** Runs the script for a new customer, crashing once at `point` in turn `turn`. */
  async function run(user: string, script: string[], crash?: { point: Point; turn: number }) {
    const who = customer(() => app, rec, user);
    const texts: string[][] = [];
    for (const [i, line] of script.entries()) {
      if (crash?.turn === i) armed = crash.point;
      texts.push((await who.say(line)).map((r) => r.text));
    }
    expect(armed).toBeUndefined();
    const conversationId = who.conversationId();
    const sent = rec.sent.filter((m) => m.conversationId === conversationId);
    const outbound = await Message.find({ conversationId, direction: 'out' })
      .sort({ createdAt: 1, _id: 1 })
      .lean();
    return {
      texts,
      sentIds: sent.map((m) => m.id),
      storedIds: outbound.map((m) => m._id.toHexString()),
      statuses: outbound.map((m) => m.status),
      conversation: await Conversation.findById(conversationId).lean(),
      leads: await Lead.find({ conversationId }).lean(),
      cases: await Case.find({ conversationId }).lean(),
      inbound: await Message.find({ conversationId, direction: 'in' }).lean(),
    };
  }

  let baseline: Awaited<ReturnType<typeof run>>;

  it('runs the lead capture once without a crash (the reference)', async () => {
    baseline = await run('base', LEAD_SCRIPT);
    expect(baseline.leads).toHaveLength(1);
    expect(baseline.texts[FAQ_TURN]).toHaveLength(2);
    expect(baseline.texts[LAST_TURN]?.[0]).toMatch(/Gracias, Ana García/);
  });

  const scenarios: Array<{ point: Point; turn: number }> = [
    { point: 'after-nlu', turn: LAST_TURN },
    { point: 'after-crm', turn: LAST_TURN },
    { point: 'after-replies', turn: LAST_TURN },
    { point: 'after-state', turn: LAST_TURN },
    { point: 'before-send', turn: LAST_TURN },
    { point: 'after-state', turn: 0 },
    { point: 'after-replies', turn: FAQ_TURN },
    { point: 'after-send', turn: FAQ_TURN },
    { point: 'before-send', turn: FAQ_TURN },
    { point: 'after-state', turn: FAQ_TURN },
  ];

  for (const { point, turn } of scenarios) {
    it(`crash ${point} in turn ${turn}: same lead and flow, each reply sent once in order`, async () => {
      const before = crashes.length;
      const got = await run(`${point}-${turn}`, LEAD_SCRIPT, { point, turn });
      expect(crashes.slice(before)).toEqual([point]);

      expect(got.texts).toEqual(baseline.texts);
      // Every stored reply was sent, once, in the order it was written.
      expect(got.sentIds).toEqual(got.storedIds);
      expect(new Set(got.sentIds).size).toBe(got.sentIds.length);
      expect(got.statuses.every((s) => s === 'sent')).toBe(true);
      expect(got.storedIds).toHaveLength(baseline.storedIds.length);
      expect(got.inbound.every((m) => m.status === 'processed')).toBe(true);

      expect(got.leads).toHaveLength(1);
      const pick = (l: (typeof got.leads)[number]) => ({
        name: l.name,
        email: l.email,
        phone: l.phone,
        company: l.company,
        channel: l.channel,
      });
      expect(pick(got.leads[0]!)).toEqual(pick(baseline.leads[0]!));
      expect(got.conversation?.flow).toBeNull();
      expect(got.conversation?.intentsSeen).toEqual(baseline.conversation?.intentsSeen);
    });
  }

  it('the documented window: a reply accepted by the platform but not yet marked goes out twice, nothing else changes', async () => {
    const got = await run('window', LEAD_SCRIPT, { point: 'unmarked-send', turn: LAST_TURN });
    const last = got.storedIds.at(-1)!;
    // Only the reply in the window is repeated, right after itself; order is kept.
    expect(got.sentIds).toEqual([...got.storedIds, last]);
    expect(got.statuses.every((s) => s === 'sent')).toBe(true);
    expect(got.leads).toHaveLength(1);
    expect(got.conversation?.flow).toBeNull();
  });

  it('a case opened by a replayed turn keeps its one CS-number', async () => {
    const script = [
      'Quiero abrir una incidencia',
      'La factura de octubre me ha llegado duplicada y me habéis cobrado dos veces',
      'lucia@example.com',
    ];
    for (const point of ['after-crm', 'after-replies'] as const) {
      const got = await run(`case-${point}`, script, { point, turn: 2 });
      expect(got.cases).toHaveLength(1);
      const number = got.cases[0]!.number;
      expect(got.texts[2]?.[0]).toContain(number);
      expect(got.sentIds).toEqual(got.storedIds);
    }
  });

  it('a hand-over replayed after the state or the escalation: queued once, told once', async () => {
    for (const point of ['after-state', 'after-escalate'] as const) {
      const got = await run(`human-${point}`, ['Quiero hablar con una persona'], {
        point,
        turn: 0,
      });
      expect(got.conversation?.status).toBe('queued');
      expect(got.conversation?.statusHistory?.filter((h) => h.status === 'queued')).toHaveLength(1);
      expect(got.texts[0]).toHaveLength(1);
      expect(got.sentIds).toEqual(got.storedIds);
    }
  });

  it('an unsubscribe replayed after its records: one consent record and one audit entry', async () => {
    for (const point of ['after-crm', 'after-replies'] as const) {
      const got = await run(`unsubscribe-${point}`, ['quiero darme de baja'], { point, turn: 0 });
      const contactId = got.conversation!.contactId;
      const records = await ConsentRecord.find({ contactId }).lean();
      expect(records.map((r) => ({ granted: r.granted, by: r.by }))).toEqual([
        { granted: false, by: 'customer' },
      ]);
      const entries = await AuditEntry.find({
        targetId: contactId.toHexString(),
        action: 'consent.revoke',
      }).lean();
      expect(entries).toHaveLength(1);
      expect(got.texts[0]).toHaveLength(1);
      expect(got.sentIds).toEqual(got.storedIds);
    }
  });
});
