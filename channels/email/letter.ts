/**
 * A reply as a letter: a greeting line, the reply, the bot's quick replies as a short numbered
 * list, a sign-off, in the conversation's language; the same words as plain text and as HTML
 * (customer and bot text escaped). Subjects get one "Re:" and the conversation's reference token.
 */
import type { Locale, QuickReply } from '../../src/kernel/contracts/messages.js';

const WORDS = {
  es: {
    hello: (name?: string) => (name ? `Hola, ${name}:` : 'Hola:'),
    choose: 'Puede responder a este correo con el número o el nombre de una opción:',
    bye: 'Un saludo,',
  },
  en: {
    hello: (name?: string) => (name ? `Hello ${name},` : 'Hello,'),
    choose: 'You can reply to this email with the number or the name of an option:',
    bye: 'Kind regards,',
  },
} as const;

export interface LetterInput {
  text: string;
  quickReplies?: QuickReply[];
  locale: Locale;
  /** The customer's first name, when known. */
  name?: string;
  /** Who signs: the team (EMAIL_FROM_NAME). */
  signature: string;
}

const escapeHtml = (s: string) =>
  s
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');

/** A display name's first word, without characters that have no place in a greeting. */
export function firstName(name: string | undefined): string | undefined {
  const first = name
    ?.replace(/[<>"@\r\n]/g, ' ')
    .trim()
    .split(/\s+/)[0];
  return first && first.length <= 40 ? first : undefined;
}

export function composeLetter(input: LetterInput): { text: string; html: string } {
  const w = WORDS[input.locale];
  const options = (input.quickReplies ?? []).map((q, i) => `${i + 1}. ${q.title || q.payload}`);
  const body = input.text.trim();
  const textParts = [w.hello(firstName(input.name)), body];
  if (options.length > 0) textParts.push(`${w.choose}\n${options.join('\n')}`);
  textParts.push(`${w.bye}\n${input.signature}`);
  const text = textParts.join('\n\n');

  const paragraphs = body
    .split(/\n{2,}/)
    .map((p) => `<p>${escapeHtml(p).replace(/\n/g, '<br>')}</p>`)
    .join('\n');
  const list =
    options.length > 0
      ? `<p>${escapeHtml(w.choose)}</p>\n<ol>${(input.quickReplies ?? [])
          .map((q) => `<li>${escapeHtml(q.title || q.payload)}</li>`)
          .join('')}</ol>`
      : '';
  const html = [
    '<!doctype html><html><body style="font-family: sans-serif; line-height: 1.4">',
    `<p>${escapeHtml(w.hello(firstName(input.name)))}</p>`,
    paragraphs,
    list,
    `<p>${escapeHtml(w.bye)}<br>${escapeHtml(input.signature)}</p>`,
    '</body></html>',
  ]
    .filter((s) => s !== '')
    .join('\n');
  return { text, html };
}

const TOKEN_IN_SUBJECT = /\[#([0-9a-f]{24})\]/i;

/** `Re: <subject> [#token]`: one "Re:", the token once. */
export function replySubject(subject: string | undefined, token: string, locale: Locale): string {
  const base = (subject ?? '')
    .replace(TOKEN_IN_SUBJECT, '')
    .replace(/^\s*((re|aw|sv|fwd?|rv|res)\s*:\s*)+/i, '')
    .trim();
  const fallback = locale === 'es' ? 'Su consulta' : 'Your message';
  return `Re: ${base || fallback} [#${token}]`;
}

/** The conversation token a subject carries, if any. */
export function subjectToken(subject: string | undefined): string | undefined {
  return subject ? TOKEN_IN_SUBJECT.exec(subject)?.[1]?.toLowerCase() : undefined;
}
