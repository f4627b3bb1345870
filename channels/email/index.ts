/**
 * The email channel: a support inbox. Inbound through the built-in SMTP receiver
 * (EMAIL_SMTP_LISTEN) and/or an IMAP mailbox (IMAP_URL); outbound through the one mail transport
 * (SMTP_URL, src/kernel/contracts/mail.ts) that system mail uses too. A conversation is a mail
 * thread: replies carry In-Reply-To/References, a "Re:" subject with the conversation's token and
 * a support+<token>@ Reply-To; each reply is a letter (greeting, text, options, sign-off) in the
 * conversation's language, as text and HTML.
 */
import { hostname } from 'node:os';
import type { Types } from 'mongoose';
import {
  ChannelSendError,
  type AdapterFactory,
  type ChannelAdapter,
  type SendResult,
} from '../../src/kernel/contracts/channel-adapter.js';
import { MailSendError, type MailTransport } from '../../src/kernel/contracts/mail.js';
import type { OutboundMessage } from '../../src/kernel/contracts/messages.js';
import { Message } from '../../src/kernel/db/models/message.js';
import { composeLetter, replySubject } from './letter.js';
import type { InboundDeps } from './inbound.js';
import { startReceiver, type Receiver } from './receiver.js';
import { startImapPoller, type ImapPoller } from './imap.js';

export interface EmailAdapter extends ChannelAdapter {
  /** The receiver's bound port, once started (tests listen on port 0). */
  smtpPort(): number | undefined;
  /** One IMAP pass now (tests); undefined without IMAP_URL. */
  pollOnce?(): Promise<number>;
}

/** The inbound mail this reply answers: its turn's message, else the latest one of the thread. */
async function parentOf(id: string, conversationId: string) {
  const doc = await Message.findById(id, { replyTo: 1 }).lean();
  const parent = doc?.replyTo
    ? await Message.findById(doc.replyTo as Types.ObjectId, { platformMessageId: 1 }).lean()
    : await Message.findOne({ conversationId, direction: 'in' }, { platformMessageId: 1 })
        .sort({ createdAt: -1 })
        .lean();
  return parent?.platformMessageId ?? undefined;
}

const realId = (id: string | undefined) =>
  id && !id.startsWith('sha256-') ? `<${id}>` : undefined;

function sendErrorOf(err: unknown): ChannelSendError {
  if (err instanceof MailSendError) {
    return new ChannelSendError(err.message, {
      retryable: !err.permanent,
      ...(err.responseCode ? { status: err.responseCode } : {}),
    });
  }
  return new ChannelSendError(err instanceof Error ? err.message : String(err), {
    retryable: true,
  });
}

/** The bot's messages of one turn (answering the same customer mail), oldest first. */
async function turnOf(id: string) {
  const doc = await Message.findById(id, { replyTo: 1, author: 1 }).lean();
  if (!doc?.replyTo || doc.author !== 'bot') return undefined;
  const turn = await Message.find(
    { replyTo: doc.replyTo, direction: 'out', author: 'bot', internal: { $ne: true } },
    { text: 1, quickReplies: 1 },
  )
    .sort({ _id: 1 })
    .lean();
  return turn.length > 1 ? turn : undefined;
}

/**
 * What one mail says: a bot turn of several messages (an answer, options, a follow-up) is one
 * letter, sent with the turn's last message; the earlier ones are folded into it (`held`).
 */
async function letterContent(message: OutboundMessage) {
  const turn = await turnOf(message.id);
  if (!turn) return { text: message.text, quickReplies: message.quickReplies, id: message.id };
  const last = turn[turn.length - 1]!._id.toHexString();
  return {
    held: last !== message.id,
    id: last,
    folded: turn.slice(0, -1).map((m) => m._id),
    text: turn
      .map((m) => (m.text ?? '').trim())
      .filter(Boolean)
      .join('\n\n'),
    quickReplies: turn.flatMap((m) =>
      (m.quickReplies ?? []).map((q) => ({ title: q.title ?? '', payload: q.payload ?? '' })),
    ),
  };
}

/** One reply as a mail in the customer's thread (a bot turn: one mail for all its messages). */
export async function sendReply(
  mail: MailTransport,
  address: string,
  message: OutboundMessage,
): Promise<SendResult> {
  const ctx = message.replyContext ?? {};
  const locale = message.locale ?? 'es';
  const content = await letterContent(message);
  // Folded into the letter its turn's last message sends, under that message's Message-ID.
  if (content.held) return { platformMessageId: mail.messageIdFor(content.id) };
  const letter = composeLetter({
    text: content.text,
    quickReplies: content.quickReplies,
    locale,
    name: ctx.name,
    signature: mail.from.name,
  });
  const parent = realId(await parentOf(message.id, message.conversationId));
  const root = realId(message.platformConversationId);
  const references = [...new Set([root, parent].filter((v): v is string => Boolean(v)))];
  const at = address.lastIndexOf('@');
  // A bounce for an earlier attempt may have marked this reply failed while it waited for a
  // retry: it is not sent after all, and keeps the bounce's reason.
  const current = await Message.findById(message.id, { status: 1, error: 1 }).lean();
  if (current?.status === 'failed') {
    throw new ChannelSendError(current.error ?? 'bounced', { retryable: false });
  }
  try {
    const sent = await mail.send({
      to: message.platformUserId,
      subject: replySubject(ctx.subject, message.conversationId, locale),
      text: letter.text,
      html: letter.html,
      messageId: mail.messageIdFor(message.id),
      ...(parent ? { inReplyTo: parent } : {}),
      references,
      replyTo: `${address.slice(0, at)}+${message.conversationId}${address.slice(at)}`,
      // The bot's answers are automatic (RFC 3834): an out-of-office must not answer them.
      headers: message.author === 'staff' ? {} : { 'Auto-Submitted': 'auto-replied' },
    });
    return { platformMessageId: sent.messageId };
  } catch (err) {
    const error = sendErrorOf(err);
    if (!error.retryable && content.folded?.length) {
      // The messages folded into this letter were never delivered either.
      await Message.updateMany(
        { _id: { $in: content.folded } },
        { $set: { status: 'failed', error: error.message } },
      );
    }
    throw error;
  }
}

export const createEmailAdapter = ((deps): EmailAdapter | undefined => {
  const config = deps.config.channels.email;
  const mail = deps.mail;
  if (!config || !mail) return undefined;
  const logger = deps.logger.child({ channel: 'email' });
  const inboundDeps: InboundDeps = {
    sink: deps.sink,
    mail,
    address: config.address,
    hostname: hostname(),
    logger,
  };
  let receiver: Receiver | undefined;
  let poller: ImapPoller | undefined;

  const adapter: EmailAdapter = {
    id: 'email',
    capabilities: { buttons: false, media: false, typing: false, maxTextLength: 100_000 },
    // Staff may write to an email address at any time (a new mail, or the thread continued).
    outreach: {},
    mount() {
      // No HTTP routes: mail arrives over SMTP or IMAP.
    },
    async start() {
      if (config.listen) receiver = await startReceiver(config, inboundDeps, logger);
      // The mailbox is read where the workers run (one reader per mailbox, like the X DM poller).
      if (config.imapUrl && deps.config.role !== 'web') {
        poller = startImapPoller(config.imapUrl, inboundDeps, logger);
      }
    },
    async stop() {
      await poller?.stop();
      await receiver?.close();
    },
    smtpPort: () => receiver?.port(),
    send: (message) => sendReply(mail, config.address, message),
  };
  if (config.imapUrl) adapter.pollOnce = () => poller?.pollOnce() ?? Promise.resolve(0);
  return adapter;
}) satisfies AdapterFactory;
