/** No intent to act on: say so, and after a second fallback in a row offer a person. */
import { startFlow } from '../flows/runtime.js';
import { FALLBACKS_BEFORE_OFFER, HUMAN_OFFER_FLOW } from './flow-state.js';
import { applyOutcome } from './outcome.js';
import { reply, setConversation } from './plan.js';
import { say } from './texts.js';
import type { Turn } from './turn.js';

export async function fallback(turn: Turn): Promise<void> {
  const count = (turn.conversation.fallbackCount ?? 0) + 1;
  const offer = turn.env.flow(HUMAN_OFFER_FLOW);
  if (count >= FALLBACKS_BEFORE_OFFER && offer) {
    setConversation(turn, { fallbackCount: 0 });
    await applyOutcome(turn, offer, startFlow(offer, { locale: turn.locale }));
    return;
  }
  setConversation(turn, { fallbackCount: count });
  reply(turn, [{ text: say('fallback', turn.locale) }]);
}
