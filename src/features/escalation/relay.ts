/**
 * A customer message while staff own the conversation: relayed to the staff tool, or — after
 * hours, when it picks the callback option — the conversation handed back to the bot.
 */
import type { CustomerActivity, RelayOutcome } from '../../kernel/contracts/escalation.js';
import { findConversation } from '../../kernel/db/conversations.js';
import {
  WITH_STAFF,
  handBackForCallback,
  recordCustomerMessage,
} from '../../kernel/db/conversation-state.js';
import type { ConversationDoc } from '../../kernel/db/models/conversation.js';
import { findMessage } from '../../kernel/db/messages.js';
import { objectId, type EscalationContext } from './escalation-context.js';
import { isCallbackChoice } from './texts.js';

export async function relayCustomerMessage(
  ctx: EscalationContext,
  conversationId: string,
  messageId: string,
  activity?: CustomerActivity,
): Promise<RelayOutcome> {
  const conversation = await findConversation(conversationId);
  const _mid = objectId(messageId);
  if (!conversation || !_mid) return 'relayed';
  if (!(WITH_STAFF as readonly string[]).includes(conversation.status)) return 'handed_back';

  if (conversation.status === 'queued' && conversation.escalation?.afterHours) {
    const message = await findMessage(_mid);
    if (message && isCallbackChoice(message.text ?? '') && (await callback(ctx, conversation))) {
      return 'handed_back';
    }
  }
  const staff = ctx.notifier();
  // This message made the customer read as frustrated: the queue item says so (after the write).
  const frustrated = !!activity?.sentiment?.frustratedAt && !conversation.sentiment?.frustratedAt;
  // One write either way: the relay list (for the staff tool) and the console's last message.
  if (!staff) {
    await recordCustomerMessage(conversation._id, activity);
    if (frustrated) ctx.announce(conversationId, conversation.status, 'frustrated');
    return 'relayed';
  }
  if (!(await recordCustomerMessage(conversation._id, activity, _mid))) return 'handed_back';
  await staff.customerMessage(conversationId, messageId);
  if (frustrated) {
    ctx.announce(conversationId, conversation.status, 'frustrated');
    await staff.changed(conversationId, { kind: 'frustrated' });
  }
  return 'relayed';
}

async function callback(ctx: EscalationContext, conversation: ConversationDoc): Promise<boolean> {
  if (!(await handBackForCallback(conversation._id, ctx.now()))) return false;
  ctx.waitEnded(conversation, 'callback');
  ctx.announce(String(conversation._id), 'bot', 'callback');
  await ctx.notifier()?.changed(String(conversation._id), { kind: 'callback' });
  return true;
}
