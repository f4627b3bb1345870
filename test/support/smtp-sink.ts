/**
 * An SMTP sink for tests: a real SMTP server (smtp-server) on 127.0.0.1 that keeps every mail
 * Charla sends, parsed (mailparser) and raw (for DKIM checks). It can refuse the next mails with a
 * temporary (451) or permanent (550) reply, like a real relay would.
 */
import type { AddressInfo } from 'node:net';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';

export interface SunkMail {
  raw: Buffer;
  parsed: ParsedMail;
  envelopeTo: string[];
  header(name: string): string;
}

export interface SmtpSink {
  port: number;
  url: string;
  mails: SunkMail[];
  /** 'temporary': 451; 'permanent': 550; count 0 clears what is pending. */
  failNext(kind: 'temporary' | 'permanent', count?: number): void;
  close(): Promise<void>;
}

export async function startSmtpSink(): Promise<SmtpSink> {
  const mails: SunkMail[] = [];
  let failures: { kind: 'temporary' | 'permanent'; left: number } | undefined;
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['AUTH', 'STARTTLS'],
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        if (failures && failures.left > 0) {
          failures.left -= 1;
          const permanent = failures.kind === 'permanent';
          return callback(
            Object.assign(new Error(permanent ? '5.1.1 User unknown' : '4.7.0 Try again later'), {
              responseCode: permanent ? 550 : 451,
            }),
          );
        }
        const raw = Buffer.concat(chunks);
        simpleParser(raw)
          .then((parsed) => {
            mails.push({
              raw,
              parsed,
              envelopeTo: session.envelope.rcptTo.map((r) => r.address.toLowerCase()),
              header(name) {
                const v = parsed.headers.get(name.toLowerCase());
                return typeof v === 'string' ? v : v === undefined ? '' : JSON.stringify(v);
              },
            });
            callback();
          })
          .catch((err: Error) => callback(err));
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.server.address() as AddressInfo).port;
  return {
    port,
    url: `smtp://127.0.0.1:${port}`,
    mails,
    failNext(kind, count = 1) {
      failures = count === 0 ? undefined : { kind, left: count };
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
