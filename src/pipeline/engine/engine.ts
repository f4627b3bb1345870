/**
 * The conversation engine: one stored inbound message at a time per conversation (the inbound
 * worker serialises them). Human-owned → relay to staff; flow in progress → next step; otherwise
 * NLU → the intent's action (answer, flow, built-in) or a fallback, and a second fallback in a row
 * offers a person. All state lives in MongoDB (Conversation.flow), none in memory.
 */
import type { Types } from 'mongoose';
import type { Logger } from 'pino';
import type { CountryCode } from 'libphonenumber-js';
import { parsePhoneNumberFromString } from 'libphonenumber-js';
import type { Catalogue } from '../catalogue/catalogue.js';
import { BUILTIN_ACTIONS, type BuiltinAction } from '../catalogue/schema.js';
import type { EscalationReason, Escalator } from '../../kernel/contracts/escalation.js';
import type { Locale } from '../../kernel/contracts/messages.js';
import type { IntentDefinition, Nlu, NluResult } from '../../kernel/contracts/nlu.js';
import type { ActionContext } from '../actions/context.js';
import { runBuiltin } from '../actions/builtins.js';
import { runRecordAction } from '../actions/completion.js';
import type { FlowDefinition } from '../flows/schema.js';
import { isCancel, looksLikeQuestion, parseSlot } from '../flows/slots.js';
import {
  CONFIRM_STEP,
  answersPendingStep,
  promptFor,
  startFlow,
  stepFlow,
  type FlowContext,
  type FlowOutcome,
  type FlowState,
} from '../flows/runtime.js';
import { isAwaitingRating, ratingOf, recordRating } from '../actions/csat.js';
import { caseCustomerTexts } from '../actions/case-texts.js';
import { lastActivity } from '../../kernel/db/activity.js';
import { nextSentiment, type SentimentUpdate } from '../insight/trend.js';
import { detectLanguage } from '../nlu/language.js';
import type { Outbox, ReplyDraft } from '../outbox.js';
import { findContact } from '../../kernel/db/contacts.js';
import { findConversation } from '../../kernel/db/conversations.js';
import { findMessages } from '../../kernel/db/messages.js';
import { Conversation, type ConversationDoc } from '../../kernel/db/models/conversation.js';
import type { MessageDoc } from '../../kernel/db/models/message.js';
import { replyIds } from '../../kernel/db/turn-ids.js';
import { fill, say } from './texts.js';

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
  /** Test only: throws at a named point of a turn, to prove a replay repairs it. */
  crashAt?: (point: CrashPoint) => void;
}

/** Named points of a turn where a crash test interrupts it (docs/ARCHITECTURE.md). */
export const CRASH_POINTS = [
  'after-nlu',
  'after-crm',
  'after-replies',
  'after-state',
  'after-escalate',
] as const;
export type CrashPoint = (typeof CRASH_POINTS)[number];

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
  /** The message's sentiment score (src/insight), for the inbound message's record. */
  sentiment?: number | null;
}

/** The writes a turn makes, buffered until it is computed (see `commit`). */
interface TurnPlan {
  set: Record<string, unknown>;
  intentSeen?: string;
  replies: ReplyDraft[];
  escalate?: EscalationReason;
  /** The contact the replies belong to, when a record action merged contacts. */
  contactId?: Types.ObjectId;
  /** The message's sentiment score (its trend point rides on `set`). */
  sentiment?: number | null;
}

/** The actions that write CRM records (leads, cases, consent). */
export interface RecordActions {
  runRecordAction: typeof runRecordAction;
  runBuiltin: typeof runBuiltin;
  /** Stores a CSAT answer on its case (src/pipeline/actions/csat.ts); the studio sandbox has none. */
  recordRating?: typeof recordRating;
}

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

/** Flows the engine itself starts (not only through an intent). */
const HUMAN_AGENT_FLOW = 'human_agent';
const HUMAN_OFFER_FLOW = 'human_offer';
/** Fallbacks in a row after which a person is offered. */
const FALLBACKS_BEFORE_OFFER = 2;

interface Turn extends ActionContext {
  message: TurnMessage;
  nlu: NluResult;
}

/** Whether the pending step of a running flow still exists in (a possibly newer) definition. */
function hasStep(def: FlowDefinition, state: FlowState): boolean {
  if (state.slot === null) return true;
  // A slot may itself be named like the confirmation step (human_offer's `confirm`).
  if (state.slot === CONFIRM_STEP && def.confirmation !== undefined) return true;
  return def.slots.some((s) => s.name === state.slot);
}

function storedState(flow: ConversationDoc['flow']): FlowState | null {
  if (!flow?.name) return null;
  return {
    name: flow.name,
    slot: flow.slot ?? null,
    slots: (flow.slots ?? {}) as FlowState['slots'],
    attempts: flow.attempts ?? 0,
  };
}

/** The number on a contact card the customer shared, with the `+` some platforms leave out. */
function sharedPhone(message: TurnMessage): string | undefined {
  const phone = message.attachments?.find(
    (a) => a.kind === 'contact' && a.contactPhone,
  )?.contactPhone;
  if (!phone) return undefined;
  return /^\s*\+/.test(phone) ? phone : `+${phone.replace(/^\s*0{2}/, '')}`;
}

/** Words of two letters or more, leaving out emails and links (they say nothing of the language). */
const wordCount = (text: string) =>
  (text.replace(/\S*[@/]\S*/g, ' ').match(/\p{L}{2,}/gu) ?? []).length;

// eslint-disable-next-line max-lines-per-function -- over 150 lines until its split (issue 17) lands
export function createEngine(deps: EngineDeps): Engine {
  const { nlu, outbox, escalator, logger } = deps;
  const records = deps.records ?? { runRecordAction, runBuiltin, recordRating };
  const defaultLocale = deps.defaultLocale ?? 'es';
  const intents = () => new Map((deps.catalogue?.intents ?? []).map((i) => [i.name, i]));
  const flows = () => new Map((deps.catalogue?.flows ?? []).map((f) => [f.name, f]));

  /** Turns being computed, by conversation id: their writes wait for `commit`. */
  const openTurns = new Map<string, TurnPlan>();
  const planOf = (conversationId: ConversationDoc['_id']) =>
    openTurns.get(conversationId.toHexString());
  const crash = (point: CrashPoint) => deps.crashAt?.(point);

  /** Replies of the turn (written at commit); outside a turn (resume) straight to the outbox. */
  async function send(conversation: ConversationDoc, drafts: Array<ReplyDraft | undefined>) {
    const ready = drafts.filter((d): d is ReplyDraft => d !== undefined && d.text.trim() !== '');
    const plan = planOf(conversation._id);
    if (plan) plan.replies.push(...ready);
    else if (ready.length > 0) await outbox.send(conversation, ready);
  }

  /** Conversation fields the turn changes (written at commit; at once outside a turn). */
  async function setConversation(
    conversationId: ConversationDoc['_id'],
    set: Record<string, unknown>,
  ) {
    const plan = planOf(conversationId);
    if (plan) Object.assign(plan.set, set);
    else await Conversation.updateOne({ _id: conversationId }, { $set: set });
  }

  /** Saves the flow step; `previous` keeps the flow's start time while the same flow runs. */
  async function saveFlow(
    conversationId: ConversationDoc['_id'],
    state: FlowState | null,
    previous?: ConversationDoc['flow'],
  ) {
    const startedAt =
      state && previous?.name === state.name ? (previous.startedAt ?? undefined) : undefined;
    const flow = state && startedAt ? { ...state, startedAt } : state;
    await setConversation(conversationId, { flow });
  }

  /** Conversation language: the message's, unless the message is too short or too plain to tell. */
  function chooseLocale(
    conversation: ConversationDoc,
    text: string,
    result: NluResult,
    slotAnswer: boolean,
  ): Locale {
    const current = (conversation.locale as Locale | undefined) ?? undefined;
    if (!current) return wordCount(text) > 0 ? result.language : defaultLocale;
    if (slotAnswer)
      return result.intent !== null && wordCount(text) >= 3 ? result.language : current;
    if (result.intent !== null) return result.language;
    return wordCount(text) >= 3 ? result.language : current;
  }

  async function flowContext(conversation: ConversationDoc, locale: Locale): Promise<FlowContext> {
    const contact = await findContact(conversation.contactId);
    const phone = contact?.phones?.[0];
    const country = phone ? parsePhoneNumberFromString(phone)?.country : undefined;
    return {
      locale,
      known: {
        email: contact?.emails?.at(-1),
        phone,
        name: contact?.name ?? undefined,
      },
      defaultCountry: (country as CountryCode | undefined) ?? deps.defaultCountry,
    };
  }

  function pickAnswer(intent: IntentDefinition, turn: Turn): string | undefined {
    const answers = intent.answers?.[turn.locale] ?? [];
    if (answers.length === 0) return undefined;
    const seen = turn.conversation.intentsSeen?.filter((i) => i === intent.name).length ?? 0;
    return answers[seen % answers.length];
  }

  /** Hands the conversation to a person; a running flow is kept aside for `resume`. */
  async function escalate(turn: Turn, reason: EscalationReason, suspend: FlowState | null) {
    const id = turn.conversation._id;
    // The flow is set aside in the turn's commit, before the escalation is queued (post-commit):
    // staff may close the escalation (and `resume`) as soon as it is queued.
    await setConversation(id, suspend ? { flow: null, suspendedFlow: suspend } : { flow: null });
    planOf(id)!.escalate = reason;
    const text = flows().get(HUMAN_AGENT_FLOW)?.completion.messages[turn.locale];
    await send(turn.conversation, [{ text: text ?? say('handedOver', turn.locale) }]);
  }

  async function applyOutcome(turn: Turn, def: FlowDefinition, outcome: FlowOutcome) {
    const id = turn.conversation._id;
    switch (outcome.kind) {
      case 'continue':
        await saveFlow(id, outcome.state, turn.conversation.flow);
        await send(turn.conversation, outcome.replies);
        return;
      case 'cancelled':
        await saveFlow(id, null);
        await send(turn.conversation, outcome.replies);
        return;
      case 'escalate':
        await escalate(turn, 'flow', outcome.state);
        return;
      case 'complete': {
        if (outcome.action === 'escalate') {
          const reason: EscalationReason =
            def.name === HUMAN_OFFER_FLOW
              ? 'fallback'
              : def.name === HUMAN_AGENT_FLOW
                ? 'customer_request'
                : 'flow';
          await saveFlow(id, null);
          planOf(id)!.escalate = reason;
          await send(turn.conversation, [{ text: outcome.message }]);
          return;
        }
        const vars =
          outcome.action === 'none'
            ? {}
            : await records.runRecordAction(outcome.action, outcome.slots, turn);
        await saveFlow(id, null);
        // A merge may have moved the conversation to another contact: the replies follow it.
        if ('contactId' in vars && vars.contactId) planOf(id)!.contactId = vars.contactId;
        // Saved with the turn's state: later turns of this conversation rescore the lead.
        if ('leadId' in vars && vars.leadId) planOf(id)!.set.leadId = vars.leadId;
        await send(turn.conversation, [{ text: fill(outcome.message, vars) }]);
        return;
      }
    }
  }

  async function beginFlow(turn: Turn, name: string) {
    const def = flows().get(name);
    if (!def) {
      logger.error({ flow: name }, 'intent points at a flow that is not in the catalogue');
      await fallback(turn);
      return;
    }
    // Asking for a person mid-flow keeps the flow aside to resume it afterwards.
    const running = storedState(turn.conversation.flow);
    if (def.completion.action === 'escalate' && def.slots.length === 0) {
      const reason: EscalationReason = name === HUMAN_AGENT_FLOW ? 'customer_request' : 'flow';
      await escalate(turn, reason, running && running.name !== name ? running : null);
      return;
    }
    const outcome = startFlow(def, await flowContext(turn.conversation, turn.locale), turn.text);
    await applyOutcome(turn, def, outcome);
  }

  async function fallback(turn: Turn) {
    const id = turn.conversation._id;
    const count = (turn.conversation.fallbackCount ?? 0) + 1;
    const offer = flows().get(HUMAN_OFFER_FLOW);
    if (count >= FALLBACKS_BEFORE_OFFER && offer) {
      await setConversation(id, { fallbackCount: 0 });
      await applyOutcome(turn, offer, startFlow(offer, { locale: turn.locale }));
      return;
    }
    await setConversation(id, { fallbackCount: count });
    await send(turn.conversation, [{ text: say('fallback', turn.locale) }]);
  }

  /** Runs what the recognised intent asks for, or falls back. */
  async function act(turn: Turn) {
    const intent = turn.nlu.intent ? intents().get(turn.nlu.intent) : undefined;
    if (isCancel(turn.text)) {
      // A bare "cancelar" with no flow running is moot, not a fallback; nor is it a request to
      // unsubscribe (which the NLU may guess), that takes words like "darme de baja".
      await send(turn.conversation, [{ text: say('nothingToCancel', turn.locale) }]);
      return;
    }
    if (!intent) {
      await fallback(turn);
      return;
    }
    const action = intent.action ?? { type: 'answer' as const };
    switch (action.type) {
      case 'answer': {
        const buttons = intent.quickReplies?.[turn.locale] ?? [];
        const quickReplies = buttons.map((title) => ({ title, payload: title }));
        await send(turn.conversation, [
          {
            text: pickAnswer(intent, turn) ?? '',
            ...(quickReplies.length ? { quickReplies } : {}),
          },
        ]);
        return;
      }
      case 'flow':
        await beginFlow(turn, action.flow);
        return;
      case 'builtin':
        if ((BUILTIN_ACTIONS as readonly string[]).includes(action.name)) {
          await send(
            turn.conversation,
            await records.runBuiltin(action.name as BuiltinAction, turn),
          );
        } else {
          logger.error({ builtin: action.name }, 'unknown built-in action');
          await fallback(turn);
        }
        return;
    }
  }

  /**
   * Whether a recognised intent interrupts the pending slot. Free-text slots (a case description)
   * only yield to questions, so a description that mentions prices stays a description.
   */
  function interrupts(
    intent: IntentDefinition,
    def: FlowDefinition,
    state: FlowState,
    text: string,
    ctx: FlowContext,
  ) {
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

  async function continueFlow(turn: Turn, state: FlowState) {
    const def = flows().get(state.name);
    if (!def || !hasStep(def, state)) {
      // A published catalogue removed the flow (or its pending step) while it ran: say so, forget
      // it, and answer the message only if it asks for something the bot knows.
      await saveFlow(turn.conversation._id, null);
      turn.conversation.flow = null;
      await send(turn.conversation, [{ text: say('flowGone', turn.locale) }]);
      if (turn.nlu.intent) await act(turn);
      return;
    }
    const ctx = await flowContext(turn.conversation, turn.locale);
    const shared = sharedPhone(turn.message);
    if (shared && def.slots.find((s) => s.name === state.slot)?.type === 'phone') {
      // A shared contact card answers a phone question by itself.
      await applyOutcome(turn, def, stepFlow(def, state, shared, ctx));
      return;
    }
    const intent = turn.nlu.intent ? intents().get(turn.nlu.intent) : undefined;
    if (
      intent &&
      !answersPendingStep(def, state, turn.text, ctx) &&
      interrupts(intent, def, state, turn.text, ctx)
    ) {
      if (def.onIntent === 'leave') {
        await saveFlow(turn.conversation._id, null);
        turn.conversation.flow = null;
        await act(turn);
        return;
      }
      await act(turn);
      // Unless the intent handed the conversation over or moved to another flow, ask the pending
      // slot again.
      const plan = planOf(turn.conversation._id)!;
      const flowNow = 'flow' in plan.set ? (plan.set.flow as FlowState | null) : state;
      if (!plan.escalate && flowNow?.name === state.name) {
        await send(turn.conversation, [promptFor(def, state, turn.locale)]);
      }
      return;
    }
    await applyOutcome(turn, def, stepFlow(def, state, turn.text, ctx));
  }

  /** NLU and language of the message: the turn's starting point. */
  function understand(conversation: ConversationDoc, message: TurnMessage): Turn {
    const text = message.text ?? '';
    const state = storedState(conversation.flow);
    const result: NluResult = text.trim()
      ? nlu.parse(text)
      : {
          intent: null,
          confidence: 0,
          language: (conversation.locale as Locale) ?? defaultLocale,
          entities: {},
        };
    const pendingType = state
      ? flows()
          .get(state.name)
          ?.slots.find((s) => s.name === state.slot)?.type
      : undefined;
    const slotAnswer = state !== null && pendingType !== 'text';
    const locale = chooseLocale(conversation, text, result, slotAnswer);
    logger.debug(
      {
        conversationId: conversation._id.toHexString(),
        intent: result.intent,
        confidence: result.confidence,
        locale,
      },
      'engine turn',
    );
    return {
      conversation,
      locale,
      text,
      entities: result.entities,
      message,
      messageId: message._id,
      nlu: result,
    };
  }

  /**
   * Writes a computed turn: its replies (deterministic ids, one batch), then the conversation
   * state stamped with the message (`lastTurn`), then the escalation it asked for. A crash before
   * the state write replays the whole turn onto the same state (the same replies, records found
   * by their ids); a crash after it replays only the delivery (`replayTurn`).
   */
  async function commit(turn: Turn, plan: TurnPlan): Promise<TurnResult> {
    const { conversation, message } = turn;
    const ids = replyIds(message._id, plan.replies.length);
    const replies = await storeTurnReplies(conversation, plan, ids, message._id);
    crash('after-replies');
    const lastTurn = {
      messageId: message._id,
      replies: replies.length,
      ...(plan.escalate ? { escalate: plan.escalate } : {}),
    };
    await Conversation.updateOne(
      { _id: conversation._id },
      {
        $set: { ...plan.set, lastTurn },
        ...(plan.intentSeen ? { $push: { intentsSeen: plan.intentSeen } } : {}),
      },
    );
    crash('after-state');
    if (plan.escalate) await escalator.escalate(conversation._id.toHexString(), plan.escalate);
    crash('after-escalate');
    return {
      // A record action may have merged contacts: the conversation belongs to the survivor now.
      conversation: {
        ...conversation,
        ...plan.set,
        lastTurn,
        contactId: plan.contactId ?? conversation.contactId,
      } as ConversationDoc,
      replies,
      nlu: { intent: turn.nlu.intent, confidence: turn.nlu.confidence, language: turn.locale },
      sentiment: plan.sentiment,
    };
  }

  /** The turn's replies, stored once; an outbox without `store` (the studio sandbox) collects them. */
  async function storeTurnReplies(
    conversation: ConversationDoc,
    plan: TurnPlan,
    ids: Types.ObjectId[],
    replyTo: Types.ObjectId,
  ): Promise<MessageDoc[]> {
    if (plan.replies.length === 0) return [];
    const owner = { ...conversation, contactId: plan.contactId ?? conversation.contactId };
    if (!outbox.store) {
      await outbox.send(owner, plan.replies);
      return [];
    }
    return outbox.store(owner, plan.replies, { ids, replyTo });
  }

  /** The message's turn was saved already: escalate if it asked to (idempotent), resend the rest. */
  async function replayTurn(
    conversation: ConversationDoc,
    message: TurnMessage,
  ): Promise<TurnResult> {
    const lastTurn = conversation.lastTurn!;
    if (lastTurn.escalate) {
      await escalator.escalate(
        conversation._id.toHexString(),
        lastTurn.escalate as EscalationReason,
      );
    }
    const ids = replyIds(message._id, lastTurn.replies ?? 0);
    const stored = ids.length > 0 ? await findMessages(ids) : [];
    logger.info(
      { conversationId: conversation._id.toHexString(), messageId: message._id.toHexString() },
      'turn replayed: delivering its unsent replies',
    );
    // The message's NLU record (analytics counts it) is parsed again: same text, same model.
    const text = message.text ?? '';
    const parsed = text.trim() ? nlu.parse(text) : undefined;
    return {
      conversation,
      replies: stored.filter((m) => m.status === 'pending'),
      delivered: stored.filter((m) => m.status !== 'pending').map((m) => m._id.toHexString()),
      ...(parsed
        ? {
            nlu: {
              intent: parsed.intent,
              confidence: parsed.confidence,
              language: (conversation.locale as Locale | undefined) ?? defaultLocale,
            },
          }
        : {}),
    };
  }

  /**
   * A person owns the conversation: the bot stays quiet and any flow waits for `resume`. Returns
   * false when the escalator handed the conversation back (the customer left the queue), so the
   * message is the bot's to handle.
   */
  async function relayToStaff(
    conversation: ConversationDoc,
    message: TurnMessage,
    mood: SentimentUpdate,
  ) {
    // Typed loosely on purpose: older escalators resolve to nothing, which means "relayed".
    const outcome: unknown = await escalator.relayCustomerMessage(
      conversation._id.toHexString(),
      message._id.toHexString(),
      { ...lastActivity(message), ...mood.set },
    );
    if (outcome === 'handed_back') return false;
    if (conversation.flow) {
      await Conversation.updateOne(
        { _id: conversation._id, flow: { $ne: null } },
        { $set: { suspendedFlow: conversation.flow, flow: null } },
      );
    }
    return true;
  }

  /**
   * A satisfaction rating was asked (a case was resolved): a 1–5 answer is stored on the case and
   * thanked, with no NLU or flow for that message. Anything else clears the request (in the
   * turn's commit, or at once when staff own the conversation) and is handled as usual.
   */
  async function answerRating(
    conversation: ConversationDoc,
    message: TurnMessage,
  ): Promise<TurnResult | undefined> {
    const now = new Date();
    const pending = conversation.awaitingRating;
    const rating = isAwaitingRating(pending, now) ? ratingOf(message.text ?? '') : undefined;
    if (rating === undefined || !pending?.caseId) {
      if (conversation.status !== 'bot') {
        await Conversation.updateOne({ _id: conversation._id }, { $set: { awaitingRating: null } });
      }
      return undefined;
    }
    await records.recordRating?.(pending.caseId, rating, message._id, now);
    crash('after-crm');
    const locale = (conversation.locale as Locale | undefined) ?? defaultLocale;
    const nluResult: NluResult = { intent: null, confidence: 0, language: locale, entities: {} };
    const turn: Turn = {
      conversation,
      locale,
      text: message.text ?? '',
      entities: {},
      message,
      messageId: message._id,
      nlu: nluResult,
    };
    const plan: TurnPlan = {
      set: { awaitingRating: null, ...lastActivity(message) },
      replies: [{ text: caseCustomerTexts(locale).thanks(rating) }],
    };
    return commit(turn, plan);
  }

  return {
    async handle(message) {
      if (message.direction !== undefined && message.direction !== 'in') return { replies: [] };
      let conversation = await findConversation(message.conversationId);
      if (!conversation) return { replies: [] };
      // Routed (from ingest's cache) to a conversation closed since: the caller moves it.
      if (conversation.status === 'closed') return { conversation, replies: [], closed: true };
      if (conversation.lastTurn?.messageId?.equals(message._id)) {
        return replayTurn(conversation, message);
      }
      if (conversation.awaitingRating?.caseId) {
        const rated = await answerRating(conversation, message);
        if (rated) return rated;
      }

      if (conversation.status === 'queued' || conversation.status === 'assigned') {
        const fallbackLocale = (conversation.locale as Locale | undefined) ?? defaultLocale;
        const locale = detectLanguage(message.text ?? '', fallbackLocale);
        const mood = nextSentiment(conversation.sentiment, message, locale);
        if (await relayToStaff(conversation, message, mood)) {
          return { conversation, replies: [], sentiment: mood.score };
        }
        conversation = await findConversation(conversation._id);
        if (!conversation) return { replies: [] };
      }
      const turn = understand(conversation, message);
      crash('after-nlu');
      const id = conversation._id.toHexString();
      const mood = nextSentiment(conversation.sentiment, message, turn.locale);
      const plan: TurnPlan = {
        sentiment: mood.score,
        set: {
          ...mood.set,
          locale: turn.locale,
          ...lastActivity(message, turn.nlu.intent),
          ...(turn.nlu.intent ? { fallbackCount: 0 } : {}),
          ...(conversation.awaitingRating?.caseId ? { awaitingRating: null } : {}),
        },
        intentSeen: turn.nlu.intent ?? undefined,
        replies: [],
      };
      if (turn.nlu.intent) conversation.fallbackCount = 0;
      openTurns.set(id, plan);
      try {
        const state = storedState(conversation.flow);
        if (state) await continueFlow(turn, state);
        else await act(turn);
      } finally {
        openTurns.delete(id);
      }
      crash('after-crm');
      return commit(turn, plan);
    },

    async resume(conversationId) {
      const conversation = await findConversation(conversationId);
      if (!conversation || conversation.status !== 'bot') return;
      const state = storedState(conversation.suspendedFlow) ?? storedState(conversation.flow);
      if (!state) return;
      const def = flows().get(state.name);
      const locale = (conversation.locale as Locale | undefined) ?? defaultLocale;
      const prompt = def && state.slot ? promptFor(def, state, locale) : undefined;
      if (!prompt) {
        await Conversation.updateOne({ _id: conversation._id }, { $set: { suspendedFlow: null } });
        return;
      }
      await Conversation.updateOne(
        { _id: conversation._id },
        { $set: { flow: { ...state, attempts: 0 }, suspendedFlow: null } },
      );
      await send(conversation, [{ text: say('resumed', locale) }, prompt]);
    },
  };
}
