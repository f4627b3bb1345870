/**
 * One turn in the inbound worker: the engine saves it (a message that keeps failing is set aside
 * after a few attempts), a message routed to a closed conversation is moved, a merge refreshes
 * ingest's route, then the turn's replies go out and the message is marked processed.
 */
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { markMessage, type MessageUpdate } from '../../kernel/db/messages.js';
import type { ConversationDoc } from '../../kernel/db/models/conversation.js';
import { Message } from '../../kernel/db/models/message.js';
import type { TurnMessage, TurnResult } from '../engine/turn.js';
import { rememberRoute } from './route-cache.js';
import { deliverTurn, type DeliveryOutcome, type TurnDeliveryDeps } from './turn-delivery.js';
import type { TurnKeys } from './turn-scripts.js';
import { inSpan } from '../../kernel/tracing.js';

/** After this many failed attempts on one message, it is set aside so the conversation moves on. */
const MAX_MESSAGE_ATTEMPTS = 5;

export type InboundHandler = (message: TurnMessage) => Promise<TurnResult>;

export interface InboundTurnDeps {
  connection: Redis;
  prefix: string;
  handle: InboundHandler;
  logger: Logger;
  reroute?: (message: TurnMessage, closed: ConversationDoc) => Promise<void>;
  delivery: TurnDeliveryDeps;
}

/** The engine's turn, or undefined when the message failed too often and was set aside. */
async function handleCounted(
  deps: InboundTurnDeps,
  message: TurnMessage,
): Promise<TurnResult | undefined> {
  try {
    return await deps.handle(message);
  } catch (err) {
    const counted = await Message.findOneAndUpdate(
      { _id: message._id },
      { $inc: { attempts: 1 } },
      { returnDocument: 'after', projection: { attempts: 1 } },
    ).lean();
    const attempts = counted?.attempts ?? MAX_MESSAGE_ATTEMPTS;
    if (attempts < MAX_MESSAGE_ATTEMPTS) throw err;
    deps.logger.error({ err, messageId: String(message._id) }, 'engine gave up on a message');
    await markMessage(message._id, { status: 'processed', error: 'engine_failed', attempts });
    return undefined;
  }
}

/** A merge moved the conversation to another contact: ingest's route must follow. */
async function followMerge(deps: InboundTurnDeps, current: ConversationDoc): Promise<void> {
  await rememberRoute(
    deps.connection,
    deps.prefix,
    current.channel,
    current.platformConversationId,
    { conversationId: current._id.toHexString(), contactId: current.contactId.toHexString() },
    (current.replyContext as Record<string, string> | undefined) ?? undefined,
  );
}

/** What the inbound message's record gets once its turn is done. */
function processedUpdate(result: TurnResult): MessageUpdate {
  return {
    status: 'processed',
    ...(result.nlu ? { nlu: result.nlu } : {}),
    ...(typeof result.sentiment === 'number' ? { sentiment: result.sentiment } : {}),
    ...(result.answerTo ? { answerTo: result.answerTo } : {}),
    ...(result.clarified ? { clarified: result.clarified } : {}),
    // Ingest may have routed it from a cache older than a contact merge (route-cache.ts).
    ...(result.conversation ? { contactId: result.conversation.contactId } : {}),
  };
}

/**
 * One turn: the engine saves it, then its replies go out and the message is marked processed.
 * Traced as a `turn` span holding the engine's stages and the `delivery`.
 */
export function runInboundTurn(
  deps: InboundTurnDeps,
  message: TurnMessage,
  keys: TurnKeys,
  heldOutbound: string | undefined,
): Promise<DeliveryOutcome> {
  return inSpan('turn', {}, () => runTurn(deps, message, keys, heldOutbound));
}

async function runTurn(
  deps: InboundTurnDeps,
  message: TurnMessage,
  keys: TurnKeys,
  heldOutbound: string | undefined,
): Promise<DeliveryOutcome> {
  const result = await handleCounted(deps, message);
  if (!result) return { delivered: [] };
  if (result.closed && result.conversation) {
    await deps.reroute?.(message, result.conversation);
    return { delivered: [] };
  }
  const current = result.conversation;
  if (current && message.contactId && !current.contactId.equals(message.contactId)) {
    await followMerge(deps, current);
  }
  const set = processedUpdate(result);
  if (result.conversation && result.replies.length > 0) {
    const { conversation, replies } = result;
    const attributes = { 'charla.channel': conversation.channel, 'charla.replies': replies.length };
    return inSpan('delivery', { attributes }, () =>
      deliverTurn(
        deps.delivery,
        keys,
        conversation,
        replies,
        { id: message._id, set },
        { alreadyDelivered: result.delivered, heldOutbound },
      ),
    );
  }
  await markMessage(message._id, set);
  return { delivered: result.delivered ?? [], outboundOwner: heldOutbound };
}
