/**
 * The built-in SMTP receiver (smtp-server) that an MX or a relay delivers to: recipients limited
 * to EMAIL_ADDRESS and its +token forms, a size limit, STARTTLS when a certificate is configured,
 * no AUTH (it is an MX, not a submission server). A mail gets its 250 only once it is stored
 * (ingested or recorded); any failure before that is a 451, and the sender retries later.
 */
import { readFileSync } from 'node:fs';
import { SMTPServer, type SMTPServerDataStream, type SMTPServerSession } from 'smtp-server';
import type { Logger } from 'pino';
import type { EmailChannelConfig } from '../../src/kernel/config/config.js';
import { receiveMail, recipientAllowed, type InboundDeps } from './inbound.js';

const smtpError = (code: number, text: string) =>
  Object.assign(new Error(text), { responseCode: code });

function readAll(stream: SMTPServerDataStream): Promise<Buffer | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    stream.on('data', (c: Buffer) => chunks.push(c));
    stream.on('error', reject);
    stream.on('end', () => resolve(stream.sizeExceeded ? undefined : Buffer.concat(chunks)));
  });
}

export interface Receiver {
  /** The port actually bound (EMAIL_SMTP_LISTEN may say 0). */
  port(): number;
  close(): Promise<void>;
}

export async function startReceiver(
  config: EmailChannelConfig,
  deps: InboundDeps,
  logger: Logger,
): Promise<Receiver> {
  const listen = config.listen!;
  const tls = config.tls
    ? { key: readFileSync(config.tls.keyFile), cert: readFileSync(config.tls.certFile) }
    : undefined;
  const server = new SMTPServer({
    name: deps.hostname,
    banner: 'Charla',
    size: config.maxBytes,
    authOptional: true,
    disabledCommands: tls ? ['AUTH'] : ['AUTH', 'STARTTLS'],
    ...(tls ?? {}),
    logger: false,
    onRcptTo(address, _session, callback) {
      if (recipientAllowed(config.address, address.address)) return callback();
      return callback(smtpError(550, '5.1.1 No such recipient here'));
    },
    onData(stream, session: SMTPServerSession, callback) {
      readAll(stream)
        .then(async (raw) => {
          if (!raw) return callback(smtpError(552, '5.3.4 Message too big'));
          const mailFrom = session.envelope.mailFrom;
          await receiveMail(deps, raw, {
            ip: session.remoteAddress,
            helo: session.hostNameAppearsAs,
            mailFrom: mailFrom ? mailFrom.address : undefined,
            rcptTo: session.envelope.rcptTo.map((r) => r.address),
          });
          callback();
        })
        .catch((err: unknown) => {
          logger.warn(
            { err: err instanceof Error ? err.message : String(err) },
            'inbound mail not stored',
          );
          callback(smtpError(451, '4.3.0 Temporary failure, try again later'));
        });
    },
  });
  server.on('error', (err) => logger.warn({ err: err.message }, 'smtp receiver error'));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(listen.port, listen.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.server.address();
  const port = typeof address === 'object' && address ? address.port : listen.port;
  logger.info({ host: listen.host, port, starttls: Boolean(tls) }, 'smtp receiver listening');
  return {
    port: () => port,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
