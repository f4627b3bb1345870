/**
 * Stage: the turn is the bot's — understand the message (NLU, the conversation's language, the
 * customer's mood) and open the turn's plan with what every bot turn writes (language, console
 * fields, sentiment trend, fallback count reset on a recognised intent).
 */
import type { Locale } from '../../../kernel/contracts/messages.js';
import type { NluResult } from '../../../kernel/contracts/nlu.js';
import { lastActivity } from '../../../kernel/db/activity.js';
import type { ConversationDoc } from '../../../kernel/db/models/conversation.js';
import { nextSentiment } from '../../insight/trend.js';
import { storedState } from '../flow-state.js';
import type { EngineEnv, Stage, Turn } from '../turn.js';

/** Words of two letters or more, leaving out emails and links (they say nothing of the language). */
const wordCount = (text: string) =>
  (text.replace(/\S*[@/]\S*/g, ' ').match(/\p{L}{2,}/gu) ?? []).length;

/** Conversation language: the message's, unless the message is too short or too plain to tell. */
export function chooseLocale(
  current: Locale | undefined,
  text: string,
  result: NluResult,
  slotAnswer: boolean,
  defaultLocale: Locale,
): Locale {
  if (!current) return wordCount(text) > 0 ? result.language : defaultLocale;
  if (slotAnswer) return result.intent !== null && wordCount(text) >= 3 ? result.language : current;
  if (result.intent !== null) return result.language;
  return wordCount(text) >= 3 ? result.language : current;
}

function parse(env: EngineEnv, conversation: ConversationDoc, text: string): NluResult {
  if (text.trim()) return env.nlu.parse(text);
  const language = (conversation.locale as Locale) ?? env.defaultLocale;
  return { intent: null, confidence: 0, language, entities: {} };
}

/** Whether the message answers a pending slot that is not free text (its language says little). */
function answersSlot(env: EngineEnv, conversation: ConversationDoc): boolean {
  const state = storedState(conversation.flow);
  if (!state) return false;
  const pending = env.flow(state.name)?.slots.find((s) => s.name === state.slot);
  return pending?.type !== 'text';
}

/** The message is one of the buttons the bot's last turn offered (a pick, not a question). */
function isOfferedPick(conversation: ConversationDoc, text: string): boolean {
  const picked = text.trim().toLowerCase();
  return Boolean(picked && conversation.offered?.some((p) => p.trim().toLowerCase() === picked));
}

/** NLU and language of the message: the turn's starting point. */
function readMessage(turn: Turn): void {
  const { env, conversation } = turn;
  const result = parse(env, conversation, turn.text);
  const current = (conversation.locale as Locale | undefined) ?? undefined;
  turn.nlu = result;
  turn.entities = result.entities;
  turn.locale = chooseLocale(
    current,
    turn.text,
    result,
    answersSlot(env, conversation),
    env.defaultLocale,
  );
  env.logger.debug(
    {
      conversationId: conversation._id.toHexString(),
      intent: result.intent,
      confidence: result.confidence,
      locale: turn.locale,
    },
    'engine turn',
  );
}

export const understand: Stage = {
  name: 'understand',
  async run(turn, next) {
    readMessage(turn);
    turn.env.crash('after-nlu');
    const { conversation, message, nlu } = turn;
    const mood = nextSentiment(conversation.sentiment, message, turn.locale);
    turn.plan = {
      sentiment: mood.score,
      set: {
        ...mood.set,
        locale: turn.locale,
        ...lastActivity(message, nlu.intent),
        ...(nlu.intent ? { fallbackCount: 0 } : {}),
        ...(conversation.awaitingRating?.caseId ? { awaitingRating: null } : {}),
      },
      intentSeen: nlu.intent ?? undefined,
      replies: [],
    };
    if (nlu.intent) conversation.fallbackCount = 0;
    if (isOfferedPick(conversation, turn.text)) turn.answerTo = 'choice';
    await next();
  },
};
