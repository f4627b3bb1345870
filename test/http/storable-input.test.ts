/**
 * Issue 24 item 1: input that cannot break storage. U+0000 (PostgreSQL refuses it in jsonb) and
 * lone surrogates used to give 500 on every inbound channel and on staff text fields. One app
 * with web chat, Telegram, WhatsApp and Slack: every inbound route gets hostile texts and names,
 * and every staff API route (read from the OpenAPI document) gets hostile strings in every text
 * field of its body and query: nothing answers 5xx, and what is stored is the cleaned text.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Contact } from '../../src/kernel/db/models/contact.js';
import { Message } from '../../src/kernel/db/models/message.js';
import { Lead } from '../../src/kernel/db/models/lead.js';
import { upsertLead } from '../../src/kernel/db/leads.js';
import { createCase } from '../../src/kernel/db/cases.js';
import { storable, storableText } from '../../src/kernel/storable-text.js';
import { startFakeTelegramApi, type FakeTelegramApi } from '../fakes/telegram-api.js';
import {
  postWebhook,
  startFakeGraph,
  whatsappWebhook,
  type FakeGraph,
} from '../fakes/whatsapp-graph.js';
import {
  SLACK_SIGNING_SECRET,
  sendSlackEvent,
  startFakeSlackApi,
  type FakeSlackApi,
} from '../fakes/slack-api.js';
import { eventually, startTestApp, type TestApp } from '../support/app.js';
import { BOT_TOKEN, WEBHOOK_SECRET, textUpdate } from '../channels/telegram/harness.js';
import { fuzzBodies, fuzzQueries, routesOf, type OpenApiDoc } from './fuzz-schema.js';

/** Texts that stay text once cleaned (an all-NUL text is empty: a 400 where text is required). */
const HOSTILE = ['a\u0000b', 'x\ud800y\udfffz', 'ok\u0000\ud83d'];
/** What the staff API gets: the above and one that cleans to nothing. */
const STAFF_HOSTILE = [...HOSTILE, '\u0000\u0000'];

describe('storableText', () => {
  it('removes U+0000 and replaces lone surrogates, keeping pairs and other text', () => {
    expect(storableText('a\u0000b')).toBe('ab');
    expect(storableText('x\ud800y\udfffz')).toBe('x\uFFFDy\uFFFDz');
    expect(storableText('emoji 😀 ñ \u0001')).toBe('emoji 😀 ñ \u0001');
    expect(storableText('end\ud83d')).toBe('end\uFFFD');
  });

  it('cleans keys and values deeply, copying only what changed', () => {
    const same = { a: ['x', { b: 1 }] };
    expect(storable(same)).toBe(same);
    const cleaned = storable({ 'k\u0000': ['v\u0000'], __proto__x: 1, n: 2, d: new Date(0) });
    expect(cleaned).toEqual({ k: ['v'], __proto__x: 1, n: 2, d: new Date(0) });
    const proto = storable(JSON.parse('{"__proto__": {"x": "a\\u0000"}}') as object);
    expect(Object.getPrototypeOf(proto)).toBe(Object.prototype);
    expect(Object.keys(proto)).toEqual(['__proto__']);
  });
});

describe('hostile strings on every inbound route and staff text field', () => {
  const PHONE_ID = '1098765';
  const APP_SECRET = 'app-secret-abc';
  let app: TestApp;
  let telegram: FakeTelegramApi;
  let graph: FakeGraph;
  let slack: FakeSlackApi;
  const fivexx: string[] = [];

  const record = (what: string, status: number) => {
    if (status >= 500) fivexx.push(`${what} → ${status}`);
  };

  beforeAll(async () => {
    telegram = await startFakeTelegramApi(BOT_TOKEN);
    graph = await startFakeGraph({ token: 'graph-token', phoneId: PHONE_ID });
    slack = await startFakeSlackApi();
    app = await startTestApp({
      TELEGRAM_BOT_TOKEN: BOT_TOKEN,
      TELEGRAM_WEBHOOK_SECRET: WEBHOOK_SECRET,
      TELEGRAM_API_ROOT: telegram.url,
      WHATSAPP_CLOUD_TOKEN: 'graph-token',
      WHATSAPP_CLOUD_PHONE_ID: PHONE_ID,
      WHATSAPP_APP_SECRET: APP_SECRET,
      WHATSAPP_VERIFY_TOKEN: 'verify',
      WHATSAPP_GRAPH_URL: graph.url,
      SLACK_BOT_TOKEN: 'xoxb-test',
      SLACK_SIGNING_SECRET,
      SLACK_API_URL: slack.apiUrl,
      SLACK_ESCALATION_CHANNEL: 'CSTAFFQUEUE',
    });
  });
  afterAll(async () => {
    await app?.stop();
    await Promise.all([telegram?.close(), graph?.close(), slack?.close()]);
  });

  const json = (
    path: string,
    method: string,
    body: unknown,
    headers: Record<string, string> = {},
  ) =>
    fetch(`${app.url}${path}`, {
      method,
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify(body),
    });

  /** The customer message stored for a platform message id, once ingest is done. */
  const storedIn = (channel: string, platformMessageId: string) =>
    eventually(() => Message.findOne({ dedupeKey: `${channel}:${platformMessageId}` }).lean());

  it('web chat: hostile texts are stored cleaned, never a 500', async () => {
    const created = await json('/api/webchat/sessions', 'POST', { locale: 'es' });
    expect(created.status).toBe(201);
    const session = (await created.json()) as { sessionId: string; token: string };
    for (const text of HOSTILE) {
      const res = await json(
        `/api/webchat/sessions/${session.sessionId}/messages`,
        'POST',
        { text },
        { authorization: `Bearer ${session.token}` },
      );
      record(`webchat message ${JSON.stringify(text)}`, res.status);
      expect(res.status).toBeLessThan(300);
    }
    const texts = await eventually(async () => {
      const found = await Message.find({ channel: 'webchat', direction: 'in' }).lean();
      return found.length >= HOSTILE.length ? found.map((m) => m.text) : undefined;
    });
    expect(texts.sort()).toEqual(HOSTILE.map(storableText).sort());
    // Nothing left once cleaned: refused like an empty text, not a 500.
    const empty = await json(
      `/api/webchat/sessions/${session.sessionId}/messages`,
      'POST',
      { text: '\u0000' },
      { authorization: `Bearer ${session.token}` },
    );
    expect(empty.status).toBe(400);
  });

  it('Telegram: a NUL in the text or in first_name is stored cleaned', async () => {
    for (const [i, text] of HOSTILE.entries()) {
      const update = textUpdate({ id: `f00${i}`, text, userId: String(7000 + i) });
      update.message.from.first_name = `An\u0000a ${text}`;
      const res = await json('/webhooks/telegram', 'POST', update, {
        'x-telegram-bot-api-secret-token': WEBHOOK_SECRET,
      });
      record(`telegram ${JSON.stringify(text)}`, res.status);
      expect(res.status).toBe(200);
      const stored = await storedIn('telegram', `${7000 + i}:${update.message.message_id}`);
      expect(stored.text).toBe(storableText(text));
      const contact = await Contact.findById(stored.contactId).lean();
      expect(contact?.name).toBe(`${storableText(`An\u0000a ${text}`)} Test`);
    }
  });

  it('WhatsApp: a signed payload with NUL in text and profile name is accepted and cleaned', async () => {
    for (const [i, text] of HOSTILE.entries()) {
      const payload = whatsappWebhook({
        phoneId: PHONE_ID,
        from: `3460000000${i}`,
        name: `Ana\u0000${text}`,
        messages: [{ id: `wamid.fuzz${i}`, type: 'text', text: { body: text } }],
      });
      const res = await postWebhook(app.url, payload, APP_SECRET);
      record(`whatsapp ${JSON.stringify(text)}`, res.status);
      expect(res.status).toBe(200);
      expect((await storedIn('whatsapp', `wamid.fuzz${i}`)).text).toBe(storableText(text));
    }
  });

  it('Slack: a direct message with NUL is stored cleaned', async () => {
    for (const [i, text] of HOSTILE.entries()) {
      const user = `UFUZZ${i}`;
      const ts = `${1_700_002_000 + i}.000100`;
      const res = await sendSlackEvent(app.url, {
        type: 'message',
        channel: `D${user}`,
        channel_type: 'im',
        user,
        text,
        ts,
        client_msg_id: `fuzz-${i}`,
      });
      record(`slack ${JSON.stringify(text)}`, res.status);
      expect(res.status).toBe(200);
      expect((await storedIn('slack', `D${user}:${ts}`)).text).toBe(storableText(text));
    }
  });

  it('every staff API route: hostile strings in every text field of body and query, no 5xx', async () => {
    const doc = (await (await fetch(`${app.url}/api/openapi.json`)).json()) as OpenApiDoc;
    const routes = routesOf(doc);
    expect(routes.length).toBeGreaterThan(40);
    const ids = new Map<string, string>();
    const customer = await Message.findOne({ channel: 'webchat', direction: 'in' }).lean();
    ids.set('conversations', String(customer?.conversationId));
    ids.set('contacts', String(customer?.contactId));
    // A lead and a case to edit: their notes are staff text too.
    const lead = await upsertLead({
      contactId: customer!.contactId,
      channel: 'webchat',
      email: 'fuzz@example.com',
    });
    ids.set('leads', lead.lead._id.toHexString());
    const kase = await createCase({ type: 'support', contactId: customer!.contactId });
    ids.set('cases', kase._id.toHexString());
    let textFields = 0;
    for (const route of routes) {
      for (const { body, fields } of fuzzBodies(doc, route, STAFF_HOSTILE)) {
        textFields += fields;
        const path = route.fill(ids);
        const res = await fetch(`${app.url}${path}`, {
          method: route.method,
          headers: { ...app.admin, 'content-type': 'application/json' },
          body: JSON.stringify(body),
        });
        record(`${route.method} ${route.path}`, res.status);
        route.remember(ids, res.status, await res.text());
      }
      for (const query of fuzzQueries(route, STAFF_HOSTILE)) {
        const res = await fetch(`${app.url}${route.fill(ids)}?${query}`, {
          method: route.method === 'GET' ? 'GET' : route.method,
          headers: app.admin,
        });
        record(`${route.method} ${route.path}?${query}`, res.status);
      }
    }
    expect(textFields).toBeGreaterThan(50);
    expect(fivexx).toEqual([]);
    // The hostile text reached storage, cleaned: a staff note on the conversation, the lead's notes.
    // Several routes write staff notes; one keeps text after "Fuzz " (another may be cleaned to
    // "Fuzz" alone): look at them all, in no particular order.
    const notes = await Message.find({
      internal: true,
      conversationId: customer!.conversationId,
    }).lean();
    expect(notes.some((n) => /^Fuzz /.test(n.text ?? ''))).toBe(true);
    expect(JSON.stringify(notes.map((n) => n.text))).not.toMatch(/\\u0000/);
    const edited = await Lead.findById(lead.lead._id).lean();
    expect(JSON.stringify(edited)).toMatch(/Fuzz /);
    expect(JSON.stringify(edited)).not.toMatch(/\\u0000/);
  });

  it('a query or path with %00 is no 5xx either', async () => {
    for (const path of [
      '/api/contacts?q=a%00b',
      '/api/conversations?q=%00',
      '/api/leads?email=a%00b%40example.com',
      '/api/webchat/sessions/a%00b/messages',
      '/api/contacts/a%00b',
    ]) {
      const res = await fetch(`${app.url}${path}`, { headers: app.admin });
      record(path, res.status);
    }
    expect(fivexx).toEqual([]);
  });
});
