/**
 * Privacy rights through a real app: a customer who chatted on web chat (the real widget API)
 * and Telegram (webhook + fake Bot API), gave name, email and phone in lead capture and opened a
 * case. Export holds all of it; erasure leaves no trace of them in any collection of the test
 * database nor in Redis under the app's prefix, while message and conversation counts stay.
 */
import mongoose from 'mongoose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Case } from '../../../../src/kernel/db/models/case.js';
import { Contact, ContactIdentity } from '../../../../src/kernel/db/models/contact.js';
import { Conversation } from '../../../../src/kernel/db/models/conversation.js';
import { Lead } from '../../../../src/kernel/db/models/lead.js';
import { Message } from '../../../../src/kernel/db/models/message.js';
import { AuditEntry } from '../../../../src/kernel/db/models/audit-entry.js';
import { WebhookDelivery } from '../../../../src/features/webhooks/models.js';
import { call, staffWithRole, type Json } from '../../auth/staff-client.js';
import { BOT_TOKEN, WEBHOOK_SECRET } from '../../../channels/telegram/harness.js';
import { settledSession, webchatClient } from '../../../channels/webchat/client.js';
import { startFakeTelegramApi, type FakeTelegramApi } from '../../../fakes/telegram-api.js';
import { ADMIN_TOKEN, eventually, startTestApp, type TestApp } from '../../../support/app.js';
import { startReceiver, type Receiver } from '../../webhooks/receiver.js';

const EMAIL = 'valentina.ortega@example.com';
const PHONE_E164 = '+34622987654';
const PHONE_NATIONAL = '622987654';
const FIRST = 'Valentina';
const LAST = 'Ortega';
const TELEGRAM_USER = 880_123_456;
const admin = { authorization: `Bearer ${ADMIN_TOKEN}` };

describe('privacy: export and erasure of a contact', () => {
  let app: TestApp;
  let fake: FakeTelegramApi;
  let receiver: Receiver;
  let updateId = 5_000;
  let contactId = '';

  /** Sends a Telegram text and waits until it was processed and every reply was sent. */
  async function telegramSays(text: string) {
    updateId += 1;
    const res = await fetch(`${app.url}/webhooks/telegram`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-telegram-bot-api-secret-token': WEBHOOK_SECRET,
      },
      body: JSON.stringify({
        update_id: updateId,
        message: {
          message_id: updateId,
          date: Math.floor(Date.now() / 1000),
          from: { id: TELEGRAM_USER, is_bot: false, first_name: FIRST, last_name: LAST },
          chat: { id: TELEGRAM_USER, type: 'private', first_name: FIRST },
          text,
        },
      }),
    });
    expect(res.status).toBe(200);
    return eventually(async () => {
      const m = await Message.findOne({
        dedupeKey: `telegram:${TELEGRAM_USER}:${updateId}`,
      }).lean();
      if (m?.status !== 'processed') return false;
      const pending = await Message.countDocuments({
        conversationId: m.conversationId,
        direction: 'out',
        status: 'pending',
      });
      return pending === 0 && m;
    });
  }

  /** Every document of every collection of the test database, as JSON text. */
  async function databaseDump(): Promise<string[]> {
    const db = mongoose.connection.db!;
    const out: string[] = [];
    for (const { name } of await db.listCollections().toArray()) {
      for (const doc of await db.collection(name).find({}).toArray()) {
        out.push(`${name} ${JSON.stringify(doc)}`);
      }
    }
    return out;
  }

  /** Every key's value under the app's Redis prefix, as text. */
  async function redisDump(): Promise<string[]> {
    const redis = app.charla.services.redis;
    const out: string[] = [];
    for (const key of await redis.keys(`${app.charla.services.config.queuePrefix}:*`)) {
      const type = await redis.type(key);
      let value: unknown;
      if (type === 'string') value = await redis.get(key);
      else if (type === 'hash') value = await redis.hgetall(key);
      else if (type === 'list') value = await redis.lrange(key, 0, -1);
      else if (type === 'set') value = await redis.smembers(key);
      else if (type === 'zset') value = await redis.zrange(key, 0, -1);
      else if (type === 'stream') value = await redis.xrange(key, '-', '+');
      out.push(`${key} ${JSON.stringify(value)}`);
    }
    return out;
  }

  const personal = [EMAIL, PHONE_E164, PHONE_NATIONAL, '622 98 76 54', FIRST, LAST];
  const holding = (dump: string[]) =>
    dump.filter((line) => personal.some((p) => line.toLowerCase().includes(p.toLowerCase())));

  /**
   * What analytics counts: messages per direction, channel and intent with their sentiment
   * scores; conversations with their sentiment trends (scores are not personal text: kept).
   */
  async function analyticsTotals() {
    const messages = await Message.find(
      {},
      { direction: 1, channel: 1, nlu: 1, sentiment: 1, createdAt: 1 },
    )
      .sort({ _id: 1 })
      .lean();
    const conversations = await Conversation.find({}, { sentiment: 1, priority: 1 })
      .sort({ _id: 1 })
      .lean();
    return {
      conversations: await Conversation.countDocuments({}),
      sentiment: conversations.map((c) => [
        String(c._id),
        c.priority ?? null,
        (c.sentiment?.trend ?? []).map((p) => [p.score, p.at?.toISOString()]),
      ]),
      leads: await Lead.countDocuments({}),
      cases: await Case.countDocuments({}),
      messages: messages.map((m) => [
        String(m._id),
        m.direction,
        m.channel,
        m.nlu?.intent ?? null,
        m.sentiment ?? null,
        m.createdAt.toISOString(),
      ]),
    };
  }

  /** GET /api/analytics/summary for today, after a rollup run (src/features/analytics). */
  async function analyticsSummary() {
    await app.charla.services.analytics!.runOnce({ settleMs: 0 });
    const today = new Date().toISOString().slice(0, 10);
    const res = await call(app, 'GET', `/api/analytics/summary?from=${today}&to=${today}`, {
      headers: admin,
    });
    expect(res.status).toBe(200);
    return res.body;
  }

  beforeAll(async () => {
    fake = await startFakeTelegramApi(BOT_TOKEN);
    receiver = await startReceiver();
    app = await startTestApp({
      TELEGRAM_BOT_TOKEN: BOT_TOKEN,
      TELEGRAM_WEBHOOK_SECRET: WEBHOOK_SECRET,
      TELEGRAM_API_ROOT: fake.url,
      WEBHOOK_ALLOW_HOSTS: '127.0.0.1', // the webhook receiver's address
    });
    // Webhooks out: lead and case deliveries carry the person's data on their queue jobs.
    const hook = await call(app, 'POST', '/api/webhooks', {
      headers: admin,
      body: {
        url: `${receiver.url}/crm`,
        events: ['lead.created', 'lead.updated', 'case.created'],
      },
    });
    expect(hook.status).toBe(201);

    // Telegram: a support case with the email.
    await telegramSays('Quiero abrir una incidencia');
    await telegramSays('No puedo entrar en mi cuenta desde el móvil desde ayer');
    const opened = await telegramSays(EMAIL);
    contactId = String(opened.contactId);
    // A question the catalogue cannot place: it lands in "what the bot missed" until erased.
    await telegramSays('¿Qué tiempo hará mañana en Cuenca?');
    // A frustrated customer: two negative messages in a row raise the conversation's priority.
    await telegramSays('Es una vergüenza, llevo tres días esperando');
    await telegramSays('Estoy harto, esto no funciona');
    expect(await Case.countDocuments({ contactId, email: EMAIL })).toBe(1);

    // Web chat: lead capture with name, the same email (merged into the Telegram contact), phone.
    const web = webchatClient(app.url);
    const session = await web.createSession('es');
    const steps = [
      'Hola, me interesa vuestro producto, ¿me contactáis?',
      `${FIRST} ${LAST}`,
      EMAIL,
      '622 98 76 54',
      'saltar',
      'no', // no marketing e-mails
      'sí',
    ];
    for (const [i, text] of steps.entries()) {
      expect((await web.post(session, { text })).status).toBeLessThan(300);
      await settledSession(session.sessionId, i + 1);
    }
    const lead = await eventually(() => Lead.findOne({ email: EMAIL }).lean());
    expect(lead).toMatchObject({ phone: PHONE_E164, name: `${FIRST} ${LAST}` });
    expect(String(lead.contactId)).toBe(contactId);
  }, 120_000);

  afterAll(async () => {
    await app?.stop();
    await fake?.close();
    await receiver?.close();
  });

  it('export: one JSON document with contact, identities, conversations, messages, lead, case', async () => {
    const res = await call(app, 'GET', `/api/contacts/${contactId}/export`, { headers: admin });
    expect(res.status).toBe(200);
    const data: Json = res.body;
    expect(data.contactId).toBe(contactId);
    expect(data.contact.emails).toEqual([EMAIL]);
    expect(data.contact.phones).toContain(PHONE_E164);
    expect(data.mergedContacts).toHaveLength(1);
    expect(data.identities.map((i: Json) => i.channel).sort()).toEqual(['telegram', 'webchat']);
    expect(data.conversations.map((c: Json) => c.channel).sort()).toEqual(['telegram', 'webchat']);
    const texts = data.conversations.flatMap((c: Json) => c.messages.map((m: Json) => m.text));
    expect(texts).toContain(EMAIL);
    expect(texts).toContain(`${FIRST} ${LAST}`);
    expect(texts).toContain('No puedo entrar en mi cuenta desde el móvil desde ayer');
    expect(data.leads).toEqual([
      expect.objectContaining({ email: EMAIL, phone: PHONE_E164, name: `${FIRST} ${LAST}` }),
    ]);
    expect(data.cases).toEqual([
      expect.objectContaining({ email: EMAIL, type: 'support', channel: 'telegram' }),
    ]);
    expect(data.webchatSessions).toHaveLength(1);
    expect(data.webchatSessions[0].tokenHash).toBeUndefined();
    expect(data.auditEntries.map((a: Json) => a.action)).toContain('contact.merge');
    expect(await AuditEntry.countDocuments({ action: 'contact.export', targetId: contactId })).toBe(
      1,
    );
  });

  it('a marketer may not export or erase (403); a bad confirmation is 400 and changes nothing', async () => {
    const marketer = await staffWithRole(app, 'marketer');
    const before = await databaseDump();
    expect((await marketer.call('GET', `/api/contacts/${contactId}/export`)).status).toBe(403);
    const denied = await marketer.call('POST', `/api/contacts/${contactId}/erase`, {
      confirm: contactId,
    });
    expect(denied.status).toBe(403);

    const bad = await call(app, 'POST', `/api/contacts/${contactId}/erase`, {
      headers: admin,
      body: { confirm: 'ERASE' },
    });
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('confirmation_mismatch');
    const missing = await call(app, 'POST', `/api/contacts/${contactId}/erase`, {
      headers: admin,
      body: {},
    });
    expect(missing.status).toBe(400);
    expect(missing.body.error.code).toBe('invalid_request');
    const unknown = '0123456789abcdef01234567';
    const notFound = await call(app, 'POST', `/api/contacts/${unknown}/erase`, {
      headers: admin,
      body: { confirm: unknown },
    });
    expect(notFound.status).toBe(404);
    // Refused requests change nothing, not even the audit log.
    expect(await databaseDump()).toEqual(before);
    expect(holding(before).length).toBeGreaterThan(0);
  });

  it('erase: no collection nor Redis key holds the email, phone or name; counts unchanged; idempotent', async () => {
    const totals = await analyticsTotals();
    const summary = await analyticsSummary();
    // Sentiment was recorded (and frustration raised the Telegram conversation's priority).
    expect(totals.messages.filter((m) => typeof m[4] === 'number').length).toBeGreaterThan(2);
    expect(totals.sentiment.some(([, priority]) => priority === 'high')).toBe(true);
    // Finished inbound jobs carry the customer's text in Redis until erased, and delivered
    // webhook jobs the lead's and the case's data.
    await eventually(
      async () => (await WebhookDelivery.countDocuments({ status: 'delivered' })) >= 2,
    );
    const held = holding(await redisDump());
    expect(held.some((line) => line.includes(':inbound:'))).toBe(true);
    expect(held.some((line) => line.includes(':webhooks:'))).toBe(true);
    const res = await call(app, 'POST', `/api/contacts/${contactId}/erase`, {
      headers: admin,
      body: { confirm: contactId },
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ contactId, status: 'erased' });
    expect(res.body.counts).toMatchObject({ contacts: 2, conversations: 2, leads: 1, cases: 1 });
    expect(res.body.counts.messages).toBe(totals.messages.length);
    expect(res.body.counts.webhookJobs).toBeGreaterThanOrEqual(2);

    expect(holding(await databaseDump())).toEqual([]);
    expect(holding(await redisDump())).toEqual([]);
    expect(await analyticsTotals()).toEqual(totals);
    // The analytics API's figures are the same after the erase; only its list of unanswered
    // customer texts loses the erased person's texts.
    const { topUnanswered: unansweredBefore, ...figures } = summary;
    const { topUnanswered: unansweredAfter, ...figuresAfter } = await analyticsSummary();
    expect(figuresAfter).toEqual(figures);
    expect(JSON.stringify(unansweredBefore)).toContain('tiempo hará mañana en Cuenca');
    expect(JSON.stringify(unansweredAfter)).not.toContain('tiempo hará mañana en Cuenca');
    expect(await ContactIdentity.countDocuments({})).toBe(0);

    const audit = await AuditEntry.findOne({ action: 'contact.erase', targetId: contactId }).lean();
    expect(audit).toMatchObject({ actor: 'admin-token', targetType: 'contact' });

    const after = await databaseDump();
    const again = await call(app, 'POST', `/api/contacts/${contactId}/erase`, {
      headers: admin,
      body: { confirm: contactId },
    });
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ status: 'already_erased', counts: null });
    expect(await databaseDump()).toEqual(after);

    const exported = await call(app, 'GET', `/api/contacts/${contactId}/export`, {
      headers: admin,
    });
    expect(exported.status).toBe(200);
    expect(holding([JSON.stringify(exported.body)])).toEqual([]);
  });

  it('a later message from the same Telegram user starts a fresh, unlinked contact', async () => {
    const message = await telegramSays('Hola');
    expect(String(message.contactId)).not.toBe(contactId);
    const fresh = await Contact.findById(message.contactId).lean();
    expect(fresh?.emails).toEqual([]);
    expect(fresh?.phones).toEqual([]);
    const conversation = await Conversation.findById(message.conversationId).lean();
    expect(conversation?.platformUserId).toBe(String(TELEGRAM_USER));
    expect(await Conversation.countDocuments({ contactId: message.contactId })).toBe(1);
    expect(await Conversation.countDocuments({ contactId })).toBe(2);
    expect(await Message.countDocuments({ contactId: message.contactId })).toBeGreaterThan(1);
  });
});
