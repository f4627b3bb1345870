/**
 * Stage: ask instead of guessing or failing. When the NLU's best two intents are too close to
 * call, or its best one is of middling confidence (clarify-decision.ts, thresholds measured on
 * the development set), the bot asks one question naming them in the customer's language, with
 * a button each and "something else". The next message answers it: a button or a typed pick
 * routes the original message to that intent as if understood (its flow starts from the original
 * text); "something else" asks for other words; anything else is read as a new message, and a
 * second doubtful one in a row falls back instead of asking again. Answers are marked
 * `answerTo: 'clarification'` with the pick (`TurnResult.clarified`), so the studio learns from
 * them and "what the bot missed" never lists them. Runs only when no flow is running.
 */
import type { Locale } from '../../../kernel/contracts/messages.js';
import { lastActivity } from '../../../kernel/db/activity.js';
import type { ConversationDoc } from '../../../kernel/db/models/conversation.js';
import { foldText } from '../../nlu/features.js';
import { intentsToOffer } from '../clarify-decision.js';
import { fallback } from '../fallback.js';
import { planOf, reply, setConversation } from '../plan.js';
import { say, TEXTS } from '../texts.js';
import type { EngineEnv, Stage, Turn } from '../turn.js';

const LOCALES: readonly Locale[] = ['es', 'en'];

/** A question the bot asked and the next message answers (Conversation.clarifying). */
export type PendingClarification = NonNullable<ConversationDoc['clarifying']>;

const comparable = (text: string) =>
  foldText(text)
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();

/** How the bot names an intent, in `locale` (its label), if it can offer it. */
function labelOf(env: EngineEnv, intent: string, locale: Locale) {
  return env.intent(intent)?.label?.[locale];
}

/**
 * What the message picks among the offered intents: an intent, null for "something else", or
 * undefined when it is no pick (a new message). A button title or the intent's phrase in either
 * language counts, and so does a typed message the NLU reads as one of them.
 */
export function pickOf(turn: Turn, offered: readonly string[]): string | null | undefined {
  const said = comparable(turn.text);
  if (!said) return undefined;
  if (LOCALES.some((l) => comparable(TEXTS.somethingElse[l]) === said)) return null;
  for (const intent of offered) {
    const names = LOCALES.flatMap((l) => {
      const label = labelOf(turn.env, intent, l);
      return label ? [label.button, label.phrase] : [];
    });
    if (names.some((n) => comparable(n) === said)) return intent;
  }
  const read = turn.nlu.intent;
  return read && offered.includes(read) ? read : undefined;
}

/** Asks which of `intents` the customer means; the next message answers it. */
export function ask(turn: Turn, intents: readonly string[]): void {
  const labels = intents.map((i) => labelOf(turn.env, i, turn.locale)!);
  const text =
    labels.length === 1
      ? say('clarifyOne', turn.locale, { a: labels[0]!.phrase })
      : say('clarifyTwo', turn.locale, { a: labels[0]!.phrase, b: labels[1]!.phrase });
  const buttons = [...labels.map((l) => l.button), say('somethingElse', turn.locale)];
  reply(turn, [{ text, quickReplies: buttons.map((title) => ({ title, payload: title })) }]);
  setConversation(turn, {
    clarifying: {
      intents: [...intents],
      messageId: turn.message._id,
      text: turn.text,
    },
  });
  turn.asked = [...intents];
  // Not acted on: the message counts as understood only once the customer picks (analytics).
  turn.nlu = { ...turn.nlu, intent: null };
  planOf(turn).intentSeen = undefined;
}

/** The original message goes on as if the NLU had read `intent` in it. */
function routeTo(turn: Turn, intent: string, pending: PendingClarification): void {
  const text = pending.text ?? turn.text;
  turn.text = text;
  turn.entities = text ? turn.env.nlu.parse(text).entities : {};
  turn.nlu = { ...turn.nlu, intent, entities: turn.entities };
  const plan = planOf(turn);
  plan.intentSeen = intent;
  setConversation(turn, { fallbackCount: 0, ...lastActivity(turn.message, intent) });
  turn.conversation.fallbackCount = 0;
}

/** The answer to a pending question; false when the message is no answer to it. */
async function answer(turn: Turn, pending: PendingClarification, next: () => Promise<void>) {
  const pick = pickOf(turn, pending.intents ?? []);
  if (pick === undefined) return false;
  turn.answerTo = 'clarification';
  turn.clarified = { of: pending.messageId ?? undefined, intent: pick };
  if (pick === null) {
    reply(turn, [{ text: say('clarifyOther', turn.locale) }]);
    return true;
  }
  routeTo(turn, pick, pending);
  await next();
  return true;
}

/** The question the last turn asked, if the last turn was the one that asked it. */
function pendingQuestion(conversation: ConversationDoc): PendingClarification | undefined {
  const pending = conversation.clarifying;
  const asked = pending?.messageId;
  const last = conversation.lastTurn?.messageId;
  return pending && asked && last && String(asked) === String(last) ? pending : undefined;
}

export const clarify: Stage = {
  name: 'clarify',
  async run(turn, next) {
    const pending = pendingQuestion(turn.conversation);
    const offerable = (intent: string) => labelOf(turn.env, intent, turn.locale) !== undefined;
    if (turn.conversation.clarifying) setConversation(turn, { clarifying: null });
    if (pending?.intents?.length) {
      if (await answer(turn, pending, next)) return;
      // A new message right after a question: one question per doubt, so no second one.
      if (!turn.nlu.intent && intentsToOffer(turn.nlu, offerable).length > 0) {
        await fallback(turn);
        return;
      }
      await next();
      return;
    }
    const offer = intentsToOffer(turn.nlu, offerable);
    if (offer.length === 0) {
      await next();
      return;
    }
    ask(turn, offer);
  },
};
