/**
 * Where every customer message enters the core: resolve the contact and the conversation, store
 * the message once (platform id = idempotency key), queue it for the engine. An adapter acks the
 * platform only after this resolves, so nothing acknowledged is lost.
 */
import type { Queue } from 'bullmq';
import { parsePhoneNumberFromString } from 'libphonenumber-js';
import type { InboundSink, IngestResult } from './contracts/channel-adapter.js';
import type { InboundMessage } from './contracts/messages.js';
import { messageCreated, type ConsoleEventPublisher } from './live/console-events.js';
import { resolveContactId } from './store/contacts.js';
import { openConversation } from './store/conversations.js';
import { trackInFlight } from './store/in-flight.js';
import { storeInbound } from './store/messages.js';
import { enqueueInbound, type InboundJob } from './queues/inbound.js';

export class InvalidInboundError extends Error {}

const MAX_TEXT = 4000;

export function createIngest(
  queue: Queue<InboundJob>,
  onIngested?: (channel: InboundMessage['channel'], duplicate: boolean) => void,
  /** The console's live stream: one PUBLISH per new customer message, not awaited. */
  events?: ConsoleEventPublisher,
): InboundSink {
  return {
    async ingest(msg: InboundMessage): Promise<IngestResult> {
      if (!msg.platformMessageId || !msg.platformUserId || !msg.platformConversationId) {
        throw new InvalidInboundError('inbound message lacks platform ids');
      }
      const phone = msg.senderPhone
        ? parsePhoneNumberFromString(
            msg.senderPhone.startsWith('+') ? msg.senderPhone : `+${msg.senderPhone}`,
          )
        : undefined;
      const contactId = await resolveContactId(msg.channel, msg.platformUserId, {
        displayName: msg.senderName,
        locale: msg.locale,
        phone: phone?.isValid() ? phone.number : undefined,
      });
      const conversation = await openConversation({
        channel: msg.channel,
        platformConversationId: msg.platformConversationId,
        platformUserId: msg.platformUserId,
        contactId,
        locale: msg.locale,
        replyContext: msg.replyContext,
      });
      const { message, duplicate } = await storeInbound({
        conversationId: conversation._id,
        contactId: conversation.contactId,
        channel: msg.channel,
        platformMessageId: msg.platformMessageId,
        text: msg.text.slice(0, MAX_TEXT),
        attachments: msg.attachments,
      });
      // A duplicate still unprocessed is re-queued: its first enqueue may be what failed. The job
      // id is the message id, so this never queues it twice. In flight first: from then on the
      // reconciler finds it even if Redis loses the job.
      if (!duplicate || message.status === 'received') {
        await trackInFlight('in', conversation._id, [message._id]);
        await enqueueInbound(queue, {
          conversationId: conversation._id.toHexString(),
          messageId: message._id.toHexString(),
          message: {
            text: message.text ?? '',
            ...(msg.attachments?.length ? { attachments: msg.attachments } : {}),
            createdAt: (message.createdAt ?? new Date()).toISOString(),
          },
        });
      }
      if (!duplicate) void events?.publish(messageCreated(message));
      onIngested?.(msg.channel, duplicate);
      return {
        messageId: message._id.toHexString(),
        conversationId: conversation._id.toHexString(),
        contactId: conversation.contactId.toHexString(),
        duplicate,
      };
    },
  };
}
