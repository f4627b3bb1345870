/**
 * Telegram Bot API updates → InboundMessage. Only the fields Charla uses are validated; anything
 * else in the update is kept in `raw`. Edits, channel posts, bots' own messages and update kinds
 * Charla does not handle are 'ignored' (answered 200 so Telegram stops redelivering them).
 */
import { z } from 'zod';
import type { Attachment, InboundMessage, Locale } from '../../src/kernel/contracts/messages.js';

const user = z.object({
  id: z.number().int(),
  is_bot: z.boolean().optional(),
  first_name: z.string().optional(),
  last_name: z.string().optional(),
  username: z.string().optional(),
  language_code: z.string().optional(),
});

const chat = z.object({ id: z.number().int(), type: z.string() });

const fileRef = z.object({
  file_id: z.string(),
  file_unique_id: z.string().optional(),
  mime_type: z.string().optional(),
  file_name: z.string().optional(),
});

const message = z.object({
  message_id: z.number().int(),
  date: z.number().optional(),
  from: user.optional(),
  chat,
  text: z.string().optional(),
  caption: z.string().optional(),
  photo: z.array(fileRef).optional(),
  voice: fileRef.optional(),
  audio: fileRef.optional(),
  video: fileRef.optional(),
  video_note: fileRef.optional(),
  animation: fileRef.optional(),
  document: fileRef.optional(),
  sticker: fileRef.extend({ emoji: z.string().optional() }).optional(),
  location: z.object({ latitude: z.number(), longitude: z.number() }).optional(),
  venue: z
    .object({
      location: z.object({ latitude: z.number(), longitude: z.number() }),
      title: z.string().optional(),
    })
    .optional(),
  contact: z
    .object({
      phone_number: z.string(),
      first_name: z.string().optional(),
      last_name: z.string().optional(),
    })
    .optional(),
});

const callbackQuery = z.object({
  id: z.string().min(1),
  from: user,
  data: z.string().optional(),
  message: z.object({ message_id: z.number().int(), chat }).optional(),
});

/** The envelope every update shares; the payload kinds Charla handles are checked below. */
export const telegramUpdate = z.looseObject({
  update_id: z.number().int(),
  message: message.optional(),
  callback_query: callbackQuery.optional(),
});
export type TelegramUpdate = z.infer<typeof telegramUpdate>;
type TelegramMessage = z.infer<typeof message>;

export type ParsedUpdate =
  | { kind: 'message'; inbound: InboundMessage; callbackQueryId?: string }
  | { kind: 'ignored'; reason: string };

function localeOf(languageCode: string | undefined): Locale | undefined {
  const lang = languageCode?.slice(0, 2).toLowerCase();
  return lang === 'es' || lang === 'en' ? lang : undefined;
}

function nameOf(u: z.infer<typeof user>): string | undefined {
  const name = [u.first_name, u.last_name].filter(Boolean).join(' ').trim();
  return name || u.username || undefined;
}

/** Media, locations and contacts become attachments; the text gets a readable placeholder. */
function contentOf(m: TelegramMessage): { text: string; attachments: Attachment[] } {
  const attachments: Attachment[] = [];
  const labels: string[] = [];
  const file = (kind: Attachment['kind'], label: string, f: z.infer<typeof fileRef>) => {
    attachments.push({
      kind,
      platformId: f.file_id,
      mimeType: f.mime_type,
      name: f.file_name,
    });
    labels.push(label);
  };
  // The largest photo size is the last one.
  const photo = m.photo?.at(-1);
  if (photo) file('image', '[image]', photo);
  if (m.voice) file('audio', '[audio]', m.voice);
  if (m.audio) file('audio', '[audio]', m.audio);
  if (m.video) file('video', '[video]', m.video);
  if (m.video_note) file('video', '[video]', m.video_note);
  if (m.animation) file('video', '[video]', m.animation);
  else if (m.document) file('file', '[file]', m.document);
  if (m.sticker) {
    file('sticker', m.sticker.emoji ? `[sticker ${m.sticker.emoji}]` : '[sticker]', m.sticker);
  }
  const location = m.venue?.location ?? m.location;
  if (location) {
    attachments.push({
      kind: 'location',
      latitude: location.latitude,
      longitude: location.longitude,
      name: m.venue?.title,
    });
    labels.push('[location]');
  }
  if (m.contact) {
    const contactName = [m.contact.first_name, m.contact.last_name].filter(Boolean).join(' ');
    attachments.push({
      kind: 'contact',
      contactName: contactName || undefined,
      contactPhone: m.contact.phone_number,
    });
    labels.push(contactName ? `[contact: ${contactName}]` : '[contact]');
  }
  const words = m.text ?? m.caption ?? '';
  const text = [...labels, words].filter((s) => s !== '').join(' ');
  return { text, attachments };
}

/** Maps one verified update; `raw` keeps the whole update for audit. */
export function parseUpdate(update: TelegramUpdate): ParsedUpdate {
  if (update.callback_query) {
    const q = update.callback_query;
    if (q.from.is_bot) return { kind: 'ignored', reason: 'from_bot' };
    if (q.data === undefined || q.data === '') return { kind: 'ignored', reason: 'no_data' };
    const chatId = q.message?.chat.id ?? q.from.id;
    return {
      kind: 'message',
      callbackQueryId: q.id,
      inbound: {
        channel: 'telegram',
        platformMessageId: `cb:${q.id}`,
        platformUserId: String(q.from.id),
        platformConversationId: String(chatId),
        text: q.data,
        senderName: nameOf(q.from),
        locale: localeOf(q.from.language_code),
        raw: update,
      },
    };
  }
  const m = update.message;
  if (!m) return { kind: 'ignored', reason: 'unsupported_update' };
  if (!m.from || m.from.is_bot) return { kind: 'ignored', reason: 'from_bot' };
  const content = contentOf(m);
  const { attachments } = content;
  const locale = localeOf(m.from.language_code);
  // Every Telegram chat opens with the client's /start command: it means "hello", so the bot
  // greets instead of not understanding a command.
  const text = /^\/start(@\w+)?(\s|$)/.test(content.text)
    ? locale === 'en'
      ? 'Hello'
      : 'Hola'
    : content.text;
  if (text === '' && attachments.length === 0) {
    return { kind: 'ignored', reason: 'unsupported_message' };
  }
  return {
    kind: 'message',
    inbound: {
      channel: 'telegram',
      // message_id is unique within a chat; a redelivered update carries the same pair.
      platformMessageId: `${m.chat.id}:${m.message_id}`,
      platformUserId: String(m.from.id),
      platformConversationId: String(m.chat.id),
      text,
      attachments: attachments.length > 0 ? attachments : undefined,
      senderName: nameOf(m.from),
      locale,
      receivedAt: m.date ? new Date(m.date * 1000) : undefined,
      raw: update,
    },
  };
}
