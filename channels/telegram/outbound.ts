/**
 * OutboundMessage → Telegram sendMessage calls, and Telegram errors → ChannelSendError so the
 * outbound worker knows whether (and when) to retry.
 */
import { TelegramError } from 'telegraf';
import { ChannelSendError } from '../../src/kernel/contracts/channel-adapter.js';
import type { QuickReply } from '../../src/kernel/contracts/messages.js';

/** Telegram's limit for one text message. */
export const TELEGRAM_MAX_TEXT = 4096;
/** Telegram's limit for callback_data, in bytes. */
const MAX_CALLBACK_BYTES = 64;
const BUTTONS_PER_ROW = 2;

export interface InlineButton {
  text: string;
  callback_data: string;
}

function fitBytes(s: string, max: number): string {
  let out = '';
  for (const ch of s) {
    if (Buffer.byteLength(out + ch) > max) break;
    out += ch;
  }
  return out;
}

/**
 * Quick replies as an inline keyboard. The payload travels as callback_data; one longer than
 * Telegram's 64 bytes cannot, so its title is sent back instead (the engine then reads the press
 * as if the customer had typed the title).
 */
export function inlineKeyboard(quickReplies: QuickReply[]): InlineButton[][] {
  const buttons = quickReplies.map((q) => ({
    text: q.title || q.payload,
    callback_data:
      Buffer.byteLength(q.payload) <= MAX_CALLBACK_BYTES
        ? q.payload
        : fitBytes(q.title || q.payload, MAX_CALLBACK_BYTES),
  }));
  const rows: InlineButton[][] = [];
  for (let i = 0; i < buttons.length; i += BUTTONS_PER_ROW) {
    rows.push(buttons.slice(i, i + BUTTONS_PER_ROW));
  }
  return rows;
}

/** Splits text longer than Telegram allows, preferring line breaks, then spaces. */
export function splitText(text: string, max = TELEGRAM_MAX_TEXT): string[] {
  const parts: string[] = [];
  let rest = text;
  while (rest.length > max) {
    const window = rest.slice(0, max);
    let cut = window.lastIndexOf('\n');
    if (cut < max / 2) cut = window.lastIndexOf(' ');
    if (cut < max / 2) cut = max;
    parts.push(rest.slice(0, cut).trimEnd());
    rest = rest.slice(cut).trimStart();
  }
  parts.push(rest);
  return parts;
}

/** Removes the bot token from an error text (network errors can carry the request URL). */
function scrub(message: string, token: string): string {
  return token ? message.split(token).join('<token>') : message;
}

/** 429 → retry after Telegram's retry_after; 5xx/network → retry; other 4xx → give up. */
export function toSendError(err: unknown, token: string): ChannelSendError {
  if (err instanceof ChannelSendError) return err;
  if (err instanceof TelegramError) {
    const message = scrub(`telegram ${err.code}: ${err.description}`, token);
    if (err.code === 429) {
      const seconds = err.parameters?.retry_after ?? 1;
      return new ChannelSendError(message, {
        retryable: true,
        retryAfterMs: seconds * 1000,
        status: 429,
      });
    }
    return new ChannelSendError(message, { retryable: err.code >= 500, status: err.code });
  }
  const text = err instanceof Error ? err.message : String(err);
  return new ChannelSendError(scrub(`telegram request failed: ${text}`, token), {
    retryable: true,
  });
}
