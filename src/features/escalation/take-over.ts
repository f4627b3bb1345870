/**
 * Staff take a conversation over whatever holds it (issue 19.3): from the bot at once (a flow it
 * ran is set aside and resumed on close), or from the queue as a claim. Checked and written under
 * the conversation lock, so the engine, Slack and the console never interleave; the customer is
 * told a person joined, the consoles hear it, and the staff tool gets its item, already claimed.
 */
import type { StaffMember, TakeOverResult } from '../../kernel/contracts/escalation.js';
import { findConversation } from '../../kernel/db/conversations.js';
import { assignToStaff, takeFromBot } from '../../kernel/db/conversation-state.js';
import type { ConversationDoc } from '../../kernel/db/models/conversation.js';
import { objectId, type EscalationContext } from './escalation-context.js';
import { customerTexts } from './texts.js';

type Locked =
  | { result: Exclude<TakeOverResult, { outcome: 'taken' }> }
  | { result: Extract<TakeOverResult, { outcome: 'taken' }>; updated: ConversationDoc };

export async function takeOver(
  ctx: EscalationContext,
  conversationId: string,
  staffMember: StaffMember,
): Promise<TakeOverResult> {
  const _id = objectId(conversationId);
  if (!_id) return { outcome: 'closed' };
  const assignee = { id: staffMember.id, name: staffMember.name ?? staffMember.id };
  const locked = await ctx.lock(conversationId, async (): Promise<Locked> => {
    const current = await findConversation(_id);
    if (!current || current.status === 'closed') return { result: { outcome: 'closed' } };
    if (current.status === 'assigned') {
      if (current.assignee?.id === staffMember.id) return { result: { outcome: 'already_yours' } };
      return {
        result: {
          outcome: 'already_assigned',
          assignee: { id: current.assignee?.id ?? '', name: current.assignee?.name ?? undefined },
        },
      };
    }
    const from = current.status === 'bot' ? 'bot' : 'queued';
    const updated =
      from === 'bot'
        ? await takeFromBot(current, assignee, ctx.now())
        : await assignToStaff(_id, assignee, ctx.now());
    // Under the lock nothing else moves it; a null here is a document that vanished (erasure).
    if (!updated) return { result: { outcome: 'closed' } };
    return { result: { outcome: 'taken', from }, updated };
  });
  if (!('updated' in locked)) return locked.result;
  const { updated, result } = locked;
  ctx.deps.logger.info({ conversationId, staff: staffMember.id, from: result.from }, 'taken over');
  if (result.from === 'queued') ctx.waitEnded(updated, 'assigned');
  ctx.announce(conversationId, 'assigned', 'claimed', assignee);
  await ctx.tell(updated, [
    { text: customerTexts.staffJoined(ctx.localeOf(updated), assignee.name) },
  ]);
  const notifier = ctx.notifier();
  // From the bot there was no queue item: post one (it renders as claimed), then say who.
  if (result.from === 'bot') await notifier?.queued(conversationId);
  await notifier?.changed(conversationId, { kind: 'claimed', by: staffMember });
  return result;
}
