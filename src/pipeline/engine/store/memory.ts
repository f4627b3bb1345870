/**
 * An in-memory ConversationStore for stage tests: the same writes as the MongoDB one, applied to
 * plain objects, so a stage's effect on the conversation can be read back without a database.
 * Documents are copied in and out, like a real store, so a stage cannot change them by reference.
 */
import { Types } from 'mongoose';
import type { ContactDoc } from '../../../kernel/db/models/contact.js';
import type { ConversationDoc } from '../../../kernel/db/models/conversation.js';
import type { MessageDoc } from '../../../kernel/db/models/message.js';
import type { ConversationStore } from './port.js';

export interface MemoryConversationStore extends ConversationStore {
  conversations: Map<string, ConversationDoc>;
  contacts: Map<string, ContactDoc>;
  messages: Map<string, MessageDoc>;
  /** Every write, by method name, in order (what a stage wrote and when). */
  writes: string[];
  /** Adds (or replaces) documents; returns the conversation as stored. */
  put(conversation: ConversationDoc): ConversationDoc;
}

/** A deep copy that keeps ObjectIds (immutable) and Dates what they are. */
function copy<T>(value: T): T {
  if (value instanceof Types.ObjectId) return value;
  if (value instanceof Date) return new Date(value) as T;
  if (Array.isArray(value)) return value.map(copy) as T;
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, copy(v)])) as T;
  }
  return value;
}

export function createMemoryStore(): MemoryConversationStore {
  const conversations = new Map<string, ConversationDoc>();
  const writes: string[] = [];
  const key = (id: string | Types.ObjectId) => (typeof id === 'string' ? id : id.toHexString());

  /** Applies `$set` to a stored conversation (top-level fields, as the engine writes them). */
  function update(method: string, id: Types.ObjectId, set: Record<string, unknown>) {
    writes.push(method);
    const doc = conversations.get(key(id));
    if (doc) Object.assign(doc, copy(set));
  }

  const store: MemoryConversationStore = {
    conversations,
    contacts: new Map(),
    messages: new Map(),
    writes,
    put(conversation) {
      conversations.set(key(conversation._id), copy(conversation));
      return conversation;
    },
    async find(id) {
      const doc = conversations.get(key(id));
      return doc ? copy(doc) : null;
    },
    async commitTurn(id, { set, lastTurn, intentSeen }) {
      update('commitTurn', id, { ...set, lastTurn });
      const doc = conversations.get(key(id));
      if (doc && intentSeen) doc.intentsSeen = [...(doc.intentsSeen ?? []), intentSeen];
    },
    async suspendFlow(id, flow) {
      if (!conversations.get(key(id))?.flow) return;
      update('suspendFlow', id, { suspendedFlow: flow, flow: null });
    },
    async clearAwaitingRating(id) {
      update('clearAwaitingRating', id, { awaitingRating: null });
    },
    async resumeFlow(id, state) {
      update('resumeFlow', id, { flow: { ...state, attempts: 0 }, suspendedFlow: null });
    },
    async dropSuspendedFlow(id) {
      update('dropSuspendedFlow', id, { suspendedFlow: null });
    },
    async findContact(id) {
      const doc = store.contacts.get(key(id));
      return doc ? copy(doc) : null;
    },
    async findReplies(ids) {
      return ids
        .map((id) => store.messages.get(key(id)))
        .filter((m): m is MessageDoc => m !== undefined)
        .map(copy);
    },
  };
  return store;
}
