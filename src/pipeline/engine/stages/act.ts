/**
 * Stage: act on what the customer asked — the intent's answer, its flow or its built-in — or fall
 * back (a second fallback in a row offers a person). The last stage: it ends every turn that no
 * earlier stage ended. The flow step stage calls `actOn` too, when an intent interrupts a flow.
 */
import type { IntentDefinition } from '../../../kernel/contracts/nlu.js';
import type { EscalationReason } from '../../../kernel/contracts/escalation.js';
import { BUILTIN_ACTIONS, type BuiltinAction } from '../../catalogue/schema.js';
import { startFlow } from '../../flows/runtime.js';
import { isCancel } from '../../flows/slots.js';
import { fallback } from '../fallback.js';
import { HUMAN_AGENT_FLOW, storedState } from '../flow-state.js';
import { applyOutcome, flowContext } from '../outcome.js';
import { handOver, reply } from '../plan.js';
import { say } from '../texts.js';
import type { Stage, Turn } from '../turn.js';

/** The intent's answers in the turn's language, in turn: each repeat of an intent gets the next. */
function pickAnswer(intent: IntentDefinition, turn: Turn): string | undefined {
  const answers = intent.answers?.[turn.locale] ?? [];
  if (answers.length === 0) return undefined;
  const seen = turn.conversation.intentsSeen?.filter((i) => i === intent.name).length ?? 0;
  return answers[seen % answers.length];
}

function answer(turn: Turn, intent: IntentDefinition): void {
  const buttons = intent.quickReplies?.[turn.locale] ?? [];
  const quickReplies = buttons.map((title) => ({ title, payload: title }));
  reply(turn, [
    { text: pickAnswer(intent, turn) ?? '', ...(quickReplies.length ? { quickReplies } : {}) },
  ]);
}

async function beginFlow(turn: Turn, name: string): Promise<void> {
  const def = turn.env.flow(name);
  if (!def) {
    turn.env.logger.error({ flow: name }, 'intent points at a flow that is not in the catalogue');
    await fallback(turn);
    return;
  }
  // Asking for a person mid-flow keeps the flow aside to resume it afterwards.
  const running = storedState(turn.conversation.flow);
  if (def.completion.action === 'escalate' && def.slots.length === 0) {
    const reason: EscalationReason = name === HUMAN_AGENT_FLOW ? 'customer_request' : 'flow';
    handOver(turn, reason, running && running.name !== name ? running : null);
    return;
  }
  const outcome = startFlow(def, await flowContext(turn), turn.text);
  await applyOutcome(turn, def, outcome);
}

async function runBuiltin(turn: Turn, name: string): Promise<void> {
  if (!(BUILTIN_ACTIONS as readonly string[]).includes(name)) {
    turn.env.logger.error({ builtin: name }, 'unknown built-in action');
    await fallback(turn);
    return;
  }
  reply(turn, await turn.env.records.runBuiltin(name as BuiltinAction, turn));
}

/** Runs what the recognised intent asks for, or falls back. */
export async function actOn(turn: Turn): Promise<void> {
  const intent = turn.nlu.intent ? turn.env.intent(turn.nlu.intent) : undefined;
  if (isCancel(turn.text)) {
    // A bare "cancelar" with no flow running is moot, not a fallback; nor is it a request to
    // unsubscribe (which the NLU may guess), that takes words like "darme de baja".
    reply(turn, [{ text: say('nothingToCancel', turn.locale) }]);
    return;
  }
  if (!intent) {
    await fallback(turn);
    return;
  }
  const action = intent.action ?? { type: 'answer' as const };
  switch (action.type) {
    case 'answer':
      answer(turn, intent);
      return;
    case 'flow':
      await beginFlow(turn, action.flow);
      return;
    case 'builtin':
      await runBuiltin(turn, action.name);
      return;
  }
}

export const act: Stage = {
  name: 'act',
  run: (turn) => actOn(turn),
};
