/**
 * The "email" scenario: a burst of 100 customer mails into Charla's SMTP receiver
 * (EMAIL_SMTP_LISTEN) while the Charla process is killed with SIGKILL and restarted on the same
 * port. Each mail is sent like an MTA does — a refused connection, a dropped session or a 4xx is
 * retried until a 250 — and the answers are read from an SMTP sink (SMTP_URL) by their
 * In-Reply-To. Every mail should be stored once and answered once.
 */
import mongoose from 'mongoose';
import nodemailer from 'nodemailer';
import { freePort } from '../src/app/infra/free-port.js';
import { startChildCharla, type ChildCharla } from '../test/support/child-charla.js';
import { startSmtpSink, type SmtpSink, type SunkMail } from '../test/support/smtp-sink.js';
import type { ScenarioResult } from './scenario.js';
import { emptyTally, type Tally } from './visitors.js';

const SUPPORT = 'support@chaos.test';
const MAILS = 100;
const CONCURRENCY = 10;
const KILL_AFTER_ACKED = 30;
const SEND_TIMEOUT_MS = 180_000;
const ANSWER_TIMEOUT_MS = 180_000;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Mail {
  from: string;
  messageId: string;
  acked: boolean;
  attempts: number;
}

/** Sends until a 250 (true), a 5xx (false) or the deadline, like a sending MTA. */
async function deliver(port: number, mail: Mail, deadline: number): Promise<void> {
  for (;;) {
    mail.attempts++;
    const transport = nodemailer.createTransport({
      host: '127.0.0.1',
      port,
      secure: false,
      ignoreTLS: true,
      connectionTimeout: 10_000,
      socketTimeout: 30_000,
    });
    try {
      await transport.sendMail({
        from: mail.from,
        to: SUPPORT,
        subject: 'Horario',
        text: '¿Cuál es vuestro horario?',
        messageId: mail.messageId,
      });
      mail.acked = true;
      return;
    } catch (err) {
      const code = (err as { responseCode?: number }).responseCode;
      if (code !== undefined && code >= 500) return;
    } finally {
      transport.close();
    }
    if (Date.now() > deadline) return;
    await sleep(500);
  }
}

/** Replies in the sink per mail, by In-Reply-To: distinct Message-IDs and all copies. */
function repliesByMail(sink: SmtpSink): Map<string, SunkMail[]> {
  const out = new Map<string, SunkMail[]>();
  for (const m of sink.mails) {
    const key = m.parsed.inReplyTo ?? '';
    out.set(key, [...(out.get(key) ?? []), m]);
  }
  return out;
}

/** The answer's words without the greeting line (it names nobody here, but stay safe). */
const body = (m: SunkMail) => (m.parsed.text ?? '').split('\n').slice(1).join('\n').trim();

async function storedOnce(mongoUri: string, mails: Mail[]): Promise<number> {
  const conn = await mongoose.createConnection(mongoUri).asPromise();
  try {
    const rows = await conn
      .collection('messages')
      .aggregate<{ _id: string; n: number }>([
        { $match: { channel: 'email', direction: 'in' } },
        { $group: { _id: '$platformMessageId', n: { $sum: 1 } } },
      ])
      .toArray();
    const counts = new Map(rows.map((r) => [r._id, r.n]));
    return mails.filter((m) => counts.get(m.messageId.slice(1, -1)) === 1).length;
  } finally {
    await conn.close();
  }
}

function tallyOf(mails: Mail[], sink: SmtpSink, expected: string, stored: number): Tally {
  const byMail = repliesByMail(sink);
  const t = { ...emptyTally(), sent: mails.length, visitors: mails.length, leadsRight: stored };
  for (const m of mails) {
    if (m.acked) t.acknowledged++;
    else t.gaveUp++;
    const replies = byMail.get(m.messageId) ?? [];
    const distinct = new Set(replies.map((r) => r.parsed.messageId)).size;
    if (distinct === 0) t.never++;
    else if (distinct === 1) t.answeredOnce++;
    else t.answeredTwice++;
    if (replies.some((r) => body(r) !== expected)) t.wrongStep++;
  }
  return t;
}

export async function runEmailScenario(opts: {
  env: Record<string, string | undefined>;
  mongoUri: string;
  run: string;
}): Promise<ScenarioResult> {
  const sink = await startSmtpSink();
  const port = await freePort();
  const env = {
    ...opts.env,
    MONGODB_URI: opts.mongoUri,
    EMAIL_ADDRESS: SUPPORT,
    EMAIL_SMTP_LISTEN: `127.0.0.1:${port}`,
    SMTP_URL: sink.url,
  };
  const notes: string[] = [];
  let app: ChildCharla | undefined;
  try {
    app = await startChildCharla(env);
    // A fault-free mail first: the answer every other mail should get.
    const warm: Mail = {
      from: `warm-${opts.run}@customer.test`,
      messageId: `<warm-${opts.run}@customer.test>`,
      acked: false,
      attempts: 0,
    };
    await deliver(port, warm, Date.now() + 60_000);
    const deadlineWarm = Date.now() + 60_000;
    while (!repliesByMail(sink).has(warm.messageId) && Date.now() < deadlineWarm) await sleep(200);
    const warmReply = repliesByMail(sink).get(warm.messageId)?.[0];
    if (!warm.acked || !warmReply) throw new Error('the fault-free warm-up mail was not answered');
    const expected = body(warmReply);

    const mails: Mail[] = Array.from({ length: MAILS }, (_, i) => ({
      from: `c${i}-${opts.run}@customer.test`,
      messageId: `<burst-${i}-${opts.run}@customer.test>`,
      acked: false,
      attempts: 0,
    }));
    const deadline = Date.now() + SEND_TIMEOUT_MS;
    let next = 0;
    let killed = false;
    const fault = async () => {
      killed = true;
      await app!.kill();
      notes.push(`killed after ${mails.filter((m) => m.acked).length} mails acknowledged`);
      const t = Date.now();
      app = await startChildCharla(env);
      notes.push(`restarted in ${((Date.now() - t) / 1000).toFixed(1)} s`);
    };
    let faultDone: Promise<void> = Promise.resolve();
    const worker = async () => {
      while (next < mails.length) {
        const mail = mails[next++]!;
        await deliver(port, mail, deadline);
        if (!killed && mails.filter((m) => m.acked).length >= KILL_AFTER_ACKED) {
          faultDone = fault();
        }
      }
    };
    await Promise.all(Array.from({ length: CONCURRENCY }, worker));
    await faultDone;

    const answerDeadline = Date.now() + ANSWER_TIMEOUT_MS;
    const answered = () => mails.filter((m) => repliesByMail(sink).has(m.messageId)).length;
    while (answered() < mails.filter((m) => m.acked).length && Date.now() < answerDeadline) {
      await sleep(500);
    }
    await sleep(5000); // late duplicates show up after the last answer
    const copies = sink.mails.length - new Set(sink.mails.map((m) => m.parsed.messageId)).size;
    const retried = mails.filter((m) => m.attempts > 1).length;
    notes.push(`${retried} mails needed more than one SMTP attempt`);
    notes.push(`${copies} repeated sends of a reply (same Message-ID, shown once by mail clients)`);
    const stored = await storedOnce(opts.mongoUri, mails);
    return {
      name: 'email',
      fault:
        `a burst of ${MAILS} mails (${CONCURRENCY} SMTP connections at a time) into the SMTP receiver, ` +
        `kill -9 of the Charla process after ${KILL_AFTER_ACKED} were acknowledged, then restart on the same port; ` +
        'answers counted in an SMTP sink by In-Reply-To; "leads right" here: mails stored exactly once',
      tally: tallyOf(mails, sink, expected, stored),
      notes,
    };
  } finally {
    await app?.stop();
    await sink.close();
  }
}
