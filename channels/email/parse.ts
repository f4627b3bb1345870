/**
 * An inbound mail, parsed (mailparser) into what the channel needs: sender, ids for threading,
 * the customer's own words (HTML turned to text, quoted history and signature cut off), the
 * attachments, and whether a machine wrote it (auto-reply, bounce, list, loop).
 */
import { createHash } from 'node:crypto';
import { convert } from 'html-to-text';
import { simpleParser, type AddressObject, type ParsedMail } from 'mailparser';
import type { MailEventKind } from './store.js';

export interface ParsedInbound {
  /** Message-ID without brackets, lower-case; a hash of the mail when it has none. */
  id: string;
  from: string | undefined;
  fromName: string | undefined;
  subject: string | undefined;
  /** In-Reply-To then References, newest first, without brackets. */
  thread: string[];
  /** The customer's words: quoted history and signature removed. */
  text: string;
  /** True when quoting or a signature was cut (the original is kept as an attachment). */
  stripped: boolean;
  attachments: Array<{ name: string; contentType: string; content: Buffer; inline: boolean }>;
  /** Set when a machine wrote it: recorded, not answered. */
  machine: { kind: MailEventKind; reason: string } | undefined;
  /** A delivery report's failure: the Message-ID it reports on and why. */
  bounce: { originalId: string | undefined; reason: string; permanent: boolean } | undefined;
  headers: ParsedMail['headers'];
}

export const bare = (id: string) => id.trim().replace(/^<|>$/g, '').toLowerCase();

function idsOf(value: string | string[] | undefined): string[] {
  const all = (Array.isArray(value) ? value : value ? [value] : []).flatMap(
    (v) => v.match(/<[^<>\s]+>/g) ?? [v],
  );
  return all.map(bare).filter((v) => v !== '');
}

const QUOTE_HEADS = [
  /^on\b.{0,300}\bwrote:\s*$/i,
  /^el\b.{0,300}\bescribi[óo]:\s*$/i,
  /^-{2,}\s*(original message|mensaje original|forwarded message|mensaje reenviado)\s*-{2,}/i,
  /^_{10,}\s*$/,
];
const OUTLOOK_HEAD = /^(from|de):\s.+/i;
const OUTLOOK_NEXT = /^(sent|date|enviado|fecha|to|para|subject|asunto):\s/i;
const SIGNATURE = [
  /^--\s?$/,
  /^(sent from my|enviado desde mi|get outlook for|obtener outlook para)\b/i,
];

/** The text above the first quoted-history header, without `>` lines or the signature. */
export function ownWords(text: string): { text: string; stripped: boolean } {
  const lines = text.replace(/\r\n/g, '\n').split('\n');
  let end = lines.length;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.trim();
    const joined = `${line} ${(lines[i + 1] ?? '').trim()}`;
    const outlook = OUTLOOK_HEAD.test(line) && OUTLOOK_NEXT.test((lines[i + 1] ?? '').trim());
    if (
      QUOTE_HEADS.some((re) => re.test(line)) ||
      (/^on\b/i.test(line) && QUOTE_HEADS[0]!.test(joined)) ||
      (/^el\b/i.test(line) && QUOTE_HEADS[1]!.test(joined)) ||
      outlook ||
      SIGNATURE.some((re) => re.test(line))
    ) {
      end = i;
      break;
    }
  }
  const kept = lines.slice(0, end).filter((l) => !/^\s*>/.test(l));
  const own = kept
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
  const stripped = own !== text.replace(/\r\n/g, '\n').trim();
  // A mail that is only a quote (a forward without a word) keeps its text.
  return own === '' ? { text: text.trim(), stripped: false } : { text: own, stripped };
}

const header = (mail: ParsedMail, name: string): string => {
  const v = mail.headers.get(name);
  if (v === undefined || v === null) return '';
  if (typeof v === 'string') return v;
  if (typeof v === 'object' && 'value' in v) return String((v as { value: unknown }).value);
  return String(v);
};

const AUTO_SUBJECT =
  /^(auto(matic)?\s*(reply|response)|respuesta\s+autom[áa]tica|out of (the )?office|fuera de la oficina|ausente|auto:|autoreply|abwesenheitsnotiz)/i;

/** Why a machine wrote this mail, or undefined for a person (RFC 3834 and common practice). */
function machineOf(mail: ParsedMail, isDsn: boolean): ParsedInbound['machine'] {
  if (isDsn) return { kind: 'bounce', reason: 'delivery status notification' };
  const auto = header(mail, 'auto-submitted').toLowerCase();
  if (auto !== '' && auto !== 'no')
    return { kind: 'auto-reply', reason: `Auto-Submitted: ${auto}` };
  for (const h of ['x-autoreply', 'x-autorespond', 'x-autoresponder']) {
    if (header(mail, h) !== '') return { kind: 'auto-reply', reason: h };
  }
  const precedence = header(mail, 'precedence').toLowerCase();
  if (precedence === 'auto_reply') return { kind: 'auto-reply', reason: 'Precedence: auto_reply' };
  if (AUTO_SUBJECT.test(mail.subject ?? '')) {
    return { kind: 'auto-reply', reason: 'auto-reply subject' };
  }
  // mailparser gathers the List-* headers under `list` (List-Id as `list.id`).
  const list = mail.headers.get('list') as { id?: unknown } | undefined;
  if (list?.id !== undefined) return { kind: 'list', reason: 'List-Id' };
  if (['bulk', 'list', 'junk'].includes(precedence)) {
    return { kind: 'list', reason: `Precedence: ${precedence}` };
  }
  return undefined;
}

/** The failed recipient's status and diagnostic in a DSN, and the Message-ID it reports on. */
function bounceOf(mail: ParsedMail): ParsedInbound['bounce'] {
  const parts = mail.attachments.map((a) => ({
    type: a.contentType.toLowerCase(),
    body: a.content.toString('utf8'),
  }));
  const status = parts.find((p) => p.type === 'message/delivery-status')?.body ?? mail.text ?? '';
  const original =
    parts.find((p) => p.type === 'message/rfc822' || p.type === 'text/rfc822-headers')?.body ??
    mail.text ??
    '';
  const action = /^action:\s*(\S+)/im.exec(status)?.[1]?.toLowerCase();
  const code = /^status:\s*([245]\.\d{1,3}\.\d{1,3})/im.exec(status)?.[1];
  const diagnostic = /^diagnostic-code:\s*(.+(?:\n[ \t].+)*)/im
    .exec(status)?.[1]
    ?.replace(/\s+/g, ' ');
  const originalId = /^message-id:\s*(<[^>]+>)/im.exec(original)?.[1];
  const permanent = action === 'failed' || (code?.startsWith('5') ?? false);
  const reason = ['bounced', code, diagnostic].filter(Boolean).join(': ').slice(0, 500);
  return { originalId: originalId ? bare(originalId) : undefined, reason, permanent };
}

function firstAddress(a: AddressObject | AddressObject[] | undefined) {
  const first = (Array.isArray(a) ? a[0] : a)?.value[0];
  return { address: first?.address?.toLowerCase(), name: first?.name || undefined };
}

export async function parseInbound(raw: Buffer): Promise<ParsedInbound> {
  const mail = await simpleParser(raw, { skipTextToHtml: true, skipTextLinks: true });
  const contentType = mail.headers.get('content-type') as
    { value?: string; params?: Record<string, string> } | undefined;
  const returnPath = header(mail, 'return-path');
  const isDsn =
    (contentType?.value?.toLowerCase() === 'multipart/report' &&
      contentType.params?.['report-type']?.toLowerCase() === 'delivery-status') ||
    mail.attachments.some((a) => a.contentType.toLowerCase() === 'message/delivery-status');
  const from = firstAddress(mail.from);
  // HTML-only mail (with inline images mailparser makes no text of it): its text, links kept.
  const body =
    mail.text ??
    (typeof mail.html === 'string'
      ? convert(mail.html, {
          wordwrap: false,
          selectors: [
            { selector: 'img', format: 'skip' },
            { selector: 'a', options: { hideLinkHrefIfSameAsText: true } },
          ],
        })
      : '');
  const own = ownWords(body);
  const id = mail.messageId
    ? bare(mail.messageId)
    : `sha256-${createHash('sha256').update(raw).digest('hex').slice(0, 40)}`;
  let machine = machineOf(mail, isDsn);
  if (
    !machine &&
    /<\s*>/.test(returnPath) &&
    /mailer-daemon|postmaster/i.test(from.address ?? '')
  ) {
    machine = { kind: 'bounce', reason: 'null sender from a mail system' };
  }
  return {
    id,
    from: from.address,
    fromName: from.name,
    subject: mail.subject,
    thread: [...idsOf(mail.inReplyTo), ...idsOf(mail.references).reverse()],
    text: own.text,
    stripped: own.stripped,
    attachments: isDsn
      ? []
      : mail.attachments.map((a) => ({
          name: a.filename ?? (a.contentId ? `inline-${bare(a.contentId)}` : 'attachment'),
          contentType: a.contentType,
          content: a.content,
          inline: a.contentDisposition === 'inline' || Boolean(a.related),
        })),
    machine,
    bounce: machine?.kind === 'bounce' ? bounceOf(mail) : undefined,
    headers: mail.headers,
  };
}
