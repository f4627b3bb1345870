/**
 * The after-hours notice: sent at once, or deferred (a job) until the engine has finished the
 * turn that escalated, so it follows the engine's hand-over message.
 */
import { findConversation } from '../../kernel/db/conversations.js';
import { Message } from '../../kernel/db/models/message.js';
import type { ConversationDoc } from '../../kernel/db/models/conversation.js';
import { describeOpening, nextOpening } from '../../kernel/time/business-hours.js';
import type { DeferredNotice, EscalationContext } from './escalation-context.js';
import { customerTexts } from './texts.js';

/** The engine is still handling the turn that escalated; try again shortly. */
export class TurnInProgress extends Error {
  constructor() {
    super('the engine has not finished the escalating turn');
    this.name = 'TurnInProgress';
  }
}

export async function sendAfterHoursNotice(
  ctx: EscalationContext,
  conversation: ConversationDoc,
): Promise<void> {
  const { businessHours } = ctx;
  if (!businessHours) return;
  const locale = ctx.localeOf(conversation);
  const at = ctx.now();
  const opening = nextOpening(businessHours, at);
  const when = opening ? describeOpening(opening, at, businessHours.timeZone, locale) : undefined;
  await ctx.tell(conversation, [
    {
      text: customerTexts.afterHours(locale, when, businessHours.timeZone),
      quickReplies: customerTexts.callbackQuickReplies(locale),
    },
  ]);
}

/**
 * Sends a notice deferred by `escalate`, once the engine has finished the turn that escalated
 * (every customer message up to the escalation is processed). Throws TurnInProgress to be
 * retried; does nothing when the conversation is no longer waiting.
 */
export async function sendDeferredNotice(
  ctx: EscalationContext,
  conversationId: string,
  notice: DeferredNotice,
): Promise<void> {
  const conversation = await findConversation(conversationId);
  const queuedAt = conversation?.escalation?.queuedAt;
  if (!conversation || conversation.status !== 'queued' || !queuedAt) return;
  const unfinished = await Message.exists({
    conversationId: conversation._id,
    direction: 'in',
    status: 'received',
    createdAt: { $lte: queuedAt },
  });
  if (unfinished) throw new TurnInProgress();
  if (notice === 'after-hours') await sendAfterHoursNotice(ctx, conversation);
}
