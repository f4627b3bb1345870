/** The bot gets a conversation back from a person: the flow step it was in is asked again. */
import type { Locale } from '../../kernel/contracts/messages.js';
import { promptFor } from '../flows/runtime.js';
import { storedState } from './flow-state.js';
import { say } from './texts.js';
import type { EngineEnv } from './turn.js';

export async function resumeConversation(env: EngineEnv, conversationId: string): Promise<void> {
  const conversation = await env.store.find(conversationId);
  if (!conversation || conversation.status !== 'bot') return;
  const state = storedState(conversation.suspendedFlow) ?? storedState(conversation.flow);
  if (!state) return;
  const def = env.flow(state.name);
  const locale = (conversation.locale as Locale | undefined) ?? env.defaultLocale;
  const prompt = def && state.slot ? promptFor(def, state, locale) : undefined;
  if (!prompt) {
    await env.store.dropSuspendedFlow(conversation._id);
    return;
  }
  await env.store.resumeFlow(conversation._id, state);
  // Outside a turn: straight to the outbox (queued for delivery, tracked in flight).
  const drafts = [{ text: say('resumed', locale) }, prompt].filter((d) => d.text.trim() !== '');
  if (drafts.length > 0) await env.outbox.send(conversation, drafts);
}
