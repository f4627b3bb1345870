/**
 * The one shape a visitor sees of a message, in GET /messages and on the WebSocket stream alike.
 * Internal staff notes never get here (callers filter them), and platform details stay out.
 */
import type { Awaiting, QuickReply } from '../../src/kernel/contracts/messages.js';
import { Conversation } from '../../src/kernel/db/models/conversation.js';
import { Message, type MessageDoc } from '../../src/kernel/db/models/message.js';

export interface WebchatMessageView {
  id: string;
  direction: 'in' | 'out';
  /** customer | bot | staff | system: lets the widget label a human agent's replies. */
  author: string;
  text: string;
  createdAt: string;
  quickReplies?: QuickReply[];
  awaiting?: Awaiting;
}

/** How many messages a visitor gets back at most (the newest ones). */
export const HISTORY_LIMIT = 500;

export function toView(message: MessageDoc): WebchatMessageView {
  const view: WebchatMessageView = {
    id: message._id.toHexString(),
    direction: message.direction,
    author: message.author,
    text: message.text ?? '',
    createdAt: new Date(message.createdAt).toISOString(),
  };
  const quickReplies = (message.quickReplies ?? []).map((q) => ({
    title: q.title ?? '',
    payload: q.payload ?? '',
  }));
  if (quickReplies.length > 0) view.quickReplies = quickReplies;
  if (message.awaiting?.flow && message.awaiting.slot) {
    view.awaiting = { flow: message.awaiting.flow, slot: message.awaiting.slot };
  }
  return view;
}

/**
 * Every customer-visible message of a session, oldest first, across all its conversations (a
 * closed conversation is replaced by a new one under the same session).
 */
export async function sessionHistory(sessionId: string): Promise<WebchatMessageView[]> {
  const conversations = await Conversation.find(
    { channel: 'webchat', platformConversationId: sessionId },
    { _id: 1 },
  ).lean();
  if (conversations.length === 0) return [];
  const newest = await Message.find({
    conversationId: { $in: conversations.map((c) => c._id) },
    internal: { $ne: true },
  })
    .sort({ createdAt: -1, _id: -1 })
    .limit(HISTORY_LIMIT)
    .lean<MessageDoc[]>();
  return newest.reverse().map(toView);
}
