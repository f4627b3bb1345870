/**
 * The escalation state machine (bot → queued → assigned → bot), persisted on the Conversation
 * with statusHistory and escalation.{queuedAt, assignedAt, closedAt} so wait times can be
 * reported. Every transition is one conditional write (src/kernel/db/conversation-state.ts), so
 * concurrent staff actions (two claims, a claim and a close) have exactly one effect. A staff
 * tool plugs in through StaffNotifier; without one, conversations still queue and are listed by
 * the admin API. The parts: escalate.ts (bot → queued), relay.ts (customer messages while with
 * staff), staff-actions.ts (claim, close), take-over.ts (staff take
 * it from the bot), notices.ts (the after-hours notice).
 */
import type { Escalator } from '../../kernel/contracts/escalation.js';
import type { BusinessHours } from '../../kernel/time/business-hours.js';
import {
  createEscalationContext,
  type DeferredNotice,
  type EscalatorDeps,
} from './escalation-context.js';
import { escalate } from './escalate.js';
import { sendDeferredNotice } from './notices.js';
import { relayCustomerMessage } from './relay.js';
import { assign, claim, close, requeue } from './staff-actions.js';
import { takeOver } from './take-over.js';

export type { DeferredNotice, EscalatorDeps, StaffNotifier } from './escalation-context.js';
export { TurnInProgress } from './notices.js';

export interface EscalatorWithInternals extends Escalator {
  readonly businessHours: BusinessHours | undefined;
  sendDeferredNotice(conversationId: string, notice: DeferredNotice): Promise<void>;
}

export function createEscalator(deps: EscalatorDeps): EscalatorWithInternals {
  const ctx = createEscalationContext(deps);
  return {
    escalate: (conversationId, reason) => escalate(ctx, conversationId, reason),
    relayCustomerMessage: (conversationId, messageId, activity) =>
      relayCustomerMessage(ctx, conversationId, messageId, activity),
    claim: (conversationId, staff) => claim(ctx, conversationId, staff),
    takeOver: (conversationId, staff) => takeOver(ctx, conversationId, staff),
    close: (conversationId, by, opts) => close(ctx, conversationId, by, opts),
    assign: (conversationId, to, by, opts) => assign(ctx, conversationId, to, by, opts),
    requeue: (conversationId, team, by, opts) => requeue(ctx, conversationId, team, by, opts),
    staffWrote: async (conversationId, messageId) => {
      await ctx.notifier()?.staffMessage?.(conversationId, messageId);
    },
    businessHours: ctx.businessHours,
    sendDeferredNotice: (conversationId, notice) => sendDeferredNotice(ctx, conversationId, notice),
  };
}
