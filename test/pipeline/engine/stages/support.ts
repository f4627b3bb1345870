/**
 * What stage tests run on, booting nothing: the shipped intents and flows read from their YAML
 * files, the in-memory conversation store, and fakes that record what the engine asked of its
 * outbox, escalator, NLU and record actions.
 */
import { Types } from 'mongoose';
import pino from 'pino';
import type {
  Escalator,
  EscalationReason,
  RelayOutcome,
} from '../../../../src/kernel/contracts/escalation.js';
import type { Locale } from '../../../../src/kernel/contracts/messages.js';
import type { Nlu, NluResult } from '../../../../src/kernel/contracts/nlu.js';
import type { ConversationDoc } from '../../../../src/kernel/db/models/conversation.js';
import type { MessageDoc } from '../../../../src/kernel/db/models/message.js';
import {
  readFlowFiles,
  readIntentFiles,
  type Catalogue,
} from '../../../../src/pipeline/catalogue/catalogue.js';
import { engineEnv, startTurn } from '../../../../src/pipeline/engine/engine.js';
import {
  createMemoryStore,
  type MemoryConversationStore,
} from '../../../../src/pipeline/engine/store/memory.js';
import type {
  CrashPoint,
  EngineEnv,
  RecordActions,
  Stage,
  Turn,
  TurnMessage,
} from '../../../../src/pipeline/engine/turn.js';
import type { Outbox, ReplyDraft } from '../../../../src/pipeline/outbox.js';

let shipped: Promise<Catalogue> | undefined;
/** The shipped catalogue (intents/ and flows/), read once per test file. */
export function shippedCatalogue(): Promise<Catalogue> {
  shipped ??= Promise.all([readIntentFiles(), readFlowFiles()]).then(([intents, flows]) => ({
    intents,
    flows,
  }));
  return shipped;
}

/** An NLU that knows only the texts it is given; anything else is not understood (Spanish). */
export function scriptedNlu(
  known: Record<string, Partial<NluResult>> = {},
): Nlu & { parsed: string[] } {
  const parsed: string[] = [];
  return {
    parsed,
    train: () => undefined,
    parse(text) {
      parsed.push(text);
      return { intent: null, confidence: 0.1, language: 'es', entities: {}, ...known[text] };
    },
  };
}

export interface FakeOutbox extends Outbox {
  /** Replies stored by a turn (outbox.store), with their ids. */
  stored: Array<{ ids: Types.ObjectId[]; drafts: ReplyDraft[]; contactId: Types.ObjectId }>;
  /** Replies sent outside a turn (outbox.send). */
  sent: ReplyDraft[][];
}

export function fakeOutbox(): FakeOutbox {
  const outbox: FakeOutbox = {
    stored: [],
    sent: [],
    async send(_conversation, drafts) {
      outbox.sent.push(drafts);
      return [];
    },
    async store(conversation, drafts, { ids, replyTo }) {
      outbox.stored.push({ ids, drafts, contactId: conversation.contactId });
      return drafts.map(
        (d, i) =>
          ({
            _id: ids[i]!,
            conversationId: conversation._id,
            replyTo,
            text: d.text,
            status: 'pending',
          }) as unknown as MessageDoc,
      );
    },
  };
  return outbox;
}

export interface FakeEscalator extends Escalator {
  escalated: EscalationReason[];
  relayed: Array<{ messageId: string; activity: unknown }>;
  relayOutcome: RelayOutcome;
}

export function fakeEscalator(): FakeEscalator {
  const escalator: FakeEscalator = {
    escalated: [],
    relayed: [],
    relayOutcome: 'relayed',
    async escalate(_id, reason) {
      escalator.escalated.push(reason);
    },
    async relayCustomerMessage(_id, messageId, activity) {
      escalator.relayed.push({ messageId, activity });
      return escalator.relayOutcome;
    },
    claim: async () => ({ outcome: 'not_escalated' }),
    takeOver: async () => ({ outcome: 'closed' }),
    close: async () => false,
  };
  return escalator;
}

export interface FakeRecords extends RecordActions {
  calls: Array<{ action: string; args: unknown[] }>;
}

/** Record actions that write nothing and say what they were asked. */
export function fakeRecords(): FakeRecords {
  const calls: FakeRecords['calls'] = [];
  return {
    calls,
    async runRecordAction(action, slots) {
      calls.push({ action, args: [slots] });
      return { number: 'CS-000007' };
    },
    async runBuiltin(name) {
      calls.push({ action: name, args: [] });
      return [{ text: `built-in ${name} ran` }];
    },
    async recordRating(caseId, rating, messageId) {
      calls.push({ action: 'recordRating', args: [caseId, rating, messageId] });
    },
  };
}

export interface Harness {
  env: EngineEnv;
  store: MemoryConversationStore;
  outbox: FakeOutbox;
  escalator: FakeEscalator;
  records: FakeRecords;
  nlu: ReturnType<typeof scriptedNlu>;
  crashes: CrashPoint[];
}

export async function harness(
  opts: {
    nlu?: Record<string, Partial<NluResult>>;
    catalogue?: Catalogue;
    crashAt?: CrashPoint;
  } = {},
): Promise<Harness> {
  const store = createMemoryStore();
  const outbox = fakeOutbox();
  const escalator = fakeEscalator();
  const records = fakeRecords();
  const nlu = scriptedNlu(opts.nlu);
  const crashes: CrashPoint[] = [];
  const env = engineEnv({
    nlu,
    outbox,
    escalator,
    records,
    store,
    logger: pino({ level: 'silent' }),
    catalogue: opts.catalogue ?? (await shippedCatalogue()),
    defaultLocale: 'es',
    defaultCountry: 'ES',
    crashAt: (point) => {
      crashes.push(point);
      if (point === opts.crashAt) throw new Error(`crash at ${point}`);
    },
  });
  return { env, store, outbox, escalator, records, nlu, crashes };
}

/** A stored bot conversation (with its contact) in the harness's store. */
export function conversation(h: Harness, fields: Partial<ConversationDoc> = {}): ConversationDoc {
  const contactId = new Types.ObjectId();
  h.store.contacts.set(contactId.toHexString(), {
    _id: contactId,
    emails: [],
    phones: [],
  } as never);
  return h.store.put({
    _id: new Types.ObjectId(),
    contactId,
    channel: 'telegram',
    platformConversationId: 'chat-1',
    platformUserId: 'user-1',
    status: 'bot',
    locale: 'es' as Locale,
    flow: null,
    suspendedFlow: null,
    fallbackCount: 0,
    intentsSeen: [],
    ...fields,
  } as ConversationDoc);
}

export function message(
  c: ConversationDoc,
  text: string,
  extra: Partial<TurnMessage> = {},
): TurnMessage {
  return {
    _id: new Types.ObjectId(),
    conversationId: c._id,
    contactId: c.contactId,
    direction: 'in',
    text,
    createdAt: new Date('2026-03-02T10:00:00Z'),
    ...extra,
  };
}

/** A turn of `text` on the conversation as stored now. */
export async function turnOf(
  h: Harness,
  c: ConversationDoc,
  text: string,
  extra: Partial<TurnMessage> = {},
): Promise<Turn> {
  const stored = (await h.store.find(c._id))!;
  return startTurn(h.env, message(c, text, extra), stored);
}

/** An open plan, as the understand stage leaves it, for stages that run after it. */
export function withPlan(turn: Turn, nlu: Partial<NluResult> = {}): Turn {
  turn.nlu = { ...turn.nlu, ...nlu };
  turn.plan = { set: {}, replies: [], intentSeen: turn.nlu.intent ?? undefined };
  return turn;
}

/** Runs one stage; says whether it passed the turn on. */
export async function runStage(stage: Stage, turn: Turn): Promise<{ passedOn: boolean }> {
  let passedOn = false;
  await stage.run(turn, async () => {
    passedOn = true;
  });
  return { passedOn };
}

export const texts = (turn: Turn) => turn.plan?.replies.map((r) => r.text) ?? [];
