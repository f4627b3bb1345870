/**
 * Telegram adapter (telegraf). Inbound: POST /webhooks/telegram, authenticated by the
 * X-Telegram-Bot-Api-Secret-Token header Telegram sends when the webhook was set with
 * `secret_token`. Outbound: sendMessage through the Bot API at TELEGRAM_API_ROOT; quick replies
 * become an inline keyboard whose presses (callback queries) come back as inbound messages.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Telegraf } from 'telegraf';
import type {
  AdapterDeps,
  AdapterFactory,
  ChannelAdapter,
  SendResult,
} from '../../src/kernel/contracts/channel-adapter.js';
import type { OutboundMessage } from '../../src/kernel/contracts/messages.js';
import { forbidden, invalid, unauthenticated } from '../../src/kernel/errors.js';
import { inlineKeyboard, splitText, TELEGRAM_MAX_TEXT, toSendError } from './outbound.js';
import { parseUpdate, telegramUpdate } from './updates.js';

export const TELEGRAM_WEBHOOK_PATH = '/webhooks/telegram';
const SECRET_HEADER = 'x-telegram-bot-api-secret-token';

/** Compares secrets in constant time (hashing first hides the length too). */
function sameSecret(given: string, expected: string): boolean {
  const a = createHash('sha256').update(given).digest();
  const b = createHash('sha256').update(expected).digest();
  return timingSafeEqual(a, b);
}

export const createTelegramAdapter: AdapterFactory = (deps: AdapterDeps) => {
  const config = deps.config.channels.telegram;
  if (!config) return undefined;
  const logger = deps.logger.child({ channel: 'telegram' });
  // One client per adapter; webhookReply off so every call is a real, checked API request.
  const bot = new Telegraf(config.botToken, {
    telegram: { apiRoot: config.apiRoot, webhookReply: false },
  });

  async function handleWebhook(req: FastifyRequest, reply: FastifyReply) {
    const secret = req.headers[SECRET_HEADER];
    if (typeof secret !== 'string' || secret === '') {
      throw unauthenticated('unauthorized', 'The Telegram secret token header is missing.');
    }
    if (!sameSecret(secret, config!.webhookSecret)) {
      throw forbidden('forbidden', 'The Telegram secret token is not valid.');
    }
    const parsed = telegramUpdate.safeParse(req.body);
    if (!parsed.success) {
      throw invalid('invalid_update', 'The body is not a Telegram update.');
    }
    const update = parseUpdate(parsed.data);
    if (update.kind === 'ignored') {
      logger.debug({ updateId: parsed.data.update_id, reason: update.reason }, 'update ignored');
      return reply.status(200).send({ ok: true, result: 'ignored' });
    }
    // Acknowledge only once stored and queued: an error becomes a 5xx and Telegram redelivers.
    const result = await deps.sink.ingest(update.inbound);
    if (update.callbackQueryId) {
      // Stops the button's loading spinner; the press itself is already stored.
      await bot.telegram.answerCbQuery(update.callbackQueryId).catch((err: unknown) => {
        logger.warn(
          { err: toSendError(err, config!.botToken).message },
          'answerCallbackQuery failed',
        );
      });
    }
    return reply.status(200).send({ ok: true, result: result.duplicate ? 'duplicate' : 'stored' });
  }

  const adapter: ChannelAdapter = {
    id: 'telegram',
    capabilities: { buttons: true, media: true, typing: true, maxTextLength: TELEGRAM_MAX_TEXT },
    // A bot may write to a chat that started it, at any time (until the user blocks it).
    outreach: {},

    mount(server) {
      server.post(TELEGRAM_WEBHOOK_PATH, handleWebhook);
    },

    async start() {
      const publicUrl = deps.config.publicUrl;
      if (!publicUrl) {
        logger.info('PUBLIC_URL not set: register the Telegram webhook yourself (setWebhook)');
        return;
      }
      // Registering is idempotent; a failure leaves the previous registration in place.
      await bot.telegram
        .setWebhook(new URL(TELEGRAM_WEBHOOK_PATH, publicUrl).toString(), {
          secret_token: config.webhookSecret,
          allowed_updates: ['message', 'callback_query'],
        })
        .then(() => logger.info('telegram webhook registered'))
        .catch((err: unknown) =>
          logger.warn({ err: toSendError(err, config.botToken).message }, 'setWebhook failed'),
        );
    },

    async send(message: OutboundMessage): Promise<SendResult> {
      const parts = splitText(message.text);
      const keyboard = message.quickReplies?.length
        ? { reply_markup: { inline_keyboard: inlineKeyboard(message.quickReplies) } }
        : {};
      let lastId: number | undefined;
      try {
        for (const [i, part] of parts.entries()) {
          const sent = await bot.telegram.sendMessage(
            message.platformConversationId,
            part,
            i === parts.length - 1 ? keyboard : {},
          );
          lastId = sent.message_id;
        }
      } catch (err) {
        throw toSendError(err, config.botToken);
      }
      return { platformMessageId: lastId === undefined ? undefined : String(lastId) };
    },
  };
  return adapter;
};
