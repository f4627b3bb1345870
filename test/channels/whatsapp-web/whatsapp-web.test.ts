/**
 * whatsapp-web.js adapter with a fake client (no browser) in a real Charla: QR exposure to admins,
 * inbound → stored → reply through the client, redelivered events, numbered quick replies, and
 * send failures retried by the outbound queue until sent or marked failed.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createWhatsAppWebAdapter,
  whatsappWebAdapter,
} from '../../../channels/whatsapp-web/index.js';
import { loadConfig } from '../../../src/kernel/config/config.js';
import { createLogger } from '../../../src/kernel/logger.js';
import { Contact } from '../../../src/kernel/db/models/contact.js';
import { Message } from '../../../src/kernel/db/models/message.js';
import { OUTBOUND_ATTEMPTS } from '../../../src/pipeline/queues/outbound.js';
import {
  createFakeWhatsAppWebClient,
  incoming,
  type FakeWhatsAppWebClient,
} from '../../fakes/whatsapp-web-client.js';
import {
  eventually,
  startTestApp,
  type TestApp,
  sentReply,
  conversationOf as conversationOfChannel,
} from '../../support/app.js';

describe('whatsapp-web.js adapter', () => {
  let app: TestApp;
  let fake: FakeWhatsAppWebClient | undefined;
  const config = loadConfig({ WHATSAPP_WEB: '1', DATA_DIR: '/tmp/charla-wweb-test' });

  beforeAll(async () => {
    // The adapter is injected (fake client), so WHATSAPP_WEB stays unset for the registry.
    const adapter = createWhatsAppWebAdapter(
      config.channels.whatsappWeb!,
      {
        // The app's ingest exists once the app is up; the fake emits nothing before that.
        sink: { ingest: (m) => app.charla.services.ingest.ingest(m) },
        logger: createLogger('silent'),
        realtime: undefined as never,
      },
      {
        clientFactory: (opts) => (fake = createFakeWhatsAppWebClient(opts)),
        reconnectMs: 10,
      },
    );
    app = await startTestApp({}, { extraAdapters: [adapter] });
  });
  afterAll(async () => app?.stop());

  const client = () => fake!;
  const conversationOf = (chatId: string) =>
    conversationOfChannel('whatsapp-web', { platformConversationId: chatId });

  it('builds the client with LocalAuth under DATA_DIR and the configured Chromium', () => {
    expect(client().options).toEqual({
      authDir: '/tmp/charla-wweb-test/whatsapp-web',
      chromiumPath: '/usr/bin/chromium',
    });
    expect(client().initialized).toBe(1);
  });

  it('shows the login QR to admins only, and drops it once the session is ready', async () => {
    client().emit('qr', 'qr-login-secret');
    const anonymous = await fetch(`${app.url}/api/whatsapp-web/qr`);
    expect(anonymous.status).toBe(401);
    const waiting = await fetch(`${app.url}/api/whatsapp-web/qr`, { headers: app.admin });
    expect(await waiting.json()).toEqual({ status: 'qr', qr: 'qr-login-secret' });

    client().emit('ready');
    const ready = await fetch(`${app.url}/api/whatsapp-web/qr`, { headers: app.admin });
    expect(await ready.json()).toEqual({ status: 'ready' });
  });

  it('stores an incoming message and sends the bot reply through the client', async () => {
    const chat = '34611222333@c.us';
    client().emit('message', incoming({ id: 'M1', from: chat, body: 'hola' }));
    const conversation = await conversationOf(chat);
    const reply = await sentReply(conversation._id);
    const sent = client().sent.filter((s) => s.chatId === chat);
    expect(sent).toEqual([{ chatId: chat, text: reply.text, id: reply.platformMessageId }]);

    const inbound = await Message.findOne({
      conversationId: conversation._id,
      direction: 'in',
    }).lean();
    expect(inbound?.text).toBe('hola');
    expect(inbound?.dedupeKey).toBe(`whatsapp-web:false_${chat}_M1`);
    const contact = await Contact.findById(conversation.contactId).lean();
    expect(contact?.name).toBe('Marta');
    expect(contact?.phones).toEqual(['+34611222333']);
  });

  it('stores and answers a message delivered twice once', async () => {
    const chat = '34611444555@c.us';
    const message = incoming({ id: 'DUP', from: chat, body: 'hello' });
    client().emit('message', message);
    client().emit('message', message);
    const conversation = await conversationOf(chat);
    await eventually(() =>
      Message.findOne({ conversationId: conversation._id, direction: 'out', status: 'sent' }),
    );
    client().emit('message', message);
    await new Promise((r) => setTimeout(r, 400));
    expect(
      await Message.countDocuments({ conversationId: conversation._id, direction: 'in' }),
    ).toBe(1);
    expect(
      await Message.countDocuments({ conversationId: conversation._id, direction: 'out' }),
    ).toBe(1);
    expect(client().sent.filter((s) => s.chatId === chat)).toHaveLength(1);
  });

  it('ignores its own messages, status broadcasts and groups', async () => {
    const before = await Message.countDocuments({ channel: 'whatsapp-web', direction: 'in' });
    client().emit(
      'message',
      incoming({ id: 'OWN', from: '34611000001@c.us', fromMe: true, body: 'x' }),
    );
    client().emit(
      'message',
      incoming({ id: 'ST', from: 'status@broadcast', isStatus: true, body: 'x' }),
    );
    client().emit('message', incoming({ id: 'GR', from: '1203630@g.us', body: 'x' }));
    // A message after them: once it is stored, the ignored ones were handled before it.
    client().emit('message', incoming({ id: 'AFTER', from: '34611000002@c.us', body: 'hola' }));
    await eventually(() =>
      Message.findOne({ dedupeKey: 'whatsapp-web:false_34611000002@c.us_AFTER' }),
    );
    expect(await Message.countDocuments({ channel: 'whatsapp-web', direction: 'in' })).toBe(
      before + 1,
    );
  });

  it('offers quick replies as a numbered list and maps "2" back to its payload', async () => {
    const chat = '34611666777@c.us';
    client().emit('message', incoming({ id: 'Q0', from: chat, body: 'hola' }));
    const conversation = await conversationOf(chat);
    await eventually(async () => client().sent.some((s) => s.chatId === chat));
    await app.charla.services.outbox.send(conversation, [
      {
        text: '¿En qué te ayudo?',
        quickReplies: [
          { title: 'Precios', payload: 'PRICING' },
          { title: 'Hablar con una persona', payload: 'HUMAN' },
        ],
      },
    ]);
    const menu = await eventually(async () =>
      client().sent.find((s) => s.chatId === chat && s.text.startsWith('¿En qué')),
    );
    expect(menu.text).toBe('¿En qué te ayudo?\n\n1. Precios\n2. Hablar con una persona');

    client().emit('message', incoming({ id: 'Q1', from: chat, body: '2' }));
    const picked = await eventually(() =>
      Message.findOne({ dedupeKey: `whatsapp-web:false_${chat}_Q1` }).lean(),
    );
    expect(picked.text).toBe('HUMAN');
  });

  it('stores media, locations and contact cards as attachments with placeholder text', async () => {
    const chat = '34611888999@c.us';
    client().emit(
      'message',
      incoming({
        id: 'IMG',
        from: chat,
        type: 'image',
        body: 'mi ticket',
        hasMedia: true,
        _data: { notifyName: 'Marta', mimetype: 'image/jpeg' },
      }),
    );
    client().emit(
      'message',
      incoming({
        id: 'LOC',
        from: chat,
        type: 'location',
        location: { latitude: '41.3874', longitude: '2.1686', description: 'Plaça Catalunya' },
      }),
    );
    client().emit(
      'message',
      incoming({
        id: 'VC',
        from: chat,
        type: 'vcard',
        vCards: [
          'BEGIN:VCARD\nVERSION:3.0\nFN:Jordi Puig\nTEL;type=CELL:+34 611 000 111\nEND:VCARD',
        ],
      }),
    );
    const stored = await eventually(async () => {
      const docs = await Message.find({
        dedupeKey: new RegExp(`^whatsapp-web:false_${chat}_`),
      }).lean();
      return docs.length === 3 ? docs : undefined;
    });
    const byKey = (k: string) => stored.find((d) => d.dedupeKey.endsWith(`_${k}`))!;
    expect(byKey('IMG').text).toBe('[image] mi ticket');
    expect(byKey('IMG').attachments?.[0]).toMatchObject({ kind: 'image', mimeType: 'image/jpeg' });
    expect(byKey('LOC').text).toBe('[location: Plaça Catalunya (41.3874, 2.1686)]');
    expect(byKey('VC').attachments?.[0]).toMatchObject({
      kind: 'contact',
      contactName: 'Jordi Puig',
      contactPhone: '+34 611 000 111',
    });
  });

  it('retries failed sends until one succeeds', async () => {
    const chat = '34622000111@c.us';
    client().failNext(
      chat,
      new Error('Evaluation failed: Session closed'),
      new Error('Protocol error'),
    );
    client().emit('message', incoming({ id: 'R1', from: chat, body: 'hola' }));
    const conversation = await conversationOf(chat);
    const reply = await sentReply(conversation._id);
    expect(reply.attempts).toBe(3);
    expect(client().sendCalls.filter((c) => c === chat)).toHaveLength(3);
  });

  it('marks a message failed when sending keeps failing, or the chat does not exist', async () => {
    const chat = '34622000222@c.us';
    client().failNext(
      chat,
      ...Array.from({ length: OUTBOUND_ATTEMPTS }, () => new Error('Evaluation failed')),
    );
    client().emit('message', incoming({ id: 'F1', from: chat, body: 'hola' }));
    const conversation = await conversationOf(chat);
    const failed = await eventually(
      () =>
        Message.findOne({
          conversationId: conversation._id,
          direction: 'out',
          status: 'failed',
        }).lean(),
      20_000,
    );
    expect(client().sendCalls.filter((c) => c === chat)).toHaveLength(OUTBOUND_ATTEMPTS);
    expect(failed.error).toMatch(/whatsapp-web send failed/);
    expect(failed.error).not.toContain('34622000222');

    const lost = '34622000333@c.us';
    client().failNext(lost, new Error(`wid error: invalid wid ${lost}`));
    client().emit('message', incoming({ id: 'F2', from: lost, body: 'hola' }));
    const other = await conversationOf(lost);
    const gone = await eventually(() =>
      Message.findOne({ conversationId: other._id, direction: 'out', status: 'failed' }).lean(),
    );
    expect(gone.error).toContain('chat not found');
    // Not retried: one call only.
    expect(client().sendCalls.filter((c) => c === lost)).toHaveLength(1);
  });

  it('re-initialises the client after a disconnect and holds sends until ready', async () => {
    const initialized = client().initialized;
    client().emit('disconnected', 'NAVIGATION');
    await eventually(async () => client().initialized > initialized);
    expect(client().destroyed).toBeGreaterThanOrEqual(1);
    const status = await fetch(`${app.url}/api/whatsapp-web/qr`, { headers: app.admin });
    expect(await status.json()).toEqual({ status: 'starting' });
    client().emit('ready');
  });
});

describe('whatsapp-web.js registry entry', () => {
  const deps = (env: Record<string, string>) => ({
    config: loadConfig(env),
    sink: { ingest: async () => Promise.reject(new Error('unused')) },
    logger: createLogger('silent'),
    realtime: undefined as never,
  });

  it('is off without WHATSAPP_WEB=1 and in a ROLE=web process, on with the workers', () => {
    expect(whatsappWebAdapter(deps({}))).toBeUndefined();
    expect(whatsappWebAdapter(deps({ WHATSAPP_WEB: '1', ROLE: 'web' }))).toBeUndefined();
    // Building the adapter does not launch the browser: that happens in start().
    expect(whatsappWebAdapter(deps({ WHATSAPP_WEB: '1', ROLE: 'worker' }))?.id).toBe(
      'whatsapp-web',
    );
  });
});
