/**
 * Stage: a flow is running — the message answers its pending step, unless a recognised intent
 * interrupts it (then that intent is acted on and the step asked again). A flow a published
 * catalogue removed meanwhile is forgotten. With no flow running, the turn goes on to `act`.
 */
import type { IntentDefinition } from '../../../kernel/contracts/nlu.js';
import type { FlowDefinition } from '../../flows/schema.js';
import {
  answersPendingStep,
  promptFor,
  stepFlow,
  type FlowContext,
  type FlowState,
} from '../../flows/runtime.js';
import { isUnsubscribe, looksLikeQuestion, parseSlot } from '../../flows/slots.js';
import { HUMAN_AGENT_FLOW, hasStep, storedState } from '../flow-state.js';
import { applyOutcome, flowContext } from '../outcome.js';
import { planOf, reply, saveFlow } from '../plan.js';
import { say } from '../texts.js';
import type { Stage, Turn, TurnMessage } from '../turn.js';
import { actOn } from './act.js';

/** The number on a contact card the customer shared, with the `+` some platforms leave out. */
export function sharedPhone(message: TurnMessage): string | undefined {
  const phone = message.attachments?.find(
    (a) => a.kind === 'contact' && a.contactPhone,
  )?.contactPhone;
  if (!phone) return undefined;
  return /^\s*\+/.test(phone) ? phone : `+${phone.replace(/^\s*0{2}/, '')}`;
}

/**
 * Whether a recognised intent interrupts the pending slot. Free-text slots (a case description)
 * only yield to questions, so a description that mentions prices stays a description.
 */
export function interrupts(
  intent: IntentDefinition,
  def: FlowDefinition,
  state: FlowState,
  text: string,
  ctx: FlowContext,
): boolean {
  const action = intent.action ?? { type: 'answer' };
  if (def.onIntent === 'leave') return true;
  const slot = def.slots.find((s) => s.name === state.slot);
  if (action.type === 'flow') {
    // Asking for a person always wins; another flow only when this is no answer to the slot.
    if (action.flow === HUMAN_AGENT_FLOW) return true;
    return action.flow !== def.name && (!slot || !parseSlot(slot.type, text, ctx).ok);
  }
  // An answer that fits a name/company/description slot ("Precios Bajos SL", "Hola, soy Juan")
  // is taken as the answer unless it reads as a question.
  if (!slot || slot.type === 'confirm') return true;
  return !parseSlot(slot.type, text, ctx).ok || looksLikeQuestion(text);
}

/** A published catalogue removed the flow (or its pending step) while it ran. */
async function forgetGoneFlow(turn: Turn): Promise<void> {
  // Say so, forget it, and answer the message only if it asks for something the bot knows.
  saveFlow(turn, null);
  turn.conversation.flow = null;
  reply(turn, [{ text: say('flowGone', turn.locale) }]);
  if (turn.nlu.intent) await actOn(turn);
}

/** An intent interrupted the pending step: act on it, then (usually) ask the step again. */
async function interrupt(turn: Turn, def: FlowDefinition, state: FlowState): Promise<void> {
  if (def.onIntent === 'leave') {
    saveFlow(turn, null);
    turn.conversation.flow = null;
    await actOn(turn);
    return;
  }
  await actOn(turn);
  // Unless the intent handed the conversation over or moved to another flow, ask the pending
  // slot again.
  const plan = planOf(turn);
  const flowNow = 'flow' in plan.set ? (plan.set.flow as FlowState | null) : state;
  if (!plan.escalate && flowNow?.name === state.name) {
    reply(turn, [promptFor(def, state, turn.locale)]);
  }
}

/** "unsubscribe" / "darme de baja" (said, or the NLU's unsubscribe built-in) mid-form. */
function wantsOut(turn: Turn, intent: IntentDefinition | undefined): boolean {
  if (isUnsubscribe(turn.text)) return true;
  const action = intent?.action;
  return action?.type === 'builtin' && action.name === 'unsubscribe';
}

/** The form stops and the customer is unsubscribed from marketing. */
async function stopForUnsubscribe(turn: Turn): Promise<void> {
  saveFlow(turn, null);
  turn.conversation.flow = null;
  reply(turn, await turn.env.records.runBuiltin('unsubscribe', turn));
}

/**
 * A question the bot cannot place, typed where a detail was asked ("What's the weather in Paris
 * tomorrow?" for the company): said so, and the detail asked again — never stored as its value,
 * never an invalid attempt. A free-text slot (a case description) takes it as the answer.
 */
function offTopic(turn: Turn, def: FlowDefinition, state: FlowState): boolean {
  const slot = def.slots.find((s) => s.name === state.slot);
  if (slot?.type === 'text' || !looksLikeQuestion(turn.text)) return false;
  reply(turn, [{ text: say('offTopicInFlow', turn.locale) }, promptFor(def, state, turn.locale)]);
  saveFlow(turn, state, turn.conversation.flow);
  return true;
}

async function continueFlow(turn: Turn, state: FlowState): Promise<void> {
  const def = turn.env.flow(state.name);
  if (!def || !hasStep(def, state)) return forgetGoneFlow(turn);
  const ctx = await flowContext(turn);
  const shared = sharedPhone(turn.message);
  if (shared && def.slots.find((s) => s.name === state.slot)?.type === 'phone') {
    // A shared contact card answers a phone question by itself.
    turn.answerTo = 'slot';
    await applyOutcome(turn, def, stepFlow(def, state, shared, ctx));
    return;
  }
  const intent = turn.nlu.intent ? turn.env.intent(turn.nlu.intent) : undefined;
  const answers = answersPendingStep(def, state, turn.text, ctx);
  if (!answers && wantsOut(turn, intent)) return stopForUnsubscribe(turn);
  if (intent && !answers && interrupts(intent, def, state, turn.text, ctx)) {
    await interrupt(turn, def, state);
    return;
  }
  if (!answers && !intent && offTopic(turn, def, state)) return;
  turn.answerTo = 'slot';
  await applyOutcome(turn, def, stepFlow(def, state, turn.text, ctx));
}

export const flowStep: Stage = {
  name: 'flow-step',
  async run(turn, next) {
    const state = storedState(turn.conversation.flow);
    if (state) await continueFlow(turn, state);
    else await next();
  },
};
