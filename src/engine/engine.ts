// PLACEHOLDER until the engine lands: echoes, so the pipeline can be exercised end to end.
import type { Nlu } from '../contracts/nlu.js';
import type { Escalator } from '../contracts/escalation.js';
import type { Outbox } from '../outbox.js';
import type { MessageDoc } from '../store/models/message.js';
import { findConversation } from '../store/conversations.js';
import type { Logger } from 'pino';

export interface EngineDeps {
  nlu: Nlu;
  outbox: Outbox;
  escalator: Escalator;
  logger: Logger;
}
export interface Engine {
  /** Handles one stored inbound message (called by the inbound worker, one conversation at a time). */
  handle(message: MessageDoc): Promise<void>;
  /** The bot gets the conversation back from a human: resume the suspended flow step, if any. */
  resume(conversationId: string): Promise<void>;
}
export function createEngine(deps: EngineDeps): Engine {
  return {
    async handle(message) {
      const conversation = await findConversation(message.conversationId);
      if (!conversation) return;
      await deps.outbox.send(conversation, [{ text: `echo: ${message.text}` }]);
    },
    async resume() {},
  };
}
