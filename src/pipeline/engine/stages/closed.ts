/**
 * Stage: the message was routed (from ingest's route cache) to a conversation closed since. The
 * engine does nothing; the inbound worker moves the message to the open conversation.
 */
import type { Stage } from '../turn.js';

export const closedConversation: Stage = {
  name: 'closed-conversation',
  async run(turn, next) {
    if (turn.conversation.status !== 'closed') return next();
    turn.result = { conversation: turn.conversation, replies: [], closed: true };
  },
};
