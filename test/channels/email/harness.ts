/**
 * Email test harness: a real Charla whose SMTP receiver listens on 127.0.0.1 (EMAIL_SMTP_LISTEN
 * port 0) and whose replies go to an SMTP sink (SMTP_URL), both real SMTP servers; mails are
 * sent into the receiver with nodemailer. For the conformance suite, the receiver's SMTP reply
 * stands for an HTTP status: 250 → 200, 4xx → 503 (the sender retries), 5xx → 403. A mail "not
 * signed" is one to an address the receiver does not serve (refused at RCPT, nothing stored);
 * "wrongly signed", one to the support address's local part at another domain.
 */
import nodemailer, { type SendMailOptions } from 'nodemailer';
import type { EmailAdapter } from '../../../channels/email/index.js';
import type { ChannelHarness, DeliverOptions } from '../conformance.js';
import { startSmtpSink, type SmtpSink } from '../../support/smtp-sink.js';
import { startTestApp, type TestApp } from '../../support/app.js';

export const SUPPORT = 'support@charla.test';
export const customerAddress = (userId: string) => `c${userId}@customer.test`;

export interface MailToSend {
  from: string;
  to?: string;
  subject?: string;
  text?: string;
  html?: string;
  messageId?: string;
  inReplyTo?: string;
  references?: string[];
  headers?: Record<string, string>;
  attachments?: SendMailOptions['attachments'];
  /** A raw RFC 5322 message instead of the fields above (a DSN). */
  raw?: string;
  envelope?: { from: string; to: string[] };
}

export interface EmailHarness extends ChannelHarness {
  sink(): SmtpSink;
  adapter(): EmailAdapter;
  /** Sends one mail into Charla's receiver; resolves with the SMTP outcome as a status. */
  send(mail: MailToSend): Promise<{ status: number; response?: string }>;
}

export function emailHarness(env: Record<string, string> = {}): EmailHarness {
  let sink: SmtpSink | undefined;
  let app: TestApp | undefined;
  let users = 0;

  const adapter = () => app!.charla.services.adapters.get('email') as EmailAdapter;

  async function send(mail: MailToSend) {
    const transport = nodemailer.createTransport({
      host: '127.0.0.1',
      port: adapter().smtpPort()!,
      secure: false,
      ignoreTLS: true,
    });
    try {
      const info = await transport.sendMail(
        mail.raw !== undefined
          ? {
              envelope: mail.envelope ?? { from: mail.from, to: [mail.to ?? SUPPORT] },
              raw: mail.raw,
            }
          : {
              from: mail.from,
              to: mail.to ?? SUPPORT,
              subject: mail.subject ?? 'Consulta',
              text: mail.text,
              html: mail.html,
              messageId: mail.messageId,
              inReplyTo: mail.inReplyTo,
              references: mail.references,
              headers: mail.headers,
              attachments: mail.attachments,
              ...(mail.envelope ? { envelope: mail.envelope } : {}),
            },
      );
      return { status: 200, response: info.response };
    } catch (err) {
      const code = (err as { responseCode?: number }).responseCode ?? 0;
      return { status: code >= 500 ? 403 : 503, response: (err as Error).message };
    } finally {
      transport.close();
    }
  }

  return {
    channel: 'email',
    async start() {
      sink = await startSmtpSink();
      app = await startTestApp({
        SMTP_URL: sink.url,
        EMAIL_ADDRESS: SUPPORT,
        EMAIL_FROM_NAME: 'Charla Test',
        EMAIL_SMTP_LISTEN: '127.0.0.1:0',
        ...env,
      });
    },
    async stop() {
      await app?.stop();
      await sink?.close();
    },
    deliver(opts: DeliverOptions) {
      users += 1;
      const userId = opts.userId ?? String(800_000 + users);
      const signed = opts.signed ?? true;
      const to = !signed
        ? 'nobody@elsewhere.test'
        : opts.badSignature
          ? 'support@other.test'
          : SUPPORT;
      return send({
        from: customerAddress(userId),
        to,
        subject: 'Consulta',
        text: opts.text,
        messageId: `<${opts.id}@customer.test>`,
      });
    },
    sent() {
      return (sink?.mails ?? []).map((m) => ({
        text: m.parsed.text ?? '',
        to: m.envelopeTo[0] ?? '',
        raw: m,
      }));
    },
    failNext(kind, count) {
      sink!.failNext(kind === 'rate-limit' ? 'temporary' : 'permanent', count);
    },
    app: () => app!,
    recipientFor: customerAddress,
    identityFor: customerAddress,
    sink: () => sink!,
    adapter,
    send,
  };
}
