/** What staff do to an escalated conversation: claim it (queued → assigned), close it (→ bot). */
import type { Types } from 'mongoose';
import type { ClaimResult, StaffMember } from '../../kernel/contracts/escalation.js';
import { findConversation } from '../../kernel/db/conversations.js';
import {
  assignToStaff,
  reassignToStaff,
  releaseToBot,
  requeueToTeam,
} from '../../kernel/db/conversation-state.js';
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
  ctx.waitEnded(updated, 'assigned');
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
  ctx.waitEnded(updated, 'closed');
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

/**
 * queued|assigned → assigned to `to` (a reassignment, or the automatic assignment): under the
 * lock, one conditional write; the customer hears who joined, the staff tool re-renders its item.
 */
export async function assign(
  ctx: EscalationContext,
  conversationId: string,
  to: StaffMember,
  by: string,
  opts: { onlyFrom?: string | null; reason?: 'reassigned' | 'auto' } = {},
): Promise<boolean> {
  const _id = objectId(conversationId);
  if (!_id) return false;
  const assignee = { id: to.id, name: to.name ?? to.id };
  const updated = await ctx.lock(conversationId, async () => {
    const current = await findConversation(_id);
    // Already theirs: nothing to do (and nothing to tell the customer twice).
    if (current?.status === 'assigned' && current.assignee?.id === to.id) return null;
    const change = { assignee, by, at: ctx.now(), reason: opts.reason ?? 'reassigned' };
    return reassignToStaff(_id, change, opts.onlyFrom);
  });
  if (!updated) return false;
  ctx.deps.logger.info({ conversationId, staff: to.id }, 'conversation assigned');
  ctx.waitEnded(updated, 'assigned');
  ctx.announce(conversationId, 'assigned', 'assigned', assignee);
  await ctx.tell(updated, [
    { text: customerTexts.staffJoined(ctx.localeOf(updated), assignee.name) },
  ]);
  await ctx.notifier()?.changed(conversationId, { kind: 'claimed', by: to });
  return true;
}

/** queued|assigned → queued for a team (its assignee let go), under the lock. */
export async function requeue(
  ctx: EscalationContext,
  conversationId: string,
  team: { id: string; name: string },
  by: string,
  opts: { onlyFrom?: string } = {},
): Promise<boolean> {
  const _id = objectId(conversationId);
  if (!_id) return false;
  const updated = await ctx.lock(conversationId, () =>
    requeueToTeam(_id, { team, by, at: ctx.now() }, opts.onlyFrom),
  );
  if (!updated) return false;
  ctx.deps.logger.info({ conversationId, team: team.id }, 'conversation handed to a team');
  ctx.announce(conversationId, 'queued', 'requeued');
  await ctx.notifier()?.changed(conversationId, { kind: 'requeued', team: team.name });
  return true;
}
