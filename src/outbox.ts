/**
 * Where every reply leaves the core: store the messages (status pending), then queue them for
 * delivery in order. Used by the engine (bot replies) and by staff relay (human replies).
 */
import type { Queue } from 'bullmq';
import type { Awaiting, QuickReply } from './contracts/messages.js';
import { storeOutbound } from './store/messages.js';
import type { ConversationDoc } from './store/models/conversation.js';
import type { MessageDoc } from './store/models/message.js';
import { enqueueOutbound, type OutboundJob } from './queues/outbound.js';
import type { ChannelId } from './contracts/messages.js';

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
}

export function createOutbox(queue: Queue<OutboundJob>): Outbox {
  return {
    async send(conversation, drafts, author = { kind: 'bot' }) {
      const stored: MessageDoc[] = [];
      for (const draft of drafts) {
        stored.push(
          await storeOutbound({
            conversationId: conversation._id,
            contactId: conversation.contactId,
            channel: conversation.channel as ChannelId,
            author: author.kind,
            staff: author.staff,
            text: draft.text,
            quickReplies: draft.quickReplies,
            awaiting: draft.awaiting,
          }),
        );
      }
      await enqueueOutbound(
        queue,
        conversation._id.toHexString(),
        stored.map((m) => m._id.toHexString()),
      );
      return stored;
    },
  };
}
