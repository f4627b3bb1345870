/**
 * What stages write during a turn: nothing goes to the database or the outbox while the turn is
 * computed; replies, conversation fields and the hand-over are buffered on the turn's plan and the
 * commit stage writes them (docs/ARCHITECTURE.md, crash consistency).
 */
import type { EscalationReason } from '../../kernel/contracts/escalation.js';
import type { ConversationDoc } from '../../kernel/db/models/conversation.js';
import type { FlowState } from '../flows/runtime.js';
import type { ReplyDraft } from '../outbox.js';
import { HUMAN_AGENT_FLOW } from './flow-state.js';
import { say } from './texts.js';
import type { Turn, TurnPlan } from './turn.js';

/** The turn's open plan; a stage that writes before the understand stage opened it is a bug. */
export function planOf(turn: Turn): TurnPlan {
  if (!turn.plan) throw new Error('engine: a stage wrote to a turn with no open plan');
  return turn.plan;
}

/** Replies of the turn, in order (empty ones left out). */
export function reply(turn: Turn, drafts: Array<ReplyDraft | undefined>): void {
  const ready = drafts.filter((d): d is ReplyDraft => d !== undefined && d.text.trim() !== '');
  planOf(turn).replies.push(...ready);
}

/** Conversation fields the turn changes. */
export function setConversation(turn: Turn, set: Record<string, unknown>): void {
  Object.assign(planOf(turn).set, set);
}

/** Saves the flow step; `previous` keeps the flow's start time while the same flow runs. */
export function saveFlow(
  turn: Turn,
  state: FlowState | null,
  previous?: ConversationDoc['flow'],
): void {
  const startedAt =
    state && previous?.name === state.name ? (previous.startedAt ?? undefined) : undefined;
  const flow = state && startedAt ? { ...state, startedAt } : state;
  setConversation(turn, { flow });
}

/** Hands the conversation to a person; a running flow is kept aside for `resume`. */
export function handOver(turn: Turn, reason: EscalationReason, suspend: FlowState | null): void {
  // The flow is set aside in the turn's commit, before the escalation is queued (post-commit):
  // staff may close the escalation (and `resume`) as soon as it is queued.
  setConversation(turn, suspend ? { flow: null, suspendedFlow: suspend } : { flow: null });
  planOf(turn).escalate = reason;
  const text = turn.env.flow(HUMAN_AGENT_FLOW)?.completion.messages[turn.locale];
  reply(turn, [{ text: text ?? say('handedOver', turn.locale) }]);
}
