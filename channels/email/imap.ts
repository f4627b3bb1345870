/**
 * Reading an existing mailbox (IMAP_URL, e.g. imaps://user:pass@imap.example.com/INBOX) with
 * imapflow: unseen mail is fetched, handed to the same inbound path as the SMTP receiver, and
 * flagged \Seen only once stored, so a crash re-reads it (ingest is idempotent by Message-ID).
 * New mail is noticed through IDLE (the server's EXISTS; the session enters IDLE a second after each
 * pass), with a poll every minute as well; each pass starts with a NOOP so it sees
 * mail delivered since the session's last command;
 * a dropped connection is reopened with backoff.
 */
import { ImapFlow } from 'imapflow';
import type { Logger } from 'pino';
import { receiveMail, type InboundDeps } from './inbound.js';

export interface ImapPoller {
  /** Reads unseen mail now; resolves with how many were stored. */
  pollOnce(): Promise<number>;
  stop(): Promise<void>;
}

const POLL_MS = 60_000;
const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);

function clientOf(url: URL, logger: Logger): ImapFlow {
  const secure = url.protocol === 'imaps:';
  return new ImapFlow({
    host: url.hostname.replace(/^\[|\]$/g, ''),
    port: url.port ? Number(url.port) : secure ? 993 : 143,
    secure,
    // A local test server speaks plain IMAP; anywhere else STARTTLS is used when offered.
    doSTARTTLS: LOOPBACK.has(url.hostname) ? false : undefined,
    auth: { user: decodeURIComponent(url.username), pass: decodeURIComponent(url.password) },
    // IDLE (the server tells of new mail) soon after each pass, not imapflow's default 15 s.
    autoIdleDelay: 1_000,
    logger: false,
  }).on('error', (err: Error) => logger.warn({ err: err.message }, 'imap connection error'));
}

export function startImapPoller(imapUrl: string, deps: InboundDeps, logger: Logger): ImapPoller {
  const url = new URL(imapUrl);
  const mailbox = decodeURIComponent(url.pathname.replace(/^\//, '')) || 'INBOX';
  let client: ImapFlow | undefined;
  let connecting: Promise<ImapFlow> | undefined;
  let stopped = false;
  let running: Promise<number> = Promise.resolve(0);
  let backoffMs = 1_000;

  async function connect(): Promise<ImapFlow> {
    if (client?.usable) return client;
    connecting ??= (async () => {
      const c = clientOf(url, logger);
      await c.connect();
      await c.mailboxOpen(mailbox);
      // IDLE tells us of new mail; reading it is serialised with the periodic poll.
      c.on('exists', () => void pollOnce());
      c.on('close', () => {
        if (client === c) client = undefined;
        if (!stopped) setTimeout(() => void pollOnce(), backoffMs).unref();
      });
      client = c;
      backoffMs = 1_000;
      return c;
    })().finally(() => (connecting = undefined));
    return connecting;
  }

  async function readUnseen(): Promise<number> {
    const c = await connect();
    // A session learns of mail delivered since its last command only from the server's next
    // answer (EXISTS after it): NOOP first, so the search sees everything in the mailbox now.
    await c.noop();
    const messages = await c.fetchAll({ seen: false }, { uid: true, source: true, envelope: true });
    let stored = 0;
    for (const m of messages) {
      if (!m.source) continue;
      await receiveMail(deps, m.source, { rcptTo: [deps.address] });
      await c.messageFlagsAdd({ uid: String(m.uid) }, ['\\Seen'], { uid: true });
      stored += 1;
    }
    return stored;
  }

  function pollOnce(): Promise<number> {
    if (stopped) return Promise.resolve(0);
    running = running
      .catch(() => 0)
      .then(() => readUnseen())
      .catch((err: unknown) => {
        backoffMs = Math.min(backoffMs * 2, 60_000);
        logger.warn({ err: err instanceof Error ? err.message : String(err) }, 'imap poll failed');
        return 0;
      });
    return running;
  }

  const timer = setInterval(() => void pollOnce(), POLL_MS);
  timer.unref();
  void pollOnce();
  return {
    pollOnce,
    async stop() {
      stopped = true;
      clearInterval(timer);
      await running.catch(() => 0);
      await client?.logout().catch(() => undefined);
    },
  };
}
