/**
 * Test driver for engine tests: a recording ChannelAdapter and a `chat` helper that sends one
 * customer message through the real ingest → queue → engine → outbound path and returns the
 * bot's replies to it, once they were delivered.
 */
import type { ChannelAdapter } from '../../../src/kernel/contracts/channel-adapter.js';
import type { ChannelId, OutboundMessage } from '../../../src/kernel/contracts/messages.js';
import { Message } from '../../../src/kernel/db/models/message.js';
import { eventually, type TestApp } from '../../support/app.js';

export interface Recorder {
  adapter: ChannelAdapter;
  sent: OutboundMessage[];
}

export function recordingAdapter(id: ChannelId): Recorder {
  const sent: OutboundMessage[] = [];
  let n = 0;
  const adapter: ChannelAdapter = {
    id,
    capabilities: { buttons: true, media: false, typing: false, maxTextLength: 4000 },
    mount: () => undefined,
    async send(m) {
      n += 1;
      sent.push(m);
      return { platformMessageId: `${id}-out-${n}` };
    },
  };
  return { adapter, sent };
}

let seq = 0;

export interface Customer {
  /** Sends a message and resolves with the bot's replies to it (possibly none). */
  say(text: string): Promise<OutboundMessage[]>;
  conversationId(): string;
  contactId(): string;
}

export function customer(
  app: () => TestApp,
  rec: Recorder,
  user: string,
  extra: { senderPhone?: string; locale?: 'es' | 'en' } = {},
): Customer {
  let conversationId = '';
  let contactId = '';
  return {
    async say(text) {
      seq += 1;
      const res = await app().charla.services.ingest.ingest({
        channel: rec.adapter.id,
        platformMessageId: `${user}-${seq}`,
        platformUserId: user,
        platformConversationId: `chat-${user}`,
        text,
        ...extra,
      });
      conversationId = res.conversationId;
      contactId = res.contactId;
      await eventually(async () => {
        const m = await Message.findById(res.messageId).lean();
        return m?.status === 'processed';
      });
      // Replies are stored before the inbound message is marked processed; wait for delivery.
      // The turn's replies (replyTo) and any notice written after the message.
      const replies = await Message.find({
        conversationId: res.conversationId,
        direction: 'out',
        $or: [
          { replyTo: res.messageId },
          { replyTo: { $exists: false }, _id: { $gt: res.messageId } },
        ],
      })
        .sort({ createdAt: 1, _id: 1 })
        .lean();
      await eventually(async () => {
        const ids = new Set(rec.sent.map((s) => s.id));
        return replies.every((r) => ids.has(r._id.toHexString()));
      });
      const ids = replies.map((r) => r._id.toHexString());
      return ids.map((id) => rec.sent.find((s) => s.id === id)!);
    },
    conversationId: () => conversationId,
    contactId: () => contactId,
  };
}
