/**
 * The conversation engine: one stored inbound message at a time per conversation (the inbound
 * worker serialises them), run through an ordered chain of stages (README.md). All state lives
 * in the conversation store (MongoDB in production), none in memory.
 */
import type { Locale } from '../../kernel/contracts/messages.js';
import { runBuiltin } from '../actions/builtins.js';
import { runRecordAction } from '../actions/completion.js';
import { recordRating } from '../actions/csat.js';
import { recordConsent } from '../actions/consent.js';
import { runStages } from './chain.js';
import { resumeConversation } from './resume.js';
import { act } from './stages/act.js';
import { closedConversation } from './stages/closed.js';
import { clarify } from './stages/clarify.js';
import { commit } from './stages/commit.js';
import { flowStep } from './stages/flow-step.js';
import { ratingAnswer } from './stages/rating.js';
import { humanOwnsIt } from './stages/relay.js';
import { replayGuard } from './stages/replay.js';
import { understand } from './stages/understand.js';
import { mongoConversationStore } from './store/mongo.js';
import type { ConversationDoc } from '../../kernel/db/models/conversation.js';
import type { EngineDeps, EngineEnv, Stage, Turn, TurnMessage, TurnResult } from './turn.js';

export {
  CRASH_POINTS,
  type CrashPoint,
  type EngineDeps,
  type RecordActions,
  type TurnMessage,
  type TurnResult,
} from './turn.js';

/**
 * A turn's stages, in order. Adding a stage: a file in stages/ and a line here. `commit` wraps
 * the stages after it: it writes the plan they leave (the rating answer's or a bot turn's).
 */
export const ENGINE_STAGES: readonly Stage[] = [
  closedConversation,
  replayGuard,
  commit,
  ratingAnswer,
  humanOwnsIt,
  understand,
  flowStep,
  clarify,
  act,
];

export interface Engine {
  /**
   * Handles one stored inbound message (called by the inbound worker, one conversation at a time)
   * and saves its turn; the caller delivers the returned replies. Idempotent: a message whose turn
   * was saved already (conversation.lastTurn) only gets its unsent replies back.
   */
  handle(message: TurnMessage): Promise<TurnResult>;
  /** The bot gets the conversation back from a human: resume the suspended flow step, if any. */
  resume(conversationId: string): Promise<void>;
}

/** The engine's dependencies with their defaults (production records and store). */
export function engineEnv(deps: EngineDeps): EngineEnv {
  const intents = () => new Map((deps.catalogue?.intents ?? []).map((i) => [i.name, i]));
  const flows = () => new Map((deps.catalogue?.flows ?? []).map((f) => [f.name, f]));
  return {
    nlu: deps.nlu,
    outbox: deps.outbox,
    escalator: deps.escalator,
    logger: deps.logger,
    store: deps.store ?? mongoConversationStore,
    records: deps.records ?? { runRecordAction, runBuiltin, recordRating, recordConsent },
    defaultLocale: deps.defaultLocale ?? 'es',
    defaultCountry: deps.defaultCountry,
    intent: (name) => intents().get(name),
    flow: (name) => flows().get(name),
    crash: (point) => deps.crashAt?.(point),
  };
}

/** A turn as it enters the chain: language and NLU from the conversation until understood. */
export function startTurn(
  env: EngineEnv,
  message: TurnMessage,
  conversation: ConversationDoc,
): Turn {
  const locale = (conversation.locale as Locale | undefined) ?? env.defaultLocale;
  return {
    env,
    message,
    conversation,
    locale,
    text: message.text ?? '',
    entities: {},
    messageId: message._id,
    nlu: { intent: null, confidence: 0, language: locale, entities: {} },
  };
}

export function createEngine(deps: EngineDeps, stages: readonly Stage[] = ENGINE_STAGES): Engine {
  const env = engineEnv(deps);
  return {
    async handle(message) {
      if (message.direction !== undefined && message.direction !== 'in') return { replies: [] };
      const conversation = await env.store.find(message.conversationId);
      if (!conversation) return { replies: [] };
      const turn = startTurn(env, message, conversation);
      await runStages(stages, turn);
      return turn.result ?? { replies: [] };
    },
    resume: (conversationId) => resumeConversation(env, conversationId),
  };
}
