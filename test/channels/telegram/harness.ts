/**
 * Telegram test harness: the fake Bot API on 127.0.0.1, a real Charla whose telegraf client points
 * at it (TELEGRAM_API_ROOT), and signed webhook deliveries (the secret token header).
 */
import type { ChannelHarness, DeliverOptions } from '../conformance.js';
import { startFakeTelegramApi, type FakeTelegramApi } from '../../fakes/telegram-api.js';
import { startTestApp, type TestApp } from '../../support/app.js';

export const BOT_TOKEN = '123456:test-bot-token';
export const WEBHOOK_SECRET = 'telegram-webhook-secret';

export interface TelegramHarness extends ChannelHarness {
  fake(): FakeTelegramApi;
  /** Posts any update body; `secret` undefined sends no header. */
  post(update: unknown, secret?: string): Promise<{ status: number; body: unknown }>;
}

/** A numeric id derived from a string id, stable across redeliveries. */
export const numericId = (id: string) =>
  parseInt(id.replace(/[^0-9a-f]/gi, '').slice(0, 10), 16) || 1;

export function textUpdate(opts: { id: string; text: string; userId: string }) {
  const from = {
    id: Number(opts.userId),
    is_bot: false,
    first_name: 'Ana',
    last_name: 'Test',
    language_code: 'es',
  };
  return {
    update_id: numericId(opts.id),
    message: {
      message_id: numericId(opts.id),
      date: Math.floor(Date.now() / 1000),
      from,
      chat: { id: from.id, type: 'private', first_name: 'Ana' },
      text: opts.text,
    },
  };
}

export function telegramHarness(env: Record<string, string> = {}): TelegramHarness {
  let fake: FakeTelegramApi | undefined;
  let app: TestApp | undefined;
  let users = 0;

  const post = async (update: unknown, secret?: string) => {
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (secret !== undefined) headers['x-telegram-bot-api-secret-token'] = secret;
    const res = await fetch(`${app!.url}/webhooks/telegram`, {
      method: 'POST',
      headers,
      body: typeof update === 'string' ? update : JSON.stringify(update),
    });
    const text = await res.text();
    let body: unknown = text;
    try {
      body = JSON.parse(text);
    } catch {
      // not JSON: keep the text
    }
    return { status: res.status, body };
  };

  return {
    channel: 'telegram',
    async start() {
      fake = await startFakeTelegramApi(BOT_TOKEN);
      app = await startTestApp({
        TELEGRAM_BOT_TOKEN: BOT_TOKEN,
        TELEGRAM_WEBHOOK_SECRET: WEBHOOK_SECRET,
        TELEGRAM_API_ROOT: fake.url,
        ...env,
      });
    },
    async stop() {
      await app?.stop();
      await fake?.close();
    },
    deliver(opts: DeliverOptions) {
      users += 1;
      const userId = opts.userId ?? String(700_000 + users);
      const update = textUpdate({ id: opts.id, text: opts.text, userId });
      const signed = opts.signed ?? true;
      const secret = !signed ? undefined : opts.badSignature ? 'not-the-secret' : WEBHOOK_SECRET;
      return post(update, secret);
    },
    sent() {
      return (fake?.sent ?? []).map((c) => ({
        text: String(c.body.text),
        to: String(c.body.chat_id),
        raw: c.body,
      }));
    },
    failNext(kind, count) {
      fake!.failNext(kind, count);
    },
    app: () => app!,
    fake: () => fake!,
    post,
  };
}
