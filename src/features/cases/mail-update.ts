/**
 * Case updates by mail: when staff change a case's status, a customer who left an email (on the
 * case, else on their contact) gets a short letter in their language through the one mail
 * transport (SMTP_URL). A customer writing on the email channel already hears of the resolution
 * in their thread (notify.ts), so that one is not mailed twice. A mail that cannot be sent is
 * noted on the case's timeline; it never undoes the edit.
 */
import type { Logger } from 'pino';
import type { MailTransport } from '../../kernel/contracts/mail.js';
import type { Locale } from '../../kernel/contracts/messages.js';
import { findConversation } from '../../kernel/db/conversations.js';
import { Case, type CaseDoc } from '../../kernel/db/models/case.js';
import { Contact } from '../../kernel/db/models/contact.js';
import type { CaseStatus } from '../../kernel/vocabulary.js';

const WORDS = {
  es: {
    subject: (n: string) => `Tu caso ${n}`,
    label: { open: 'abierto', pending: 'pendiente', resolved: 'resuelto', closed: 'cerrado' },
    hello: (name?: string) => (name ? `Hola, ${name}:` : 'Hola:'),
    status: {
      open: (n: string) => `Hemos vuelto a abrir tu caso ${n}: seguimos con él.`,
      pending: (n: string) =>
        `Tu caso ${n} está pendiente: te escribiremos en cuanto tengamos novedades.`,
      resolved: (n: string) => `Tu caso ${n} se ha resuelto.`,
      closed: (n: string) => `Hemos cerrado tu caso ${n}.`,
    },
    subjectLine: (s: string) => `Asunto: ${s}`,
    more: 'Si necesitas algo más, responde a este correo.',
    bye: 'Un saludo,',
  },
  en: {
    subject: (n: string) => `Your case ${n}`,
    label: { open: 'open', pending: 'pending', resolved: 'resolved', closed: 'closed' },
    hello: (name?: string) => (name ? `Hello ${name},` : 'Hello,'),
    status: {
      open: (n: string) => `We have reopened your case ${n} and are working on it.`,
      pending: (n: string) => `Your case ${n} is pending: we will write as soon as we know more.`,
      resolved: (n: string) => `Your case ${n} has been resolved.`,
      closed: (n: string) => `We have closed your case ${n}.`,
    },
    subjectLine: (s: string) => `Subject: ${s}`,
    more: 'If you need anything else, just reply to this email.',
    bye: 'Kind regards,',
  },
} as const;

/** The case update letter (plain text: it carries nothing a customer typed but the subject). */
export function caseUpdateLetter(
  locale: Locale,
  c: { number: string; subject?: string | null },
  status: CaseStatus,
  signature: string,
  name?: string,
): { subject: string; text: string } {
  const w = WORDS[locale];
  const parts = [w.hello(name), w.status[status](c.number)];
  if (c.subject?.trim()) parts.push(w.subjectLine(c.subject.trim().slice(0, 200)));
  parts.push(w.more, `${w.bye}\n${signature}`);
  return { subject: `${w.subject(c.number)}: ${w.label[status]}`, text: parts.join('\n\n') };
}

export interface CaseMailDeps {
  mail?: MailTransport;
  defaultLocale: Locale;
  logger?: Logger;
}

const firstWord = (name: string | null | undefined) => {
  const w = name
    ?.replace(/[<>"@\r\n]/g, ' ')
    .trim()
    .split(/\s+/)[0];
  return w && w.length <= 40 ? w : undefined;
};

/** Mails the customer the case's new status; true when a mail went out. */
export async function mailCaseUpdate(
  deps: CaseMailDeps,
  c: CaseDoc,
  status: CaseStatus,
  now: Date,
): Promise<boolean> {
  if (!deps.mail) return false;
  const contact = c.contactId
    ? await Contact.findById(c.contactId, { emails: 1, locale: 1, name: 1 }).lean()
    : null;
  const to = c.email?.trim() || contact?.emails?.[0];
  if (!to) return false;
  const conversation = c.conversationId ? await findConversation(c.conversationId) : null;
  // On the email channel the resolution reaches the thread already (notify.ts).
  if (status === 'resolved' && conversation?.channel === 'email') return false;
  const locale =
    ((conversation?.locale ?? contact?.locale) as Locale | undefined) ?? deps.defaultLocale;
  const letter = caseUpdateLetter(locale, c, status, deps.mail.from.name, firstWord(contact?.name));
  let kind = 'customer_mailed';
  try {
    await deps.mail.send({ to, subject: letter.subject, text: letter.text });
  } catch (err) {
    kind = 'customer_mail_failed';
    // The relay's words may hold the address: only its reply code is logged.
    const code = (err as { responseCode?: number }).responseCode;
    deps.logger?.warn({ caseId: c._id.toHexString(), code }, 'case update mail not sent');
  }
  await Case.updateOne({ _id: c._id }, { $push: { timeline: { at: now, kind, to: status } } });
  return kind === 'customer_mailed';
}
