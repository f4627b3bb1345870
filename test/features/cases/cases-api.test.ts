/**
 * Cases end to end on a real Charla (FerretDB/MongoDB + Redis): the list's filters, the case page,
 * PATCH (validation, roles, audit, timeline), the resolution reaching a web chat visitor and a
 * Telegram customer in their language, their CSAT answer landing on the case, and the SLA
 * monitor alerting each missed target once, with an injected clock.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkCaseSlas } from '../../../src/features/cases/sla-monitor.js';
import type { SlaKind } from '../../../src/kernel/time/sla.js';
import { createConversationLock } from '../../../src/kernel/redis/conversation-lock.js';
import { createCase } from '../../../src/kernel/db/cases.js';
import { AuditEntry } from '../../../src/kernel/db/models/audit-entry.js';
import { Case, type CaseDoc } from '../../../src/kernel/db/models/case.js';
import { Conversation, type ConversationDoc } from '../../../src/kernel/db/models/conversation.js';
import { Message } from '../../../src/kernel/db/models/message.js';
import { staffWithRole, type Staff } from '../auth/staff-client.js';
import { telegramHarness } from '../../channels/telegram/harness.js';
import { settledSession, webchatClient, type Session } from '../../channels/webchat/client.js';
import { conversationOf, eventually, type TestApp } from '../../support/app.js';

const h = telegramHarness();
let app: TestApp;
let agent: Staff;
let viewer: Staff;
let web: ReturnType<typeof webchatClient>;

beforeAll(async () => {
  await h.start();
  app = h.app();
  web = webchatClient(app.url);
  agent = await staffWithRole(app, 'agent');
  viewer = await staffWithRole(app, 'viewer');
});
afterAll(async () => {
  await h.stop();
});

const H = 3600_000;

async function webchatCase(
  locale: 'es' | 'en',
  text: string,
): Promise<{ s: Session; conv: ConversationDoc; c: CaseDoc }> {
  const s = await web.createSession(locale);
  expect((await web.post(s, { text })).status).toBeLessThan(300);
  const { conversations } = await settledSession(s.sessionId);
  const conv = conversations[0]!;
  const c = await createCase({
    type: 'support',
    contactId: conv.contactId,
    conversationId: conv._id,
    channel: 'webchat',
    subject: 'Pedido <b>tarde</b>',
  });
  return { s, conv, c };
}

/** The visitor's widget view: the messages the web chat API gives the session. */
async function widgetTexts(s: Session): Promise<string[]> {
  const res = await web.list(s);
  const items = (res.body.items ?? res.body.messages ?? res.body) as Array<{ text: string }>;
  return items.map((m) => m.text);
}

describe('PATCH /api/cases/:id', () => {
  it('refuses bad input with 400 and changes nothing; unknown id 404; viewer 403', async () => {
    const { c } = await webchatCase('es', 'Hola, tengo un problema con mi pedido');
    const path = `/api/cases/${c._id.toHexString()}`;
    for (const body of [
      { status: 'done' },
      { priority: 'critical' },
      { assignee: 'nobody' },
      { note: '   ' },
      { colour: 'red' },
      {},
    ]) {
      const res = await agent.call('PATCH', path, body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.error.code).toBe('invalid_request');
    }
    // A real user id who may not work cases (a viewer) is refused too.
    const res = await agent.call('PATCH', path, { assignee: viewer.user.id, status: 'pending' });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('invalid_assignee');
    const after = await Case.findById(c._id).lean();
    expect(after?.status).toBe('open');
    expect(after?.timeline).toHaveLength(0);
    expect(
      (await agent.call('PATCH', '/api/cases/0123456789abcdef01234567', { status: 'pending' }))
        .status,
    ).toBe(404);
    expect((await viewer.call('PATCH', path, { status: 'pending' })).status).toBe(403);
    expect((await viewer.call('GET', path)).status).toBe(200);
  });

  it('assigns, re-prioritises and notes; audited with before/after; shown on the case page', async () => {
    const { c } = await webchatCase('es', 'Hola, mi factura está mal');
    const path = `/api/cases/${c._id.toHexString()}`;
    const res = await agent.call('PATCH', path, {
      assignee: agent.user.id,
      priority: 'urgent',
      note: 'Llamar al cliente <script>',
    });
    expect(res.status).toBe(200);
    expect(res.body.assignee).toEqual({ id: agent.user.id, name: agent.user.name });
    expect(res.body.priority).toBe('urgent');
    // Urgent: first response within 1 h of opening (was 1 d at normal).
    const opened = new Date(res.body.createdAt).getTime();
    expect(new Date(res.body.sla.firstResponse.dueAt).getTime() - opened).toBe(H);

    const audit = await AuditEntry.findOne({
      action: 'case.update',
      targetId: c._id.toHexString(),
    }).lean();
    expect(audit?.before).toMatchObject({ priority: 'normal', assignee: null });
    expect(audit?.after).toMatchObject({ priority: 'urgent', assignee: agent.user.id });

    const detail = await agent.call('GET', path);
    expect(detail.status).toBe(200);
    expect(detail.body.notes).toHaveLength(1);
    expect(detail.body.notes[0].text).toBe('Llamar al cliente <script>');
    expect(detail.body.timeline.map((e: { kind: string }) => e.kind)).toEqual([
      'opened',
      'priority',
      'assignee',
      'note',
    ]);
    expect(detail.body.customer.id).toBe(c.contactId!.toHexString());
    expect(detail.body.messages.some((m: { text: string }) => m.text.includes('factura'))).toBe(
      true,
    );

    const mine = await agent.call('GET', `/api/cases?assignee=${agent.user.id}&priority=urgent`);
    expect(mine.body.items.map((i: { id: string }) => i.id)).toEqual([c._id.toHexString()]);
  });
});

describe('resolution and CSAT', () => {
  it('tells the web chat visitor in English and stores their rating (no NLU for it)', async () => {
    const { s, conv, c } = await webchatCase('en', 'Hello, my order has not arrived yet');
    const res = await agent.call('PATCH', `/api/cases/${c._id.toHexString()}`, {
      status: 'resolved',
    });
    expect(res.status).toBe(200);
    expect(res.body.status).toBe('resolved');
    expect(res.body.csat.requestedAt).not.toBeNull();
    await eventually(async () =>
      (await widgetTexts(s)).some(
        (t) =>
          t ===
          `Your case ${c.number} has been resolved. If you need anything else, just write to us here.`,
      ),
    );
    const ask = await Message.findOne({ conversationId: conv._id, text: /rate us from 1/ }).lean();
    expect(ask?.quickReplies?.map((q) => q.payload)).toEqual(['1', '2', '3', '4', '5']);
    expect((await Conversation.findById(conv._id).lean())?.awaitingRating?.caseId).toEqual(c._id);

    await web.post(s, { text: 'five' });
    const rated = await eventually(async () => {
      const k = await Case.findById(c._id).lean();
      return k?.csat?.rating ? k : undefined;
    });
    expect(rated.csat?.rating).toBe(5);
    await eventually(async () => (await widgetTexts(s)).some((t) => t.includes('(5 out of 5)')));
    const answer = await Message.findOne({ conversationId: conv._id, text: 'five' }).lean();
    expect(answer?.nlu?.intent ?? null).toBeNull();
    expect((await Conversation.findById(conv._id).lean())?.awaitingRating ?? null).toBeNull();
    const page = await agent.call('GET', `/api/cases/${c._id.toHexString()}`);
    expect(page.body.csat.rating).toBe(5);
    expect(page.body.timeline.map((e: { kind: string }) => e.kind)).toEqual(
      expect.arrayContaining(['status', 'customer_notified', 'csat']),
    );
  });

  it('a non-rating answer is handled as usual and clears the request', async () => {
    const { s, conv, c } = await webchatCase('es', 'Hola, necesito ayuda con mi pedido');
    await agent.call('PATCH', `/api/cases/${c._id.toHexString()}`, { status: 'resolved' });
    await eventually(async () =>
      (await widgetTexts(s)).some((t) => t.includes(`Tu caso ${c.number} se ha resuelto`)),
    );
    const before = (await widgetTexts(s)).length;
    await web.post(s, { text: '¿Cuáles son vuestros horarios?' });
    await eventually(async () => {
      const m = await Message.findOne({
        conversationId: conv._id,
        text: '¿Cuáles son vuestros horarios?',
      }).lean();
      return m?.status === 'processed';
    });
    await eventually(async () => (await widgetTexts(s)).length > before + 1);
    expect((await Conversation.findById(conv._id).lean())?.awaitingRating ?? null).toBeNull();
    expect((await Case.findById(c._id).lean())?.csat?.rating ?? null).toBeNull();
    expect((await widgetTexts(s)).some((t) => t.includes('Gracias por tu valoración'))).toBe(false);
  });

  it('reaches a Telegram customer in Spanish with buttons; a tap on "4" is the rating', async () => {
    const userId = '830001';
    expect(
      (await h.deliver({ id: 'case-tg-1', text: 'Hola, tengo un problema', userId })).status,
    ).toBe(200);
    const conv = await conversationOf('telegram', { platformUserId: userId });
    await eventually(
      async () =>
        (await Message.findOne({
          conversationId: conv._id,
          direction: 'out',
          status: 'sent',
        }).lean()) ?? undefined,
    );
    const c = await createCase({
      type: 'support',
      contactId: conv.contactId,
      conversationId: conv._id,
      channel: 'telegram',
    });
    expect(
      (await agent.call('PATCH', `/api/cases/${c._id.toHexString()}`, { status: 'resolved' }))
        .status,
    ).toBe(200);
    const ask = await eventually(async () =>
      h
        .fake()
        .sent.find(
          (x) =>
            x.body.chat_id === userId &&
            String(x.body.text).startsWith('¿Qué tal te hemos atendido?'),
        ),
    );
    expect(
      h
        .fake()
        .sent.some(
          (x) =>
            x.body.chat_id === userId &&
            x.body.text ===
              `Tu caso ${c.number} se ha resuelto. Si necesitas algo más, escríbenos aquí cuando quieras.`,
        ),
    ).toBe(true);
    expect(ask.body.reply_markup).toBeDefined();
    const tap = {
      update_id: 930001,
      callback_query: {
        id: 'cb-case-4',
        from: { id: Number(userId), is_bot: false, first_name: 'Ana', language_code: 'es' },
        message: { message_id: 1, chat: { id: Number(userId), type: 'private' } },
        data: '4',
      },
    };
    expect((await h.post(tap, 'telegram-webhook-secret')).status).toBe(200);
    const rated = await eventually(async () => {
      const k = await Case.findById(c._id).lean();
      return k?.csat?.rating ? k : undefined;
    });
    expect(rated.csat?.rating).toBe(4);
    await eventually(async () =>
      h
        .fake()
        .sent.find((x) => x.body.chat_id === userId && String(x.body.text).includes('(4 de 5)')),
    );
  });
});

describe('SLA monitor and filters', () => {
  it('alerts each missed target once as the injected clock moves; the list filters by SLA state', async () => {
    const { c } = await webchatCase('es', 'Hola, mi pedido llegó roto');
    const opened = new Date((c as { createdAt?: Date }).createdAt!).getTime();
    const alerts: Array<[string, SlaKind]> = [];
    const deps = {
      lock: createConversationLock(
        app.charla.services.redis,
        app.charla.services.config.queuePrefix,
      ),
      alert: async (id: string, kind: SlaKind) => void alerts.push([id, kind]),
    };
    const mine = () => alerts.filter(([id]) => id === c._id.toHexString()).map(([, k]) => k);
    // Normal: 1 d / 3 d.
    await checkCaseSlas(deps, new Date(opened + 20 * H));
    expect(mine()).toEqual([]);
    await checkCaseSlas(deps, new Date(opened + 25 * H));
    await checkCaseSlas(deps, new Date(opened + 26 * H));
    expect(mine()).toEqual(['first_response']);
    await checkCaseSlas(deps, new Date(opened + 73 * H));
    expect(mine()).toEqual(['first_response', 'resolution']);
    const k = await Case.findById(c._id).lean();
    expect(k?.slaAlerts).toEqual(['first_response', 'resolution']);
    expect(k?.timeline.filter((e) => e.kind === 'sla_breached').map((e) => e.to)).toEqual([
      'first_response',
      'resolution',
    ]);

    // The list reads the stored deadlines against the real clock: move them into the past.
    await Case.updateOne(
      { _id: c._id },
      {
        $set: {
          firstResponseDueAt: new Date(Date.now() - H),
          firstResponseRiskAt: new Date(Date.now() - 2 * H),
        },
      },
    );
    const breached = await agent.call('GET', '/api/cases?sla=breached&limit=200');
    expect(breached.body.items.map((i: { id: string }) => i.id)).toContain(c._id.toHexString());
    const item = breached.body.items.find((i: { id: string }) => i.id === c._id.toHexString());
    expect(item.sla.state).toBe('breached');
    const ok = await agent.call('GET', '/api/cases?sla=ok&limit=200');
    expect(ok.body.items.map((i: { id: string }) => i.id)).not.toContain(c._id.toHexString());
    expect(ok.body.items.every((i: { sla: { state: string } }) => i.sla.state === 'ok')).toBe(true);
  });

  it('counts the first staff reply as the first response', async () => {
    const { conv, c } = await webchatCase('es', 'Hola, quiero cambiar mi pedido');
    const opened = new Date((c as { createdAt?: Date }).createdAt!).getTime();
    await app.charla.services.outbox.send(conv, [{ text: 'Hola, soy Ana, te ayudo' }], {
      kind: 'staff',
      staff: { id: `user:${agent.user.id}`, name: agent.user.name },
    });
    const alerts: SlaKind[] = [];
    const deps = {
      lock: createConversationLock(
        app.charla.services.redis,
        app.charla.services.config.queuePrefix,
      ),
      alert: async (id: string, kind: SlaKind) => {
        if (id === c._id.toHexString()) alerts.push(kind);
      },
    };
    await checkCaseSlas(deps, new Date(opened + 30 * H));
    expect(alerts).toEqual([]);
    expect((await Case.findById(c._id).lean())?.firstRespondedAt).toBeTruthy();
  });
});
