/**
 * Where every customer message enters the core: resolve the contact and the conversation, store
 * the message once (platform id = idempotency key), queue it for the engine. An adapter acks the
 * platform only after this resolves, so nothing acknowledged is lost.
 */
import type { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { Types } from 'mongoose';
import { parsePhoneNumberFromString } from 'libphonenumber-js';
import type { InboundSink, IngestResult } from '../kernel/contracts/channel-adapter.js';
import type { InboundMessage } from '../kernel/contracts/messages.js';
import { storable } from '../kernel/storable-text.js';
import { messageCreated, type ConsoleEventPublisher } from '../kernel/console-events.js';
import { resolveContactId } from '../kernel/db/contacts.js';
import { openConversation } from '../kernel/db/conversations.js';
import { trackInFlight } from '../kernel/db/in-flight.js';
import { moveInbound, storeInbound } from '../kernel/db/messages.js';
import { enqueueInbound, type InboundJob } from './queues/inbound.js';
import { carrierOf, inSpan, type TraceCarrier } from '../kernel/tracing.js';
import { addPending } from './queues/pending-index.js';
import { findRoute, forgetRoute, rememberRoute } from './queues/route-cache.js';
import type { TurnMessage } from './engine/engine.js';
import type { ConversationDoc } from '../kernel/db/models/conversation.js';
import type { Attachment, ChannelId } from '../kernel/contracts/messages.js';

export class InvalidInboundError extends Error {}

const MAX_TEXT = 4000;

export function createIngest(
  queue: Queue<InboundJob>,
  onIngested?: (channel: InboundMessage['channel'], duplicate: boolean) => void,
  /** The console's live stream: one PUBLISH per new customer message, not awaited. */
  events?: ConsoleEventPublisher,
): InboundSink {
  // Our queues are built on our own ioredis connection (createInboundQueue).
  const redis = queue.opts.connection as Redis;
  const prefix = queue.opts.prefix ?? 'bull';

  /** The open conversation and its contact: from the route cache, else resolved (and cached). */
  async function route(msg: InboundMessage, messageId: Types.ObjectId) {
    const cached = await findRoute(
      redis,
      prefix,
      msg.channel,
      msg.platformConversationId,
      msg.replyContext,
      messageId.toHexString(),
    );
    if (cached) {
      return {
        conversationId: new Types.ObjectId(cached.conversationId),
        contactId: new Types.ObjectId(cached.contactId),
        indexed: true,
      };
    }
    const phone = msg.senderPhone
      ? parsePhoneNumberFromString(
          msg.senderPhone.startsWith('+') ? msg.senderPhone : `+${msg.senderPhone}`,
        )
      : undefined;
    const resolvedContact = await resolveContactId(msg.channel, msg.platformUserId, {
      displayName: msg.senderName,
      locale: msg.locale,
      phone: phone?.isValid() ? phone.number : undefined,
      email: msg.senderEmail,
    });
    const conversation = await openConversation({
      channel: msg.channel,
      platformConversationId: msg.platformConversationId,
      platformUserId: msg.platformUserId,
      contactId: resolvedContact,
      locale: msg.locale,
      replyContext: msg.replyContext,
    });
    const resolved = {
      conversationId: conversation._id,
      contactId: conversation.contactId,
      indexed: false,
    };
    await rememberRoute(
      redis,
      prefix,
      msg.channel,
      msg.platformConversationId,
      {
        conversationId: resolved.conversationId.toHexString(),
        contactId: resolved.contactId.toHexString(),
      },
      msg.replyContext,
    );
    return resolved;
  }

  return {
    ingest: (sent: InboundMessage) =>
      inSpan('ingest', { attributes: { 'charla.channel': sent.channel } }, () => ingest(sent)),
  };

  async function ingest(sent: InboundMessage): Promise<IngestResult> {
    // Every channel's text, names, attachment names and ids, whatever way they came in
    // (webhook, socket, poller): nothing the database refuses (src/kernel/storable-text.ts).
    const msg = storable(sent);
    if (!msg.platformMessageId || !msg.platformUserId || !msg.platformConversationId) {
      throw new InvalidInboundError('inbound message lacks platform ids');
    }
    const newId = new Types.ObjectId();
    const { conversationId, contactId, indexed } = await route(msg, newId);
    const { message, duplicate } = await storeInbound({
      _id: newId,
      conversationId,
      contactId,
      channel: msg.channel,
      platformMessageId: msg.platformMessageId,
      text: msg.text.slice(0, MAX_TEXT),
      attachments: msg.attachments,
    });
    // A duplicate still unprocessed is re-queued: its first enqueue may be what failed. The job
    // id is the message id, so this never queues it twice. In flight first: from then on the
    // reconciler finds it even if Redis loses the job.
    if (!duplicate || message.status === 'received') {
      await trackInFlight('in', conversationId, [message._id]);
      await enqueueInbound(
        queue,
        {
          conversationId: conversationId.toHexString(),
          messageId: message._id.toHexString(),
          contactId: contactId.toHexString(),
          message: {
            text: message.text ?? '',
            ...(msg.attachments?.length ? { attachments: msg.attachments } : {}),
            createdAt: (message.createdAt ?? new Date()).toISOString(),
          },
          // The trace continues in the worker (src/kernel/tracing.ts); none when tracing is off.
          ...withTrace(),
        },
        // A redelivery keeps the first copy's id, which the route lookup did not index.
        { indexed: indexed && message._id.equals(newId) },
      );
    }
    if (!duplicate) void events?.publish(messageCreated(message));
    onIngested?.(msg.channel, duplicate);
    return {
      messageId: message._id.toHexString(),
      conversationId: conversationId.toHexString(),
      contactId: contactId.toHexString(),
      duplicate,
    };
  }
}

/** The active trace context for a job's data, or nothing. */
export function withTrace(): { trace?: TraceCarrier } {
  const trace = carrierOf();
  return trace ? { trace } : {};
}

/**
 * For the inbound worker: a message that ingest's route cache sent to a conversation closed
 * meanwhile moves to the platform conversation's open one (opened now if need be) and is queued
 * there, so it starts afresh as it would have without the cache.
 */
export function createRerouter(queue: Queue<InboundJob>) {
  const redis = queue.opts.connection as Redis;
  const prefix = queue.opts.prefix ?? 'bull';
  return async (message: TurnMessage, closed: ConversationDoc): Promise<void> => {
    const channel = closed.channel as ChannelId;
    await forgetRoute(redis, prefix, channel, closed.platformConversationId);
    const open = await openConversation({
      channel,
      platformConversationId: closed.platformConversationId,
      platformUserId: closed.platformUserId,
      contactId: closed.contactId,
      replyContext: (closed.replyContext as Record<string, string> | undefined) ?? undefined,
    });
    await moveInbound(message._id, open._id, open.contactId);
    const conversationId = open._id.toHexString();
    const messageId = message._id.toHexString();
    const client = queue.opts.connection as Redis;
    await addPending(client, prefix, 'in', conversationId, [messageId]);
    await queue.add(
      'message',
      {
        conversationId,
        messageId,
        message: {
          text: message.text ?? '',
          ...(message.attachments?.length
            ? { attachments: message.attachments as Attachment[] }
            : {}),
          createdAt: (message.createdAt ?? new Date()).toISOString(),
        },
      },
      { jobId: `${messageId}-moved-${conversationId}` },
    );
  };
}
