/** No intent to act on: say so, and after a second fallback in a row offer a person. */
import { startFlow } from '../flows/runtime.js';
import { FALLBACKS_BEFORE_OFFER, HUMAN_OFFER_FLOW } from './flow-state.js';
import { applyOutcome } from './outcome.js';
import { reply, setConversation } from './plan.js';
import { say } from './texts.js';
import type { Turn } from './turn.js';

/**
 * The intents the fallback offers as buttons (what the bot can do), those the catalogue labels:
 * tapping one is recorded like a clarification pick (stages/clarify.ts).
 */
export const MENU_INTENTS: readonly string[] = ['pricing', 'open_case', 'business_hours'];

export async function fallback(turn: Turn): Promise<void> {
  const count = (turn.conversation.fallbackCount ?? 0) + 1;
  const offer = turn.env.flow(HUMAN_OFFER_FLOW);
  if (count >= FALLBACKS_BEFORE_OFFER && offer) {
    setConversation(turn, { fallbackCount: 0 });
    await applyOutcome(turn, offer, startFlow(offer, { locale: turn.locale }));
    return;
  }
  setConversation(turn, { fallbackCount: count });
  const menu = MENU_INTENTS.filter((i) => turn.env.intent(i)?.label?.[turn.locale]);
  const buttons = menu.map((i) => turn.env.intent(i)!.label![turn.locale].button);
  reply(turn, [
    {
      text: say('fallback', turn.locale),
      ...(buttons.length
        ? { quickReplies: buttons.map((title) => ({ title, payload: title })) }
        : {}),
    },
  ]);
  if (menu.length && turn.text.trim()) {
    setConversation(turn, {
      clarifying: { intents: menu, messageId: turn.message._id, text: turn.text },
    });
  }
}
