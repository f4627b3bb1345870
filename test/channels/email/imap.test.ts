/**
 * The email channel reading a mailbox (IMAP_URL) on a real IMAP server: a private dovecot on
 * 127.0.0.1 (test/support/dovecot.ts), mail put in with APPEND as a mail server would deliver it.
 * Charla's poller (imapflow) reads unseen mail, answers it in the thread (replies caught by an
 * SMTP sink), flags it \Seen, and a restarted poller never answers a mail twice — not even one it
 * stored but had not flagged yet (a crash between the two).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Types } from 'mongoose';
import type { ImapFlow } from 'imapflow';
import type { EmailAdapter } from '../../../channels/email/index.js';
import { Conversation } from '../../../src/kernel/db/models/conversation.js';
import { Message } from '../../../src/kernel/db/models/message.js';
import { eventually, startTestApp, type TestApp } from '../../support/app.js';
import { startDovecot, type Dovecot } from '../../support/dovecot.js';
import { startSmtpSink, type SmtpSink, type SunkMail } from '../../support/smtp-sink.js';
import { SUPPORT } from './harness.js';

let dovecot: Dovecot;
let sink: SmtpSink;
let app: TestApp;
let imap: ImapFlow;

const adapter = () => app.charla.services.adapters.get('email') as EmailAdapter;
const customer = (tag: string) => `imap-${tag}-${Date.now() % 1_000_000}@customer.test`;
const mailId = () => `<${new Types.ObjectId().toHexString()}@customer.test>`;

function rawMail(m: {
  from: string;
  subject: string;
  text: string;
  messageId: string;
  inReplyTo?: string;
}): string {
  return [
    `From: ${m.from}`,
    `To: ${SUPPORT}`,
    `Subject: ${m.subject}`,
    `Message-ID: ${m.messageId}`,
    ...(m.inReplyTo ? [`In-Reply-To: ${m.inReplyTo}`, `References: ${m.inReplyTo}`] : []),
    `Date: ${new Date().toUTCString()}`,
    'MIME-Version: 1.0',
    'Content-Type: text/plain; charset=utf-8',
    'Content-Transfer-Encoding: 8bit',
    '',
    m.text,
    '',
  ].join('\r\n');
}

const append = (m: Parameters<typeof rawMail>[0]) =>
  imap.append('INBOX', Buffer.from(rawMail(m), 'utf8'));

/** Message-ID → flags of every mail in the mailbox. */
async function flagsById(): Promise<Map<string, Set<string>>> {
  const out = new Map<string, Set<string>>();
  for (const m of await imap.fetchAll('1:*', { envelope: true, flags: true })) {
    // (another session's flag change may come along as a FETCH without an envelope)
    if (m.envelope?.messageId) out.set(m.envelope.messageId, m.flags ?? new Set());
  }
  return out;
}

const repliesTo = (to: string, count = 1) =>
  eventually(async () => {
    const got = sink.mails.filter((m) => m.envelopeTo.includes(to));
    return got.length >= count ? got : false;
  }, 20_000);
const inboundOf = (conversationId: Types.ObjectId) =>
  Message.find({ conversationId, direction: 'in' }).sort({ createdAt: 1 }).lean();

beforeAll(async () => {
  dovecot = await startDovecot();
  sink = await startSmtpSink();
  imap = await dovecot.client();
  await imap.mailboxOpen('INBOX');
  app = await startTestApp({
    SMTP_URL: sink.url,
    EMAIL_ADDRESS: SUPPORT,
    EMAIL_FROM_NAME: 'Charla Test',
    IMAP_URL: dovecot.url,
  });
});
afterAll(async () => {
  await imap?.logout().catch(() => undefined);
  await app?.stop();
  await sink?.close();
  await dovecot?.stop();
});

describe('email over IMAP (dovecot)', () => {
  const ana = customer('ana');
  const first = mailId();
  let conversationId: Types.ObjectId;
  let reply: SunkMail;

  it('reads new mail from the mailbox (IDLE), answers it in the thread and flags it \\Seen', async () => {
    expect(adapter().smtpPort()).toBeUndefined(); // no receiver: the mailbox is the only way in
    await adapter().pollOnce!(); // the start-up pass is over: the next mail comes by IDLE alone
    await append({
      from: `Ana López <${ana}>`,
      subject: 'Horario',
      text: '¿Cuál es vuestro horario?',
      messageId: first,
    });
    // No pollOnce here (and the minute's poll is further off than the wait): the server's
    // EXISTS during IDLE brings it in.
    const conv = await eventually(
      () => Conversation.findOne({ channel: 'email', platformUserId: ana }).lean(),
      20_000,
    );
    conversationId = conv._id;
    [reply] = (await repliesTo(ana)) as [SunkMail];
    expect(reply.parsed.inReplyTo).toBe(first);
    expect(reply.parsed.subject).toBe(`Re: Horario [#${conversationId.toHexString()}]`);
    expect(reply.parsed.text).toContain('9:00');
    const flags = await eventually(async () => {
      const f = (await flagsById()).get(first);
      return f?.has('\\Seen') ? f : false;
    });
    expect(flags.has('\\Seen')).toBe(true);
  });

  it('threads a reply from the mailbox into the same conversation', async () => {
    const second = mailId();
    await append({
      from: ana,
      subject: 'Re: Horario',
      text: 'Gracias. ¿Y los sábados?',
      messageId: second,
      inReplyTo: reply.parsed.messageId!,
    });
    // The poll right after delivery sees it (the session has not been told of it yet).
    await adapter().pollOnce!();
    const inbound = await inboundOf(conversationId);
    expect(inbound.map((m) => m.text)).toEqual([
      '¿Cuál es vuestro horario?',
      'Gracias. ¿Y los sábados?',
    ]);
    expect(await Conversation.countDocuments({ channel: 'email', platformUserId: ana })).toBe(1);
    const replies = await repliesTo(ana, 2);
    expect(replies[1]!.parsed.inReplyTo).toBe(second);
    expect((await flagsById()).get(second)?.has('\\Seen')).toBe(true);
  });

  it('a restarted poller takes the new mail and answers nothing twice, even mail stored but not flagged', async () => {
    const before = await Message.countDocuments({ conversationId });
    const repliesBefore = sink.mails.filter((m) => m.envelopeTo.includes(ana)).length;
    expect(repliesBefore).toBe(2);
    await adapter().stop!();
    // As if Charla had crashed after storing Ana's mails but before flagging them.
    await imap.messageFlagsRemove('1:*', ['\\Seen']);
    const bea = customer('bea');
    const third = mailId();
    await append({ from: bea, subject: 'Pedido', text: '¿Hacéis envíos?', messageId: third });
    await adapter().start!();
    await adapter().pollOnce!();

    await repliesTo(bea);
    const flags = await flagsById();
    expect([...flags.values()].every((f) => f.has('\\Seen'))).toBe(true);
    expect(flags.size).toBe(3);
    // Ana's two mails were read again and recognised: nothing stored, nothing sent.
    expect(await Message.countDocuments({ conversationId })).toBe(before);
    expect(sink.mails.filter((m) => m.envelopeTo.includes(ana))).toHaveLength(repliesBefore);
    const beaConv = await Conversation.findOne({ channel: 'email', platformUserId: bea }).lean();
    expect(await inboundOf(beaConv!._id)).toHaveLength(1);
    // And another pass finds nothing unseen.
    expect(await adapter().pollOnce!()).toBe(0);
  });
});
