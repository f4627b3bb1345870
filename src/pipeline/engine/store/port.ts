/**
 * The engine's port for conversation state. The engine is the one writer of the fields it owns
 * on a Conversation — `flow`, `suspendedFlow` (when it sets a flow aside or resumes it),
 * `locale`, `fallbackCount`, `intentsSeen`, `lastTurn`, `awaitingRating` (cleared), `sentiment`,
 * `priority`, `leadId`, `offered` (the last turn's buttons) and the console's `lastMessage*`/`lastIntent` — and it writes them only
 * through this interface. Production is the MongoDB implementation (mongo.ts: the queries the
 * hot-path budget counts); stage tests use the in-memory one (memory.ts). Others that change a
 * conversation (the escalator's status and relay, cases, privacy) write their own fields.
 */
import type { Types } from 'mongoose';
import type { ContactDoc } from '../../../kernel/db/models/contact.js';
import type { ConversationDoc } from '../../../kernel/db/models/conversation.js';
import type { MessageDoc } from '../../../kernel/db/models/message.js';
import type { FlowState } from '../../flows/runtime.js';

/** The state write that closes a turn: its buffered changes, stamped with the message. */
export interface TurnCommit {
  set: Record<string, unknown>;
  lastTurn: { messageId: Types.ObjectId; replies: number; escalate?: string };
  /** The intent recognised, appended to `intentsSeen`. */
  intentSeen?: string;
}

export interface ConversationStore {
  /** The conversation by id (one read; null when unknown or the id is malformed). */
  find(id: string | Types.ObjectId): Promise<ConversationDoc | null>;
  /** Writes a computed turn's state in one update (docs/ARCHITECTURE.md, crash consistency). */
  commitTurn(id: Types.ObjectId, commit: TurnCommit): Promise<void>;
  /** Staff own the conversation: a running flow waits in `suspendedFlow` (only if one runs). */
  suspendFlow(id: Types.ObjectId, flow: NonNullable<ConversationDoc['flow']>): Promise<void>;
  /** A satisfaction rating is no longer awaited (the customer said something else). */
  clearAwaitingRating(id: Types.ObjectId): Promise<void>;
  /** The bot has it back: the suspended flow runs again from its pending step. */
  resumeFlow(id: Types.ObjectId, state: FlowState): Promise<void>;
  /** The suspended flow cannot be resumed (gone from the catalogue, or no step pending). */
  dropSuspendedFlow(id: Types.ObjectId): Promise<void>;
  /** The conversation's contact, for what flows already know (email, phone, name, country). */
  findContact(id: Types.ObjectId): Promise<ContactDoc | null>;
  /** A saved turn's stored replies, by their deterministic ids (a replay delivers the rest). */
  findReplies(ids: Types.ObjectId[]): Promise<MessageDoc[]>;
}
