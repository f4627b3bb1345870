/**
 * "Try it": a real engine turn against the DRAFT catalogue and the draft's model, in a sandbox
 * conversation (channel `studio`) that no customer, queue or adapter ever sees.
 *
 * The engine is the production one (createEngine) with sandbox dependencies:
 * - an outbox that collects the replies for the HTTP answer (nothing is queued or delivered);
 * - an escalator that records the hand-over instead of queueing for staff;
 * - record actions that create NO leads, cases or consent changes: each is returned as an
 *   `effect` saying what would have been written (case numbers read `CS-TEST`); the read-only
 *   built-in (case status) runs for real against the sandbox contact, which has no cases.
 * The conversation document itself is real (the engine keeps flow state there), with channel
 * `studio`, a contact id that has no Contact, and the inbound text is not stored as a Message, so
 * sandbox turns never reach lists, analytics or the unanswered report.
 */
import { Types } from 'mongoose';
import type { Logger } from 'pino';
import { runBuiltin } from '../../pipeline/actions/builtins.js';
import type { RecordAction } from '../../pipeline/actions/completion.js';
import type { Escalator, EscalationReason } from '../../kernel/contracts/escalation.js';
import type { Locale, QuickReply } from '../../kernel/contracts/messages.js';
import type { Nlu } from '../../kernel/contracts/nlu.js';
import { createEngine, type RecordActions } from '../../pipeline/engine/engine.js';
import { say } from '../../pipeline/engine/texts.js';
import type { ConversationLock } from '../../kernel/redis/conversation-lock.js';
import type { SlotValue } from '../../pipeline/flows/slots.js';
import type { Outbox, ReplyDraft } from '../../pipeline/outbox.js';
import { Conversation, type ConversationDoc } from '../../kernel/db/models/conversation.js';
import type { MessageDoc } from '../../kernel/db/models/message.js';
import type { Catalogue } from '../../pipeline/catalogue/catalogue.js';

export const SANDBOX_CHANNEL = 'studio';
/** What a sandbox case "number" reads like. */
export const SANDBOX_CASE_NUMBER = 'CS-TEST';

export type SandboxEffect =
  | { type: RecordAction; slots: Record<string, SlotValue> }
  | { type: 'escalate'; reason: EscalationReason }
  | { type: 'unsubscribe' }
  | { type: 'privacy_request' };

export interface SandboxTurn {
  sessionId: string;
  replies: Array<{ text: string; quickReplies?: QuickReply[] }>;
  nlu: { intent: string | null; confidence: number; language: Locale };
  /** CRM writes the turn would have made on a live conversation (none were made). */
  effects: SandboxEffect[];
  /** The flow step the sandbox conversation is in after the turn. */
  flow: { name: string; slot: string | null } | null;
}

export interface SandboxDeps {
  catalogue: Catalogue;
  nlu: Nlu;
  logger: Logger;
  defaultLocale: Locale;
  lock: ConversationLock;
}

function sandboxEscalator(effects: SandboxEffect[]): Escalator {
  return {
    async escalate(_id, reason) {
      effects.push({ type: 'escalate', reason });
    },
    // A sandbox conversation is never owned by staff.
    relayCustomerMessage: async () => 'handed_back',
    claim: async () => ({ outcome: 'not_escalated' }),
    takeOver: async () => ({ outcome: 'closed' }),
    close: async () => false,
  };
}

function sandboxRecords(effects: SandboxEffect[]): RecordActions {
  return {
    async runRecordAction(action, slots) {
      effects.push({ type: action, slots });
      return action === 'create_lead' ? {} : { number: SANDBOX_CASE_NUMBER };
    },
    async runBuiltin(name, ctx) {
      // A case look-up answers for real; an order look-up is shown as a placeholder (it could open a
      // case for a late order, and the sandbox writes nothing).
      if (name === 'case_status') return runBuiltin(name, ctx);
      if (name === 'order_status') {
        return [{ text: ctx.locale === 'es' ? '(Estado del pedido)' : '(Order status)' }];
      }
      effects.push({ type: name });
      return name === 'unsubscribe'
        ? [{ text: say('unsubscribed', ctx.locale) }]
        : [{ text: say('privacyCaseOpened', ctx.locale, { number: SANDBOX_CASE_NUMBER }) }];
    },
  };
}

function collectingOutbox(replies: ReplyDraft[]): Outbox {
  return {
    async send(_conversation, drafts) {
      replies.push(...drafts);
      return [];
    },
  };
}

/** The session's sandbox conversation, or a new one (an unknown or expired session starts anew). */
async function sandboxConversation(
  sessionId: string | undefined,
  locale: Locale | undefined,
  by: string,
): Promise<ConversationDoc> {
  if (sessionId && Types.ObjectId.isValid(sessionId)) {
    const found = await Conversation.findById(sessionId).lean<ConversationDoc>();
    if (found?.channel === SANDBOX_CHANNEL) return found;
  }
  const _id = new Types.ObjectId();
  const created = await Conversation.create({
    _id,
    channel: SANDBOX_CHANNEL,
    platformConversationId: `studio:${_id.toHexString()}`,
    platformUserId: by,
    contactId: new Types.ObjectId(),
    locale,
    status: 'bot',
  });
  return created.toObject() as ConversationDoc;
}

/** One customer message through the engine with the draft; returns the bot's replies. */
export async function chatWithDraft(
  deps: SandboxDeps,
  input: { sessionId?: string; text: string; locale?: Locale; by: string },
): Promise<SandboxTurn> {
  const conversation = await sandboxConversation(input.sessionId, input.locale, input.by);
  const sessionId = conversation._id.toHexString();
  const replies: ReplyDraft[] = [];
  const effects: SandboxEffect[] = [];
  const engine = createEngine({
    nlu: deps.nlu,
    catalogue: deps.catalogue,
    outbox: collectingOutbox(replies),
    escalator: sandboxEscalator(effects),
    records: sandboxRecords(effects),
    logger: deps.logger,
    defaultLocale: deps.defaultLocale,
  });
  const now = new Date();
  const message = {
    _id: new Types.ObjectId(),
    conversationId: conversation._id,
    contactId: conversation.contactId,
    channel: SANDBOX_CHANNEL,
    direction: 'in',
    author: 'customer',
    text: input.text,
    status: 'received',
    dedupeKey: `studio:${now.getTime()}`,
    internal: false,
    attempts: 0,
    createdAt: now,
    updatedAt: now,
  } as unknown as MessageDoc;
  // Turns of one session run one at a time, like the inbound worker's per conversation.
  return deps.lock(sessionId, async () => {
    await engine.handle(message);
    const after = await Conversation.findById(conversation._id).lean<ConversationDoc>();
    const parsed = deps.nlu.parse(input.text);
    return {
      sessionId,
      replies: replies.map((r) => ({
        text: r.text,
        ...(r.quickReplies?.length ? { quickReplies: r.quickReplies } : {}),
      })),
      nlu: {
        intent: parsed.intent,
        confidence: parsed.confidence,
        language: (after?.locale as Locale | undefined) ?? parsed.language,
      },
      effects,
      flow: after?.flow ? { name: after.flow.name, slot: after.flow.slot ?? null } : null,
    };
  });
}
