/**
 * Where every reply leaves the core: store the messages (status pending, one batch), then queue
 * them for delivery in order. `send` is for staff replies and system notices (tracked in flight
 * until delivered, so the reconciler recovers them); `store` is for a bot turn's replies, which
 * the inbound worker delivers itself right after the turn (docs/ARCHITECTURE.md).
 */
import { Types } from 'mongoose';
import type { Queue } from 'bullmq';
import type { Awaiting, QuickReply } from '../kernel/contracts/messages.js';
import { trackInFlight } from '../kernel/db/in-flight.js';
import { storeReplies } from '../kernel/db/messages.js';
import type { ConversationDoc } from '../kernel/db/models/conversation.js';
import type { MessageDoc } from '../kernel/db/models/message.js';
import { enqueueOutbound, type OutboundJob } from './queues/outbound.js';
import type { ChannelId } from '../kernel/contracts/messages.js';
import { messageCreated, type ConsoleEventPublisher } from '../kernel/console-events.js';

export interface ReplyDraft {
  text: string;
  quickReplies?: QuickReply[];
  awaiting?: Awaiting;
}

export interface Outbox {
  send(
    conversation: Pick<ConversationDoc, '_id' | 'contactId' | 'channel'>,
    drafts: ReplyDraft[],
    author?: { kind: 'bot' | 'staff' | 'system'; staff?: { id: string; name?: string } },
  ): Promise<MessageDoc[]>;
  /**
   * Stores a bot turn's replies under the given (deterministic) ids without queueing them: storing
   * them again is a no-op. Optional: an outbox that only collects replies (the studio sandbox)
   * leaves it out and gets `send`.
   */
  store?(
    conversation: Pick<ConversationDoc, '_id' | 'contactId' | 'channel'>,
    drafts: ReplyDraft[],
    opts: { ids: Types.ObjectId[]; replyTo: Types.ObjectId },
  ): Promise<MessageDoc[]>;
}

/** `events`: the console's live stream, one PUBLISH per stored reply (not awaited). */
export function createOutbox(queue: Queue<OutboundJob>, events?: ConsoleEventPublisher): Outbox {
  return {
    async send(conversation, drafts, author = { kind: 'bot' }) {
      const stored = await storeReplies(
        {
          conversationId: conversation._id,
          contactId: conversation.contactId,
          channel: conversation.channel as ChannelId,
          author: author.kind,
          ...(author.staff ? { staff: author.staff } : {}),
        },
        drafts.map((d) => ({ ...d, _id: new Types.ObjectId() })),
      );
      await trackInFlight(
        'out',
        conversation._id,
        stored.map((m) => m._id),
      );
      await enqueueOutbound(
        queue,
        conversation._id.toHexString(),
        stored.map((m) => m._id.toHexString()),
      );
      for (const m of stored) void events?.publish(messageCreated(m));
      return stored;
    },
    async store(conversation, drafts, { ids, replyTo }) {
      const stored = await storeReplies(
        {
          conversationId: conversation._id,
          contactId: conversation.contactId,
          channel: conversation.channel as ChannelId,
          author: 'bot',
          replyTo,
        },
        drafts.map((d, i) => ({ ...d, _id: ids[i]! })),
      );
      for (const m of stored) void events?.publish(messageCreated(m));
      return stored;
    },
  };
}
