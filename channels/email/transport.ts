/**
 * The mail transport (src/kernel/contracts/mail.ts) on nodemailer: SMTP_URL, From = EMAIL_ADDRESS,
 * DKIM signing when DKIM_PRIVATE_KEY and DKIM_SELECTOR are set. Built once by the composition root
 * and shared by the email channel and system mail. Message-IDs are `<charla.<local>@<domain>>`, so
 * our own mails are recognised when they come back (loops, bounces).
 */
import { readFileSync } from 'node:fs';
import nodemailer from 'nodemailer';
import type { MailConfig } from '../../src/kernel/config/config.js';
import {
  MailSendError,
  type MailTransport,
  type OutgoingMail,
} from '../../src/kernel/contracts/mail.js';

const OWN_PREFIX = 'charla.';

/** PEM text as given, else the file it names. */
function pemOf(value: string): string {
  return value.includes('-----BEGIN') ? value.replace(/\\n/g, '\n') : readFileSync(value, 'utf8');
}

/** The SMTP reply code of a nodemailer error, when the server answered. */
function responseCodeOf(err: unknown): number | undefined {
  const code = (err as { responseCode?: unknown }).responseCode;
  return typeof code === 'number' ? code : undefined;
}

/** A send error without the credentials of SMTP_URL. */
function sendErrorOf(err: unknown, smtpUrl: string): MailSendError {
  let text = err instanceof Error ? err.message : String(err);
  const password = decodeURIComponent(new URL(smtpUrl).password);
  if (password) text = text.split(password).join('***');
  return new MailSendError(text.slice(0, 500), responseCodeOf(err));
}

export function createMailTransport(config: MailConfig): MailTransport {
  const domain = config.from.address.slice(config.from.address.lastIndexOf('@') + 1);
  const dkim = config.dkim
    ? {
        domainName: config.dkim.domain,
        keySelector: config.dkim.selector,
        privateKey: pemOf(config.dkim.privateKey),
      }
    : undefined;
  const url = new URL(config.smtpUrl);
  const transporter = nodemailer.createTransport({
    host: url.hostname.replace(/^\[|\]$/g, ''),
    port: url.port ? Number(url.port) : url.protocol === 'smtps:' ? 465 : 587,
    secure: url.protocol === 'smtps:',
    ...(url.username
      ? {
          auth: {
            user: decodeURIComponent(url.username),
            pass: decodeURIComponent(url.password),
          },
        }
      : {}),
    // Plain SMTP on loopback (a local relay, a test sink) needs no STARTTLS; elsewhere it is
    // used whenever offered.
    ignoreTLS: ['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname),
    connectionTimeout: 15_000,
    greetingTimeout: 15_000,
    socketTimeout: 60_000,
    ...(dkim ? { dkim } : {}),
  });

  return {
    from: config.from,
    messageIdFor: (localPart) => `<${OWN_PREFIX}${localPart}@${domain}>`,
    isOwnMessageId: (messageId) =>
      messageId.toLowerCase().startsWith(`<${OWN_PREFIX}`) &&
      messageId.toLowerCase().endsWith(`@${domain}>`),
    async send(mail: OutgoingMail) {
      const messageId = mail.messageId ?? `<${OWN_PREFIX}${crypto.randomUUID()}@${domain}>`;
      try {
        await transporter.sendMail({
          from: { name: config.from.name, address: config.from.address },
          to: mail.to,
          subject: mail.subject,
          text: mail.text,
          ...(mail.html ? { html: mail.html } : {}),
          messageId,
          ...(mail.inReplyTo ? { inReplyTo: mail.inReplyTo } : {}),
          ...(mail.references?.length ? { references: mail.references } : {}),
          ...(mail.replyTo ? { replyTo: mail.replyTo } : {}),
          ...(mail.headers ? { headers: mail.headers } : {}),
          ...(mail.attachments?.length ? { attachments: mail.attachments } : {}),
        });
      } catch (err) {
        throw sendErrorOf(err, config.smtpUrl);
      }
      return { messageId };
    },
    async close() {
      transporter.close();
    },
  };
}
