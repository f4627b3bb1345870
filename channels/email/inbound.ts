/**
 * One inbound mail, from the SMTP receiver or the IMAP poller, into Charla: parsed, checked
 * (SPF/DKIM/DMARC), threaded, and either handed to ingest (durable before the caller
 * acknowledges) or — written by a machine — recorded without an answer. A bounce of our own mail
 * marks that message failed with the reason.
 */
import { Types } from 'mongoose';
import type { Logger } from 'pino';
import type { InboundSink } from '../../src/kernel/contracts/channel-adapter.js';
import type { MailTransport } from '../../src/kernel/contracts/mail.js';
import type { Attachment, InboundMessage } from '../../src/kernel/contracts/messages.js';
import { placeholderText } from '../../src/kernel/attachments.js';
import { Contact } from '../../src/kernel/db/models/contact.js';
import { Conversation } from '../../src/kernel/db/models/conversation.js';
import { Message } from '../../src/kernel/db/models/message.js';
import { checkMailAuth, type MailAuthResult } from './auth.js';
import { subjectToken } from './letter.js';
import { bare, parseInbound, type ParsedInbound } from './parse.js';
import { recordMailEvent, storeBlob } from './store.js';

export interface Envelope {
  ip?: string;
  helo?: string;
  mailFrom?: string;
  rcptTo: string[];
}

export interface InboundDeps {
  sink: InboundSink;
  mail: MailTransport;
  /** EMAIL_ADDRESS: support@example.com; support+<token>@example.com also reaches us. */
  address: string;
  /** Our host name, for the SPF check and Received lines. */
  hostname: string;
  logger: Logger;
  /** DNS for SPF/DKIM/DMARC (tests pass their own; default: the system resolver). */
  resolver?: Parameters<typeof checkMailAuth>[2];
}

export type InboundOutcome =
  | { kind: 'ingested'; conversationId: string; duplicate: boolean }
  | { kind: 'recorded'; event: string }
  | { kind: 'ignored'; reason: string };

/** EMAIL_ADDRESS and its +token forms, case-insensitively. */
export function recipientAllowed(address: string, recipient: string): boolean {
  const [local, domain] = splitAddress(address);
  const [rLocal, rDomain] = splitAddress(recipient.toLowerCase());
  return rDomain === domain && (rLocal === local || rLocal.startsWith(`${local}+`));
}

const splitAddress = (a: string): [string, string] => {
  const at = a.lastIndexOf('@');
  return [a.slice(0, at), a.slice(at + 1)];
};

/** The token of `support+<token>@…` among the recipients. */
function addressToken(address: string, rcptTo: string[]): string | undefined {
  const [local] = splitAddress(address);
  for (const r of rcptTo) {
    const [rLocal] = splitAddress(r.toLowerCase());
    const token = rLocal.startsWith(`${local}+`) ? rLocal.slice(local.length + 1) : '';
    if (/^[0-9a-f]{24}$/.test(token)) return token;
  }
  return undefined;
}

/** Our own message a Message-ID names (`<charla.<objectId>@domain>`), if any. */
function ownMessageObjectId(mail: MailTransport, id: string): Types.ObjectId | undefined {
  if (!mail.isOwnMessageId(`<${id}>`)) return undefined;
  const local = id.slice('charla.'.length, id.lastIndexOf('@'));
  return Types.ObjectId.isValid(local) && local.length === 24
    ? new Types.ObjectId(local)
    : undefined;
}

/** The conversation this mail continues: by its references, else by the token, else none. */
async function threadOf(
  deps: InboundDeps,
  parsed: ParsedInbound,
  rcptTo: string[],
): Promise<{ conversationId: Types.ObjectId; platformConversationId: string } | undefined> {
  for (const id of parsed.thread.slice(0, 20)) {
    const own = ownMessageObjectId(deps.mail, id);
    const message = own
      ? await Message.findById(own, { conversationId: 1 }).lean()
      : await Message.findOne({ dedupeKey: `email:${id}` }, { conversationId: 1 }).lean();
    if (!message) continue;
    const conv = await Conversation.findOne(
      { _id: message.conversationId, channel: 'email' },
      { platformConversationId: 1 },
    ).lean();
    if (conv)
      return { conversationId: conv._id, platformConversationId: conv.platformConversationId };
  }
  // A token is honoured only from the address the conversation is with: ids can be guessed.
  const token = addressToken(deps.address, rcptTo) ?? subjectToken(parsed.subject);
  if (token && parsed.from) {
    const conv = await Conversation.findOne(
      { _id: new Types.ObjectId(token), channel: 'email', platformUserId: parsed.from },
      { platformConversationId: 1 },
    ).lean();
    if (conv)
      return { conversationId: conv._id, platformConversationId: conv.platformConversationId };
  }
  return undefined;
}

/** A numbered or titled answer to the options of our last mail becomes that option's payload. */
async function chosenPayload(conversationId: Types.ObjectId, text: string) {
  const answer = text.trim().split('\n')[0]!.trim().replace(/[.)]$/, '').trim();
  if (answer === '' || answer.length > 100 || text.trim().includes('\n')) return undefined;
  const last = await Message.findOne(
    { conversationId, direction: 'out', internal: { $ne: true } },
    { quickReplies: 1, replyTo: 1, author: 1 },
  )
    .sort({ createdAt: -1, _id: -1 })
    .lean();
  // A bot turn went out as one letter numbering the options of all its messages (index.ts).
  const turn =
    last?.replyTo && last.author === 'bot'
      ? await Message.find(
          { replyTo: last.replyTo, direction: 'out', author: 'bot', internal: { $ne: true } },
          { quickReplies: 1 },
        )
          .sort({ _id: 1 })
          .lean()
      : last
        ? [last]
        : [];
  const replies = turn
    .flatMap((m) => m.quickReplies ?? [])
    .map((r) => ({
      title: r.title ?? '',
      payload: r.payload ?? '',
    }));
  if (/^\d{1,2}$/.test(answer)) return replies[Number(answer) - 1]?.payload;
  const lower = answer.toLocaleLowerCase();
  return replies.find((r) => r.title.toLocaleLowerCase() === lower)?.payload;
}

async function attachmentsOf(raw: Buffer, parsed: ParsedInbound): Promise<Attachment[]> {
  const out: Attachment[] = [];
  for (const a of parsed.attachments) {
    const kind = a.contentType.startsWith('image/')
      ? 'image'
      : a.contentType.startsWith('audio/')
        ? 'audio'
        : a.contentType.startsWith('video/')
          ? 'video'
          : 'file';
    out.push({
      kind,
      mimeType: a.contentType,
      name: a.name,
      platformId: await storeBlob(a.content, a.contentType, a.name),
    });
  }
  // The mail as it came, quoted history and all: staff can always read what was cut.
  out.push({
    kind: 'file',
    mimeType: 'message/rfc822',
    name: 'original.eml',
    platformId: await storeBlob(raw, 'message/rfc822', 'original.eml'),
  });
  return out;
}

/** Records a machine's mail; a permanent bounce of our message marks it failed. */
async function recordMachine(
  deps: InboundDeps,
  parsed: ParsedInbound,
  auth: MailAuthResult,
  thread: { conversationId: Types.ObjectId } | undefined,
): Promise<InboundOutcome> {
  const machine = parsed.machine!;
  let bouncedMessageId: Types.ObjectId | undefined;
  let conversationId = thread?.conversationId;
  if (parsed.bounce?.originalId) {
    bouncedMessageId = ownMessageObjectId(deps.mail, parsed.bounce.originalId);
    if (parsed.bounce.permanent && deps.mail.isOwnMessageId(`<${parsed.bounce.originalId}>`)) {
      // Marketing mail (campaigns) is not a Message: the back office links it by Message-ID.
      await deps.sink.receipt?.({
        channel: 'email',
        platformMessageId: parsed.bounce.originalId,
        status: 'failed',
        reason: parsed.bounce.reason || 'bounced',
        at: new Date(),
      });
    }
    if (bouncedMessageId && parsed.bounce.permanent) {
      const failed = await Message.findOneAndUpdate(
        { _id: bouncedMessageId, direction: 'out' },
        { $set: { status: 'failed', error: parsed.bounce.reason || 'bounced' } },
      ).lean();
      conversationId ??= failed?.conversationId;
    }
  }
  await recordMailEvent({
    id: parsed.id,
    kind: machine.kind,
    from: parsed.from,
    subject: parsed.subject?.slice(0, 300),
    reason: parsed.bounce?.reason || machine.reason,
    conversationId,
    bouncedMessageId,
    auth: { spf: auth.spf, dkim: auth.dkim, dmarc: auth.dmarc },
  });
  deps.logger.info(
    { kind: machine.kind, reason: machine.reason },
    'machine mail recorded, not answered',
  );
  return { kind: 'recorded', event: machine.kind };
}

/** Handles one mail; resolves once it is durably stored (ingested or recorded). */
export async function receiveMail(
  deps: InboundDeps,
  raw: Buffer,
  envelope: Envelope,
): Promise<InboundOutcome> {
  const parsed = await parseInbound(raw);
  const auth = await checkMailAuth(
    raw,
    { ip: envelope.ip, helo: envelope.helo, sender: envelope.mailFrom, mta: deps.hostname },
    deps.resolver,
  );
  const thread = await threadOf(deps, parsed, envelope.rcptTo);
  const loop = deps.mail.isOwnMessageId(`<${parsed.id}>`) || parsed.from === deps.mail.from.address;
  if (loop) parsed.machine = { kind: 'loop', reason: 'our own mail came back' };
  if (parsed.machine) return recordMachine(deps, parsed, auth, thread);
  if (!parsed.from) return { kind: 'ignored', reason: 'no sender address' };

  const attachments = await attachmentsOf(raw, parsed);
  const words = parsed.text || parsed.subject?.trim() || '';
  const payload = thread ? await chosenPayload(thread.conversationId, words) : undefined;
  // A reply to our mail that is no conversation's message (a campaign's): its Message-ID, so
  // the back office can attribute the new conversation (src/features/campaigns tracking.ts).
  const answers = thread
    ? undefined
    : parsed.thread
        .slice(0, 20)
        .find((id) => deps.mail.isOwnMessageId(`<${id}>`) && !ownMessageObjectId(deps.mail, id));
  const text = payload ?? (words || placeholderText(attachments.slice(0, -1)));
  const inbound: InboundMessage = {
    channel: 'email',
    platformMessageId: parsed.id,
    platformUserId: parsed.from,
    platformConversationId: thread?.platformConversationId ?? parsed.id,
    text,
    attachments,
    senderName: parsed.fromName,
    // A sender whose domain disowns this mail is not trusted to join a known contact.
    ...(auth.suspicious ? {} : { senderEmail: parsed.from }),
    replyContext: {
      subject: (parsed.subject ?? '').slice(0, 300),
      ...(answers ? { answers: answers.slice(0, 300) } : {}),
      ...(parsed.fromName ? { name: parsed.fromName.slice(0, 100) } : {}),
      ...(auth.suspicious
        ? { unverifiedSender: `spf=${auth.spf} dkim=${auth.dkim} dmarc=${auth.dmarc}` }
        : {}),
    },
    receivedAt: new Date(),
  };
  const result = await deps.sink.ingest(inbound);
  if (auth.suspicious) {
    // Marked for staff: the contact carries the tag, the conversation the results.
    await Contact.updateOne(
      { _id: new Types.ObjectId(result.contactId) },
      { $addToSet: { tags: 'email-sender-unverified' } },
    );
  }
  return { kind: 'ingested', conversationId: result.conversationId, duplicate: result.duplicate };
}

export { bare };
