/**
 * The shapes every engine stage shares: what the engine is built with (`EngineDeps`), what a
 * stage gets to work with (`EngineEnv`, `Turn`), what a turn buffers (`TurnPlan`) and what it
 * returns to the inbound worker (`TurnResult`). See README.md for the order of the stages.
 */
import type { Types } from 'mongoose';
import type { Logger } from 'pino';
import type { CountryCode } from 'libphonenumber-js';
import type { Catalogue } from '../catalogue/catalogue.js';
import type { EscalationReason, Escalator } from '../../kernel/contracts/escalation.js';
import type { Locale } from '../../kernel/contracts/messages.js';
import type { AnswerKind } from '../../kernel/vocabulary.js';
import type { IntentDefinition, Nlu, NluResult } from '../../kernel/contracts/nlu.js';
import type { ActionContext } from '../actions/context.js';
import type { runBuiltin } from '../actions/builtins.js';
import type { runRecordAction } from '../actions/completion.js';
import type { recordRating } from '../actions/csat.js';
import type { recordConsent } from '../actions/consent.js';
import type { FlowDefinition } from '../flows/schema.js';
import type { Outbox, ReplyDraft } from '../outbox.js';
import type { ConversationDoc } from '../../kernel/db/models/conversation.js';
import type { MessageDoc } from '../../kernel/db/models/message.js';
import type { ConversationStore } from './store/port.js';

/** Named points of a turn where a crash test interrupts it (docs/ARCHITECTURE.md). */
export const CRASH_POINTS = [
  'after-nlu',
  'after-crm',
  'after-replies',
  'after-state',
  'after-escalate',
] as const;
export type CrashPoint = (typeof CRASH_POINTS)[number];

/** The actions that write CRM records (leads, cases, consent). */
export interface RecordActions {
  runRecordAction: typeof runRecordAction;
  runBuiltin: typeof runBuiltin;
  /** Stores a CSAT answer on its case (src/pipeline/actions/csat.ts); the studio sandbox has none. */
  recordRating?: typeof recordRating;
  /** Stores a flow's marketing opt-in as a consent record; the studio sandbox has none. */
  recordConsent?: typeof recordConsent;
}

export interface EngineDeps {
  nlu: Nlu;
  outbox: Outbox;
  escalator: Escalator;
  logger: Logger;
  /** Live intents and flows; read on every message, so a reloaded catalogue applies at once. */
  catalogue?: Catalogue;
  /** Language of a conversation before anything says otherwise. */
  defaultLocale?: Locale;
  /** Region of national phone numbers when the contact's own country is unknown (DEFAULT_COUNTRY). */
  defaultCountry?: CountryCode;
  /** What flows and built-ins write to the CRM; the bot studio's sandbox passes its own. */
  records?: RecordActions;
  /** Conversation state; MongoDB unless a test passes the in-memory one (store/memory.ts). */
  store?: ConversationStore;
  /** Test only: throws at a named point of a turn, to prove a replay repairs it. */
  crashAt?: (point: CrashPoint) => void;
}

/** What the stages work with: the engine's dependencies with their defaults filled in. */
export interface EngineEnv {
  nlu: Nlu;
  outbox: Outbox;
  escalator: Escalator;
  logger: Logger;
  store: ConversationStore;
  records: RecordActions;
  defaultLocale: Locale;
  defaultCountry?: CountryCode;
  /** The live catalogue's intent of that name (read on every call: a reload applies at once). */
  intent(name: string): IntentDefinition | undefined;
  /** The live catalogue's flow of that name. */
  flow(name: string): FlowDefinition | undefined;
  crash(point: CrashPoint): void;
}

/** What the inbound worker needs of a customer message (the job carries it). */
export type TurnMessage = Pick<MessageDoc, '_id' | 'conversationId' | 'text' | 'attachments'> & {
  contactId?: MessageDoc['contactId'];
  direction?: string;
  createdAt?: Date;
};

/** What a turn left to do: its replies still to deliver, from the committed conversation. */
export interface TurnResult {
  conversation?: ConversationDoc;
  /** The turn's replies not yet sent, in order (empty when relayed to staff or on a replay done). */
  replies: MessageDoc[];
  /** The message was routed to a closed conversation: nothing done, it belongs to a new one. */
  closed?: boolean;
  /** On a replay: the turn's replies that already went out (sent or failed). */
  delivered?: string[];
  /** What the NLU made of the message, for the inbound message's record. */
  nlu?: { intent: string | null; confidence: number; language: Locale };
  /** The message's sentiment score (src/pipeline/insight), for the inbound message's record. */
  sentiment?: number | null;
  /** What the message answered (a slot, a rating, a button…), for the inbound message's record. */
  answerTo?: AnswerKind;
  /** The turn asked a clarifying question offering these intents (the NLU outcome `clarified`). */
  asked?: string[];
  /** The message answered a clarifying question: the message asked about and the pick. */
  clarified?: Clarified;
}

/** An answer to a clarifying question: the message it was about, and the intent picked. */
export interface Clarified {
  of?: Types.ObjectId;
  /** null: "something else". */
  intent: string | null;
}

/** The writes a turn makes, buffered until it is computed (the commit stage writes them). */
export interface TurnPlan {
  set: Record<string, unknown>;
  intentSeen?: string;
  replies: ReplyDraft[];
  escalate?: EscalationReason;
  /** The contact the replies belong to, when a record action merged contacts. */
  contactId?: Types.ObjectId;
  /** The message's sentiment score (its trend point rides on `set`). */
  sentiment?: number | null;
}

/**
 * One customer message on its way through the stages. It is also the context actions get
 * (conversation, locale, text, entities, messageId); `locale` and `nlu` start from the
 * conversation and are replaced by the understand stage.
 */
export interface Turn extends ActionContext {
  readonly env: EngineEnv;
  readonly message: TurnMessage;
  nlu: NluResult;
  /** Opened by the stage that decides the turn is the bot's; the commit stage writes it. */
  plan?: TurnPlan;
  /** What the engine returns; set by the stage that ends the turn (or by commit). */
  result?: TurnResult;
  /**
   * Set by the stage that read the message as an answer to the bot (flow-step: a slot; rating: a
   * CSAT score; understand: a quick-reply pick; a clarifying stage: `clarification`), so the
   * studio's "what the bot missed" never lists it.
   */
  answerTo?: AnswerKind;
  /** The clarify stage asked which of these intents the customer means. */
  asked?: string[];
  /** The clarify stage read the message as the answer to its question. */
  clarified?: Clarified;
}

/** Runs the rest of the chain. */
export type Next = () => Promise<void>;

/**
 * One step of a turn. A stage either ends the turn (sets `turn.result` or opens a plan and
 * returns without calling `next`) or passes it on with `await next()`; a stage may also act
 * after the rest ran (commit does).
 */
export interface Stage {
  readonly name: string;
  run(turn: Turn, next: Next): Promise<void>;
}
