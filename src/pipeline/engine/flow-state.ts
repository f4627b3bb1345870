/** A conversation's flow as the engine reads it, and the flows the engine itself starts. */
import type { FlowDefinition } from '../flows/schema.js';
import { CHANGE_STEP, CONFIRM_STEP, type FlowState } from '../flows/runtime.js';
import type { ConversationDoc } from '../../kernel/db/models/conversation.js';

/** The flow that hands the conversation to a person (an intent's or the engine's own). */
export const HUMAN_AGENT_FLOW = 'human_agent';
/** The flow that offers a person after fallbacks. */
export const HUMAN_OFFER_FLOW = 'human_offer';
/** Fallbacks in a row after which a person is offered. */
export const FALLBACKS_BEFORE_OFFER = 2;

/** The stored flow as the flow runtime's state, or null when no flow runs. */
export function storedState(flow: ConversationDoc['flow']): FlowState | null {
  if (!flow?.name) return null;
  return {
    name: flow.name,
    slot: flow.slot ?? null,
    slots: (flow.slots ?? {}) as FlowState['slots'],
    attempts: flow.attempts ?? 0,
  };
}

/** Whether the pending step of a running flow still exists in (a possibly newer) definition. */
export function hasStep(def: FlowDefinition, state: FlowState): boolean {
  if (state.slot === null) return true;
  // A slot may itself be named like the confirmation step (human_offer's `confirm`).
  if (state.slot === CONFIRM_STEP && def.confirmation !== undefined) return true;
  if (state.slot === CHANGE_STEP && def.confirmation !== undefined) return true;
  return def.slots.some((s) => s.name === state.slot);
}
