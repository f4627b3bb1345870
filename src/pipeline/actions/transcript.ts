/**
 * A conversation's transcript by mail, through the one mail transport (SMTP_URL): what the
 * customer, the bot and staff said — never staff's internal notes or system entries — oldest
 * first, as text and HTML (every message's text escaped), in the customer's language. Used by the
 * bot when a customer asks for it in chat (the send_transcript flow's completion, records.ts) and
 * by staff from the console (src/features/conversations/transcript-routes.ts).
 */
import type { Types } from 'mongoose';
import type { MailTransport } from '../../kernel/contracts/mail.js';
import type { Locale } from '../../kernel/contracts/messages.js';
import { Message } from '../../kernel/db/models/message.js';
import { escapeHtml } from '../../kernel/escaping/html.js';

/** The most messages a transcript carries (the latest ones). */
export const TRANSCRIPT_MAX_MESSAGES = 500;

const WORDS = {
  es: {
    subject: (brand: string) => `Tu conversación con ${brand}`,
    hello: (name?: string) => (name ? `Hola, ${name}:` : 'Hola:'),
    intro: (n: number) =>
      n === 1
        ? 'Aquí tienes la conversación que mantuvimos (1 mensaje, horas en UTC).'
        : `Aquí tienes la conversación que mantuvimos (${n} mensajes, horas en UTC).`,
    cut: (n: number) => `Solo van los últimos ${n} mensajes.`,
    you: 'Tú',
    attachment: 'adjunto',
    bye: 'Un saludo,',
  },
  en: {
    subject: (brand: string) => `Your conversation with ${brand}`,
    hello: (name?: string) => (name ? `Hello ${name},` : 'Hello,'),
    intro: (n: number) =>
      n === 1
        ? 'Here is our conversation (1 message, times in UTC).'
        : `Here is our conversation (${n} messages, times in UTC).`,
    cut: (n: number) => `Only the latest ${n} messages are included.`,
    you: 'You',
    attachment: 'attachment',
    bye: 'Kind regards,',
  },
} as const;

export interface TranscriptLine {
  at: Date;
  author: 'customer' | 'bot' | 'staff';
  /** The staff member's name, for their lines. */
  staffName?: string;
  text: string;
  attachments?: string[];
}

const stamp = (at: Date) => at.toISOString().slice(0, 16).replace('T', ' ');

/** The letter: plain text and HTML from the same lines. */
export function transcriptLetter(input: {
  locale: Locale;
  brand: string;
  name?: string;
  lines: TranscriptLine[];
  cut: boolean;
}): { subject: string; text: string; html: string } {
  const w = WORDS[input.locale];
  const who = (l: TranscriptLine) =>
    l.author === 'customer'
      ? w.you
      : l.author === 'staff'
        ? (l.staffName ?? input.brand)
        : input.brand;
  const body = (l: TranscriptLine) =>
    [l.text.trim(), ...(l.attachments ?? []).map((a) => `[${w.attachment}: ${a}]`)]
      .filter(Boolean)
      .join('\n');
  const head = [w.hello(input.name), w.intro(input.lines.length)];
  if (input.cut) head.push(w.cut(TRANSCRIPT_MAX_MESSAGES));
  const text = [
    ...head,
    input.lines.map((l) => `[${stamp(l.at)}] ${who(l)}:\n${body(l)}`).join('\n\n'),
    `${w.bye}\n${input.brand}`,
  ].join('\n\n');
  const para = (s: string) => `<p>${escapeHtml(s).replace(/\n/g, '<br>')}</p>`;
  const html = [
    '<!doctype html><html><body style="font-family: sans-serif; line-height: 1.4">',
    ...head.map(para),
    '<table style="border-collapse: collapse">',
    ...input.lines.map(
      (l) =>
        `<tr><td style="vertical-align: top; padding: 4px 8px; color: #666; white-space: nowrap">${escapeHtml(stamp(l.at))}</td>` +
        `<td style="vertical-align: top; padding: 4px 8px"><strong>${escapeHtml(who(l))}</strong><br>${escapeHtml(body(l)).replace(/\n/g, '<br>')}</td></tr>`,
    ),
    '</table>',
    para(`${w.bye}\n${input.brand}`),
    '</body></html>',
  ].join('\n');
  return { subject: w.subject(input.brand), text, html };
}

/** The conversation's lines a customer may read: no internal notes, no system entries. */
export async function transcriptLines(
  conversationId: Types.ObjectId,
): Promise<{ lines: TranscriptLine[]; cut: boolean }> {
  const docs = await Message.find(
    {
      conversationId,
      author: { $in: ['customer', 'bot', 'staff'] },
      internal: { $ne: true },
    },
    { author: 1, text: 1, attachments: 1, staff: 1, createdAt: 1 },
  )
    .sort({ createdAt: -1, _id: -1 })
    .limit(TRANSCRIPT_MAX_MESSAGES + 1)
    .lean();
  const cut = docs.length > TRANSCRIPT_MAX_MESSAGES;
  const lines = docs
    .slice(0, TRANSCRIPT_MAX_MESSAGES)
    .reverse()
    .map((m) => ({
      at: new Date(m.createdAt),
      author: m.author as TranscriptLine['author'],
      ...(m.author === 'staff' && m.staff?.name ? { staffName: m.staff.name } : {}),
      text: m.text ?? '',
      attachments: (m.attachments ?? []).map((a) => a.name || a.kind),
    }));
  return { lines, cut };
}

/** A first name to greet with, when it looks like one. */
export function greetingName(name: string | null | undefined): string | undefined {
  const w = name
    ?.replace(/[<>"@\r\n]/g, ' ')
    .trim()
    .split(/\s+/)[0];
  return w && w.length <= 40 ? w : undefined;
}

/**
 * Mails the transcript to `to`. `key` (a turn's message id) gives the mail a stable Message-ID,
 * so a replayed turn's second copy is recognisably the same mail. Rejects with MailSendError.
 */
export async function mailTranscript(
  mail: MailTransport,
  input: {
    conversationId: Types.ObjectId;
    to: string;
    locale: Locale;
    name?: string | null;
    key?: string;
  },
): Promise<{ messageId: string; messages: number }> {
  const { lines, cut } = await transcriptLines(input.conversationId);
  const letter = transcriptLetter({
    locale: input.locale,
    brand: mail.from.name,
    name: greetingName(input.name),
    lines,
    cut,
  });
  const sent = await mail.send({
    to: input.to,
    ...letter,
    ...(input.key ? { messageId: mail.messageIdFor(`transcript.${input.key}`) } : {}),
    headers: { 'Auto-Submitted': 'auto-generated' },
  });
  return { messageId: sent.messageId, messages: lines.length };
}
