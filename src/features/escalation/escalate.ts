/** bot → queued: the escalation itself, and its idempotent replay after a crash. */
import type { Types } from 'mongoose';
import type { EscalationReason } from '../../kernel/contracts/escalation.js';
import { Conversation, type ConversationDoc } from '../../kernel/db/models/conversation.js';
import { queueForHuman } from '../../kernel/db/conversation-state.js';
import { isOpen } from '../../kernel/time/business-hours.js';
import { NO_EVENTS } from '../../kernel/events.js';
import { objectId, type EscalationContext } from './escalation-context.js';
import { sendAfterHoursNotice } from './notices.js';
import { customerTexts } from './texts.js';

export async function escalate(
  ctx: EscalationContext,
  conversationId: string,
  reason: EscalationReason,
): Promise<void> {
  const _id = objectId(conversationId);
  if (!_id) return;
  const at = ctx.now();
  const afterHours = ctx.businessHours ? !isOpen(ctx.businessHours, at) : false;
  const updated = await queueForHuman(_id, { reason, at, afterHours });
  if (!updated) return finishAnnouncing(ctx, conversationId, _id, reason);
  ctx.deps.logger.info({ conversationId, reason, afterHours }, 'conversation escalated');
  ctx.announce(conversationId, 'queued', 'queued');
  await (ctx.deps.bus ?? NO_EVENTS).publish('conversation.escalated', {
    conversation: updated,
    at,
  });

  const locale = ctx.localeOf(updated);
  if (reason === 'admin') {
    await ctx.tell(updated, [{ text: customerTexts.adminEscalated(locale) }]);
  }
  if (afterHours) {
    // The engine announces the hand-over right after this returns; the after-hours notice
    // (with its callback button) must come after that, so it is sent by a job when possible.
    if (ctx.deps.defer) await ctx.deps.defer(conversationId, 'after-hours', at.getTime());
    else await sendAfterHoursNotice(ctx, updated);
  }
  await ctx.notifier()?.queued(conversationId);
}

/**
 * The same escalation again (a turn replayed after a crash between the state write above and
 * the staff notification): the conversation is already queued for this reason, so finish what
 * may not have happened. Both steps are idempotent per episode (job ids carry `queuedAt`), so a
 * replay after everything went out posts nothing twice.
 */
async function finishAnnouncing(
  ctx: EscalationContext,
  conversationId: string,
  _id: Types.ObjectId,
  reason: EscalationReason,
): Promise<void> {
  const current = await Conversation.findById(_id, {
    status: 1,
    escalation: 1,
  }).lean<ConversationDoc>();
  const episode = current?.escalation;
  if (current?.status !== 'queued' || episode?.reason !== reason || !episode.queuedAt) return;
  if (episode.afterHours && ctx.deps.defer) {
    await ctx.deps.defer(conversationId, 'after-hours', new Date(episode.queuedAt).getTime());
  }
  await ctx.notifier()?.queued(conversationId);
}
