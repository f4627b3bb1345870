/** What staff do to an escalated conversation: claim it (queued → assigned), close it (→ bot). */
import type { Types } from 'mongoose';
import type { ClaimResult, StaffMember } from '../../kernel/contracts/escalation.js';
import { findConversation } from '../../kernel/db/conversations.js';
import { assignToStaff, releaseToBot } from '../../kernel/db/conversation-state.js';
import { objectId, type EscalationContext } from './escalation-context.js';
import { customerTexts } from './texts.js';

export async function claim(
  ctx: EscalationContext,
  conversationId: string,
  staffMember: StaffMember,
): Promise<ClaimResult> {
  const _id = objectId(conversationId);
  if (!_id) return { outcome: 'not_escalated' };
  const assignee = { id: staffMember.id, name: staffMember.name ?? staffMember.id };
  const { updated, current } = await ctx.lock(conversationId, async () => {
    const doc = await assignToStaff(_id, assignee, ctx.now());
    return { updated: doc, current: doc ? doc : await findConversation(_id) };
  });
  if (!updated) {
    if (current?.status === 'assigned' && current.assignee?.id) {
      return {
        outcome: 'already_assigned',
        assignee: { id: current.assignee.id, name: current.assignee.name ?? undefined },
      };
    }
    return { outcome: 'not_escalated' };
  }
  ctx.deps.logger.info({ conversationId, staff: staffMember.id }, 'escalation claimed');
  ctx.announce(conversationId, 'assigned', 'claimed', assignee);
  await ctx.tell(updated, [
    { text: customerTexts.staffJoined(ctx.localeOf(updated), assignee.name) },
  ]);
  await ctx.notifier()?.changed(conversationId, { kind: 'claimed', by: staffMember });
  return { outcome: 'claimed' };
}

export async function close(
  ctx: EscalationContext,
  conversationId: string,
  by: StaffMember | 'admin',
  opts: { assigneeOnly?: boolean } = {},
): Promise<boolean> {
  const _id = objectId(conversationId);
  if (!_id) return false;
  // Resuming writes the conversation's flow state too: all of it under the lock.
  return ctx.lock(conversationId, async () => {
    if (opts.assigneeOnly && by !== 'admin') {
      // Only the assignee closes a claimed conversation; checked under the lock, so a claim
      // cannot slip in between.
      const current = await findConversation(_id);
      if (current?.status === 'assigned' && current.assignee?.id !== by.id) return false;
    }
    return closeLocked(ctx, conversationId, _id, by);
  });
}

async function closeLocked(
  ctx: EscalationContext,
  conversationId: string,
  _id: Types.ObjectId,
  by: StaffMember | 'admin',
): Promise<boolean> {
  const updated = await releaseToBot(_id, by === 'admin' ? 'admin' : by.id, ctx.now());
  if (!updated) return false;
  ctx.deps.logger.info({ conversationId }, 'escalation closed');
  ctx.announce(conversationId, 'bot', 'closed');
  await ctx.tell(updated, [{ text: customerTexts.backWithBot(ctx.localeOf(updated)) }]);
  await ctx.notifier()?.changed(conversationId, { kind: 'closed', by });
  try {
    await ctx.deps.resume(conversationId);
  } catch (err) {
    ctx.deps.logger.error({ err, conversationId }, 'engine could not resume after close');
  }
  return true;
}
