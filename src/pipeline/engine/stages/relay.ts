/**
 * Stage: a person owns the conversation (queued or assigned). The message goes to staff with the
 * customer's mood, the bot stays quiet and a running flow waits for `resume`. When the escalator
 * hands the conversation back instead (the customer left the queue), the message is the bot's:
 * the conversation is read again and the turn goes on.
 */
import type { Locale } from '../../../kernel/contracts/messages.js';
import { lastActivity } from '../../../kernel/db/activity.js';
import { nextSentiment } from '../../insight/trend.js';
import { detectLanguage } from '../../nlu/language.js';
import type { Stage, Turn } from '../turn.js';

/** Relays the message to staff; false when the escalator handed the conversation back. */
async function relayed(turn: Turn): Promise<boolean> {
  const { conversation, message, env } = turn;
  const fallbackLocale = (conversation.locale as Locale | undefined) ?? env.defaultLocale;
  const locale = detectLanguage(message.text ?? '', fallbackLocale);
  const mood = nextSentiment(conversation.sentiment, message, locale);
  // Typed loosely on purpose: older escalators resolve to nothing, which means "relayed".
  const outcome: unknown = await env.escalator.relayCustomerMessage(
    conversation._id.toHexString(),
    message._id.toHexString(),
    { ...lastActivity(message), ...mood.set },
  );
  if (outcome === 'handed_back') return false;
  if (conversation.flow) await env.store.suspendFlow(conversation._id, conversation.flow);
  turn.result = { conversation, replies: [], sentiment: mood.score };
  return true;
}

export const humanOwnsIt: Stage = {
  name: 'human-owns-it',
  async run(turn, next) {
    const { status } = turn.conversation;
    if (status !== 'queued' && status !== 'assigned') return next();
    if (await relayed(turn)) return;
    const again = await turn.env.store.find(turn.conversation._id);
    if (!again) {
      turn.result = { replies: [] };
      return;
    }
    turn.conversation = again;
    await next();
  },
};
