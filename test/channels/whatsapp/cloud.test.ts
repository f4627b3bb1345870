/**
 * WhatsApp Cloud adapter against a fake Graph API on 127.0.0.1: real HTTP, real HMAC signatures,
 * real Charla (FerretDB + Redis + BullMQ).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Contact } from '../../../src/kernel/db/models/contact.js';
import { Conversation } from '../../../src/kernel/db/models/conversation.js';
import { Message } from '../../../src/kernel/db/models/message.js';
import {
  postWebhook,
  startFakeGraph,
  whatsappWebhook,
  type FakeGraph,
} from '../../fakes/whatsapp-graph.js';
import {
  eventually,
  startTestApp,
  type TestApp,
  sentReply,
  conversationOf as conversationOfChannel,
} from '../../support/app.js';

const TOKEN = 'graph-token-123';
const PHONE_ID = '1098765';
const SECRET = 'app-secret-abc';
const VERIFY = 'verify-me';

describe('WhatsApp Cloud adapter', () => {
  let graph: FakeGraph;
  let app: TestApp;

  beforeAll(async () => {
    graph = await startFakeGraph({ token: TOKEN, phoneId: PHONE_ID });
    app = await startTestApp({
      WHATSAPP_CLOUD_TOKEN: TOKEN,
      WHATSAPP_CLOUD_PHONE_ID: PHONE_ID,
      WHATSAPP_APP_SECRET: SECRET,
      WHATSAPP_VERIFY_TOKEN: VERIFY,
      WHATSAPP_GRAPH_URL: graph.url,
    });
  });
  afterAll(async () => {
    await app?.stop();
    await graph?.close();
  });

  const text = (from: string, id: string, body: string) =>
    whatsappWebhook({ phoneId: PHONE_ID, from, messages: [{ id, type: 'text', text: { body } }] });

  const conversationOf = (waId: string) =>
    conversationOfChannel('whatsapp', { platformUserId: waId });

  it('answers the subscription challenge only with the right verify token', async () => {
    const ok = await fetch(
      `${app.url}/webhooks/whatsapp?hub.mode=subscribe&hub.verify_token=${VERIFY}&hub.challenge=1158201444`,
    );
    expect(ok.status).toBe(200);
    expect(await ok.text()).toBe('1158201444');

    const bad = await fetch(
      `${app.url}/webhooks/whatsapp?hub.mode=subscribe&hub.verify_token=nope&hub.challenge=1`,
    );
    expect(bad.status).toBe(403);
    expect(((await bad.json()) as { error: { code: string } }).error.code).toBe('forbidden');

    const script = await fetch(
      `${app.url}/webhooks/whatsapp?hub.mode=subscribe&hub.verify_token=${VERIFY}&hub.challenge=%3Cscript%3E`,
    );
    expect(script.status).toBe(400);
    expect(await script.text()).not.toContain('<script>');
  });

  it('stores an inbound text and delivers the bot reply to Graph', async () => {
    const from = '34600111222';
    const res = await postWebhook(app.url, text(from, 'wamid.in-1', 'hola'), SECRET);
    expect(res.status).toBe(200);

    const [sent] = await eventually(async () => {
      const d = graph.delivered(from);
      return d.length > 0 ? d : undefined;
    });
    const conversation = await conversationOf(from);
    const reply = await sentReply(conversation._id);
    expect(sent!.authorization).toBe(`Bearer ${TOKEN}`);
    expect(sent!.body).toMatchObject({
      messaging_product: 'whatsapp',
      to: from,
      type: 'text',
      text: { body: reply.text },
    });
    expect(reply.platformMessageId).toMatch(/^wamid\.fake-/);

    const inbound = await Message.findOne({ dedupeKey: 'whatsapp:wamid.in-1' }).lean();
    expect(inbound?.text).toBe('hola');
    const contact = await Contact.findById(conversation.contactId).lean();
    expect(contact?.name).toBe('Ana');
    expect(contact?.phones).toEqual([`+${from}`]);
  });

  it('rejects unsigned and wrongly signed notifications without storing anything', async () => {
    const before = await Message.countDocuments({ direction: 'in' });
    const payload = text('34600999000', 'wamid.forged', 'hi');

    const unsigned = await postWebhook(app.url, payload, null);
    expect(unsigned.status).toBe(401);
    const forged = await postWebhook(app.url, payload, 'not-the-secret');
    expect(forged.status).toBe(403);
    expect(await forged.json()).toMatchObject({ error: { code: 'forbidden' } });
    // Signed over a different body than the one sent.
    const raw = JSON.stringify(payload);
    const tampered = await fetch(`${app.url}/webhooks/whatsapp`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-hub-signature-256': (await import('../../../channels/whatsapp/signature.js')).signBody(
          SECRET,
          raw.replace('hi', 'ho'),
        ),
      },
      body: raw,
    });
    expect(tampered.status).toBe(403);

    expect(await Message.countDocuments({ direction: 'in' })).toBe(before);
    expect(await Conversation.countDocuments({ platformUserId: '34600999000' })).toBe(0);
  });

  it('stores and answers a redelivered message once', async () => {
    const from = '34600333444';
    const payload = text(from, 'wamid.dup-1', 'hello');
    expect((await postWebhook(app.url, payload, SECRET)).status).toBe(200);
    expect((await postWebhook(app.url, payload, SECRET)).status).toBe(200);
    await eventually(async () => graph.delivered(from).length >= 1);
    const conversation = await conversationOf(from);
    await eventually(() =>
      Message.findOne({ conversationId: conversation._id, direction: 'in', status: 'processed' }),
    );
    // Redelivered again after processing: still nothing new.
    expect((await postWebhook(app.url, payload, SECRET)).status).toBe(200);
    await new Promise((r) => setTimeout(r, 400));
    expect(
      await Message.countDocuments({ conversationId: conversation._id, direction: 'in' }),
    ).toBe(1);
    expect(
      await Message.countDocuments({ conversationId: conversation._id, direction: 'out' }),
    ).toBe(1);
    expect(graph.delivered(from)).toHaveLength(1);
  });

  it('retries a rate-limited send (429, then Graph code 130429) until it succeeds', async () => {
    const from = '34600555666';
    graph.script(
      { to: from, status: 429, headers: { 'retry-after': '0' }, body: { error: { code: 4 } } },
      {
        to: from,
        status: 400,
        body: { error: { message: '(#130429) Rate limit hit', code: 130429 } },
      },
    );
    await postWebhook(app.url, text(from, 'wamid.rl-1', 'hola'), SECRET);
    await eventually(async () => graph.delivered(from).length >= 1);
    const conversation = await conversationOf(from);
    const reply = await sentReply(conversation._id);
    expect(reply.attempts).toBe(3);
    expect(graph.requests.filter((r) => r.body.to === from)).toHaveLength(3);
  });

  it('marks a permanently failing send failed, with the Graph error for admins', async () => {
    const from = '34600777888';
    graph.script({
      to: from,
      status: 400,
      body: {
        error: {
          message: 'Message failed to send because more than 24 hours have passed',
          code: 131047,
        },
      },
    });
    await postWebhook(app.url, text(from, 'wamid.perm-1', 'hola'), SECRET);
    const conversation = await conversationOf(from);
    const failed = await eventually(() =>
      Message.findOne({
        conversationId: conversation._id,
        direction: 'out',
        status: 'failed',
      }).lean(),
    );
    expect(failed.error).toContain('131047');
    // Not retried: one request only.
    expect(graph.requests.filter((r) => r.body.to === from)).toHaveLength(1);
  });

  it('sends quick replies as reply buttons (≤3) and as a list (4–10)', async () => {
    const from = '34600121212';
    await postWebhook(app.url, text(from, 'wamid.qr-0', 'hola'), SECRET);
    await eventually(async () => graph.delivered(from).length >= 1);
    const conversation = await Conversation.findOne({ platformUserId: from });
    const { outbox } = app.charla.services;
    await outbox.send(conversation!, [
      {
        text: '¿Qué necesitas?',
        quickReplies: [
          { title: 'Hablar con una persona de soporte', payload: 'HUMAN' },
          { title: 'Precios', payload: 'PRICING' },
        ],
      },
    ]);
    await outbox.send(conversation!, [
      {
        text: 'Elige un tema',
        quickReplies: ['A', 'B', 'C', 'D', 'E'].map((t) => ({ title: `Tema ${t}`, payload: t })),
      },
    ]);
    const sent = await eventually(async () => {
      const d = graph.delivered(from);
      return d.length >= 3 ? d : undefined;
    });
    const buttons = sent.find(
      (r) => r.body.type === 'interactive' && JSON.stringify(r.body).includes('HUMAN'),
    );
    expect(buttons?.body.interactive).toEqual({
      type: 'button',
      body: { text: '¿Qué necesitas?' },
      action: {
        buttons: [
          { type: 'reply', reply: { id: 'HUMAN', title: 'Hablar con una pers…' } },
          { type: 'reply', reply: { id: 'PRICING', title: 'Precios' } },
        ],
      },
    });
    const list = sent.find((r) => JSON.stringify(r.body).includes('Tema E'));
    expect(list?.body.interactive).toMatchObject({
      type: 'list',
      body: { text: 'Elige un tema' },
      action: { sections: [{ rows: expect.arrayContaining([{ id: 'E', title: 'Tema E' }]) }] },
    });
    const rows = (list?.body.interactive as { action: { sections: Array<{ rows: unknown[] }> } })
      .action.sections[0]!.rows;
    expect(rows).toHaveLength(5);
  });

  it('turns button replies, media, locations and contacts into text and attachments', async () => {
    const from = '34600343434';
    const payload = whatsappWebhook({
      phoneId: PHONE_ID,
      from,
      messages: [
        {
          id: 'wamid.k-1',
          type: 'interactive',
          interactive: { type: 'button_reply', button_reply: { id: 'PRICING', title: 'Precios' } },
        },
        {
          id: 'wamid.k-2',
          type: 'image',
          image: { id: 'media-77', mime_type: 'image/jpeg', caption: 'mi factura' },
        },
        {
          id: 'wamid.k-3',
          type: 'location',
          location: { latitude: 40.4168, longitude: -3.7038, name: 'Sol' },
        },
        {
          id: 'wamid.k-4',
          type: 'contacts',
          contacts: [
            { name: { formatted_name: 'Luis Pérez' }, phones: [{ phone: '+34 600 000 001' }] },
          ],
        },
        { id: 'wamid.k-5', type: 'reaction', reaction: { message_id: 'x', emoji: '👍' } },
      ],
    });
    expect((await postWebhook(app.url, payload, SECRET)).status).toBe(200);
    const stored = await Message.find({ dedupeKey: /^whatsapp:wamid\.k-/ })
      .sort({ dedupeKey: 1 })
      .lean();
    expect(stored.map((m) => m.text)).toEqual([
      'PRICING',
      '[image] mi factura',
      '[location: Sol (40.4168, -3.7038)]',
      '[contact: Luis Pérez +34 600 000 001]',
    ]);
    expect(stored[1]!.attachments).toEqual([
      { kind: 'image', platformId: 'media-77', mimeType: 'image/jpeg' },
    ]);
    expect(stored[2]!.attachments?.[0]).toMatchObject({ kind: 'location', latitude: 40.4168 });
    expect(stored[3]!.attachments?.[0]).toMatchObject({
      kind: 'contact',
      contactName: 'Luis Pérez',
    });
  });

  it('acknowledges status updates without storing anything, and rejects malformed bodies', async () => {
    // Inbound only: replies to earlier tests may still be landing.
    const before = await Message.countDocuments({ direction: 'in' });
    const statuses = {
      object: 'whatsapp_business_account',
      entry: [
        {
          id: 'WABA-1',
          changes: [
            {
              field: 'messages',
              value: {
                messaging_product: 'whatsapp',
                metadata: { phone_number_id: PHONE_ID },
                statuses: [
                  { id: 'wamid.fake-1', status: 'delivered', recipient_id: '34600111222' },
                ],
              },
            },
          ],
        },
      ],
    };
    expect((await postWebhook(app.url, statuses, SECRET)).status).toBe(200);
    const malformed = await postWebhook(app.url, { object: 'whatsapp_business_account' }, SECRET);
    expect(malformed.status).toBe(400);
    expect(await malformed.json()).toMatchObject({ error: { code: 'invalid_payload' } });
    const notJson = await postWebhook(app.url, '{"object":', SECRET);
    expect(notJson.status).toBe(400);
    expect(await Message.countDocuments({ direction: 'in' })).toBe(before);
  });
});
