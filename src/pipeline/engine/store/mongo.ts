/**
 * The production ConversationStore: the engine's conversation writes, exactly the MongoDB
 * operations the hot-path budget counts (test/pipeline/queues/hot-path-budget.test.ts): one read
 * by `_id` and one `updateOne` per usual turn.
 */
import { findContact } from '../../../kernel/db/contacts.js';
import { findConversation } from '../../../kernel/db/conversations.js';
import { findMessages } from '../../../kernel/db/messages.js';
import { Conversation } from '../../../kernel/db/models/conversation.js';
import type { ConversationStore } from './port.js';

export const mongoConversationStore: ConversationStore = {
  find: findConversation,

  async commitTurn(id, { set, lastTurn, intentSeen }) {
    await Conversation.updateOne(
      { _id: id },
      {
        $set: { ...set, lastTurn },
        ...(intentSeen ? { $push: { intentsSeen: intentSeen } } : {}),
      },
    );
  },

  async suspendFlow(id, flow) {
    // Only while a flow still runs: a concurrent resume must not be undone.
    await Conversation.updateOne(
      { _id: id, flow: { $ne: null } },
      { $set: { suspendedFlow: flow, flow: null } },
    );
  },

  async clearAwaitingRating(id) {
    await Conversation.updateOne({ _id: id }, { $set: { awaitingRating: null } });
  },

  async resumeFlow(id, state) {
    await Conversation.updateOne(
      { _id: id },
      { $set: { flow: { ...state, attempts: 0 }, suspendedFlow: null } },
    );
  },

  async dropSuspendedFlow(id) {
    await Conversation.updateOne({ _id: id }, { $set: { suspendedFlow: null } });
  },

  findContact,
  findReplies: findMessages,
};
