import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTelegramAdapter } from '../../../channels/telegram/index.js';
import { inlineKeyboard, splitText } from '../../../channels/telegram/outbound.js';
import { loadConfig } from '../../../src/kernel/config/config.js';
import { createLogger } from '../../../src/kernel/logger.js';
import type { Realtime } from '../../../src/kernel/realtime.js';
import { Conversation } from '../../../src/kernel/db/models/conversation.js';
import { Message } from '../../../src/kernel/db/models/message.js';
import { eventually, conversationOf as conversationOfChannel } from '../../support/app.js';
import { BOT_TOKEN, telegramHarness, textUpdate, WEBHOOK_SECRET } from './harness.js';

const h = telegramHarness({ PUBLIC_URL: 'https://charla.example.org' });
let nextUser = 810_000;
const newUser = () => String((nextUser += 1));
let nextUpdate = 5_000;
const newUpdateId = () => (nextUpdate += 1);

const from = (userId: string) => ({
  id: Number(userId),
  is_bot: false,
  first_name: 'Luis',
  language_code: 'en',
});

/** Waits until the engine's replies to everything so far are delivered (or failed). */
async function settledConversation(userId: string) {
  const conv = await conversationOf(userId);
  await eventually(async () => {
    const out = await Message.find({ conversationId: conv._id, direction: 'out' }).lean();
    return out.length > 0 && out.every((m) => m.status !== 'pending');
  });
  return conv;
}

const conversationOf = (userId: string) =>
  conversationOfChannel('telegram', { platformUserId: userId });

beforeAll(async () => {
  await h.start();
});
afterAll(async () => {
  await h.stop();
});

describe('telegram adapter', () => {
  it('registers its webhook with the secret token when PUBLIC_URL is set', () => {
    const call = h.fake().calls.find((c) => c.method === 'setWebhook');
    expect(call?.body.url).toBe('https://charla.example.org/webhooks/telegram');
    expect(call?.body.secret_token).toBe(WEBHOOK_SECRET);
  });

  it('sends quick replies as an inline keyboard and splits over-long text', async () => {
    const userId = newUser();
    const res = await h.deliver({ id: `qr${userId}`, text: 'hello', userId });
    expect(res.status).toBe(200);
    const conv = await settledConversation(userId);
    const before = h.fake().sent.length;
    const long = `${'word '.repeat(900)}\n${'tail '.repeat(200)}`.trim();
    await h.app().charla.services.outbox.send(conv, [
      {
        text: long,
        quickReplies: [
          { title: 'Yes', payload: 'YES' },
          { title: 'No', payload: 'NO' },
          { title: 'Talk to a person', payload: 'x'.repeat(80) },
        ],
      },
    ]);
    const calls = await eventually(async () => {
      const mine = h
        .fake()
        .sent.slice(before)
        .filter((c) => c.body.chat_id === userId);
      return mine.length >= 2 ? mine : false;
    });
    expect(calls).toHaveLength(2);
    const oneLine = (t: string) => t.replace(/\s+/g, ' ');
    expect(oneLine(calls.map((c) => String(c.body.text)).join(' '))).toBe(oneLine(long));
    expect(calls[0]?.body.reply_markup).toBeUndefined();
    expect(calls[1]?.body.reply_markup).toEqual({
      inline_keyboard: [
        [
          { text: 'Yes', callback_data: 'YES' },
          { text: 'No', callback_data: 'NO' },
        ],
        // An 80-byte payload does not fit callback_data: the title goes back instead.
        [{ text: 'Talk to a person', callback_data: 'Talk to a person' }],
      ],
    });
    const stored = await eventually(async () =>
      Message.findOne({
        conversationId: conv._id,
        direction: 'out',
        text: long,
        status: 'sent',
      }).lean(),
    );
    expect(stored.platformMessageId).toBeTruthy();
  });

  it('turns a button press into an inbound message with its payload, once', async () => {
    const userId = newUser();
    const update = {
      update_id: newUpdateId(),
      callback_query: {
        id: `cbq-${userId}`,
        from: from(userId),
        chat_instance: '42',
        data: 'YES',
        message: { message_id: 77, date: 1, chat: { id: Number(userId), type: 'private' } },
      },
    };
    expect((await h.post(update, WEBHOOK_SECRET)).status).toBe(200);
    expect((await h.post(update, WEBHOOK_SECRET)).status).toBe(200);
    const conv = await conversationOf(userId);
    const inbound = await Message.find({ conversationId: conv._id, direction: 'in' }).lean();
    expect(inbound).toHaveLength(1);
    expect(inbound[0]?.text).toBe('YES');
    expect(conv.locale).toBe('en');
    const answered = h
      .fake()
      .calls.filter((c) => c.method === 'answerCallbackQuery')
      .map((c) => c.body.callback_query_id);
    expect(answered).toContain(`cbq-${userId}`);
  });

  it('stores photos, locations and contacts as attachments with placeholder text', async () => {
    const userId = newUser();
    const base = (messageId: number, extra: Record<string, unknown>) => ({
      update_id: newUpdateId(),
      message: {
        message_id: messageId,
        date: 1_700_000_000,
        from: from(userId),
        chat: { id: Number(userId), type: 'private' },
        ...extra,
      },
    });
    const photo = base(1, {
      photo: [
        { file_id: 'small', file_unique_id: 's', width: 90, height: 90 },
        { file_id: 'large', file_unique_id: 'l', width: 1280, height: 1280 },
      ],
      caption: 'my receipt',
    });
    const location = base(2, { location: { latitude: 40.4168, longitude: -3.7038 } });
    const contact = base(3, {
      contact: { phone_number: '+34600111222', first_name: 'Marta', last_name: 'Ruiz' },
    });
    for (const u of [photo, location, contact]) {
      expect((await h.post(u, WEBHOOK_SECRET)).status).toBe(200);
    }
    const conv = await conversationOf(userId);
    const inbound = await Message.find({ conversationId: conv._id, direction: 'in' })
      .sort({ createdAt: 1, _id: 1 })
      .lean();
    expect(inbound.map((m) => m.text)).toEqual([
      '[image] my receipt',
      '[location]',
      '[contact: Marta Ruiz]',
    ]);
    expect(inbound[0]?.attachments).toEqual([{ kind: 'image', platformId: 'large' }]);
    expect(inbound[1]?.attachments).toEqual([
      { kind: 'location', latitude: 40.4168, longitude: -3.7038 },
    ]);
    expect(inbound[2]?.attachments).toEqual([
      { kind: 'contact', contactName: 'Marta Ruiz', contactPhone: '+34600111222' },
    ]);
  });

  it('answers edits, bot messages and unknown updates 200 without storing them', async () => {
    const userId = newUser();
    const message = textUpdate({ id: 'abcdef01', text: 'edited text', userId }).message;
    const updates = [
      { update_id: newUpdateId(), edited_message: message },
      {
        update_id: newUpdateId(),
        message: { ...message, from: { ...message.from, is_bot: true } },
      },
      { update_id: newUpdateId(), my_chat_member: { chat: message.chat } },
      { update_id: newUpdateId(), message: { ...message, text: undefined } },
    ];
    for (const u of updates) {
      const res = await h.post(u, WEBHOOK_SECRET);
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ ok: true, result: 'ignored' });
    }
    expect(await Conversation.countDocuments({ channel: 'telegram', platformUserId: userId })).toBe(
      0,
    );
  });

  it('rejects a signed body that is not a Telegram update with a clear 400', async () => {
    const notJson = await h.post('{"update_id": ', WEBHOOK_SECRET);
    expect(notJson.status).toBe(400);
    expect(notJson.body).toMatchObject({ error: { code: 'invalid_json' } });
    const notUpdate = await h.post({ hello: 'world' }, WEBHOOK_SECRET);
    expect(notUpdate.status).toBe(400);
    expect(notUpdate.body).toMatchObject({ error: { code: 'invalid_update' } });
    const badMessage = await h.post({ update_id: 1, message: { text: 'x' } }, WEBHOOK_SECRET);
    expect(badMessage.status).toBe(400);
  });

  it('keeps the bot token out of stored delivery errors', async () => {
    const userId = newUser();
    // Replies to earlier tests must not take the injected failure.
    await eventually(async () => {
      const busy = await Message.countDocuments({
        $or: [
          { direction: 'out', status: 'pending' },
          { direction: 'in', status: 'received' },
        ],
      });
      return busy === 0;
    });
    h.failNext('permanent', 1);
    expect((await h.deliver({ id: `tk${userId}`, text: 'hola', userId })).status).toBe(200);
    const conv = await conversationOf(userId);
    const failed = await eventually(async () =>
      Message.findOne({ conversationId: conv._id, direction: 'out', status: 'failed' }).lean(),
    );
    expect(failed.error).toMatch(/^telegram 403: Forbidden/);
    expect(failed.error).not.toContain(BOT_TOKEN);
  });
});

describe('telegram helpers', () => {
  it('is off without its configuration', () => {
    const adapter = createTelegramAdapter({
      config: loadConfig({}),
      sink: { ingest: () => Promise.reject(new Error('unused')) },
      logger: createLogger('silent'),
      realtime: {} as Realtime,
    });
    expect(adapter).toBeUndefined();
  });

  it('greets a new chat: /start (with or without a deep link) is read as a hello', async () => {
    const userId = newUser();
    const res = await h.deliver({ id: `start${userId}`, text: '/start promo-42', userId });
    expect(res.status).toBe(200);
    const conv = await settledConversation(userId);
    const inbound = await Message.findOne({ conversationId: conv._id, direction: 'in' }).lean();
    expect(inbound?.text).toMatch(/^(Hola|Hello)$/);
    const nlu = await eventually(
      async () => (await Message.findOne({ _id: inbound?._id }).lean())?.nlu,
    );
    expect(nlu.intent).toBe('greeting');
  });

  it('splits text at line breaks or spaces, never losing characters', () => {
    const text = `${'a'.repeat(3000)}\n${'b'.repeat(3000)} ${'c'.repeat(10)}`;
    const parts = splitText(text);
    expect(parts).toEqual(['a'.repeat(3000), `${'b'.repeat(3000)} ${'c'.repeat(10)}`]);
    const unbroken = 'x'.repeat(9000);
    expect(splitText(unbroken).map((p) => p.length)).toEqual([4096, 4096, 808]);
  });

  it('lays buttons out two per row with payloads as callback data', () => {
    const rows = inlineKeyboard([
      { title: 'A', payload: 'a' },
      { title: 'B', payload: 'b' },
      { title: 'C', payload: 'ñ'.repeat(40) },
    ]);
    expect(rows).toEqual([
      [
        { text: 'A', callback_data: 'a' },
        { text: 'B', callback_data: 'b' },
      ],
      [{ text: 'C', callback_data: 'C' }],
    ]);
  });
});
