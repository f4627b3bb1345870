/** What an action gets to work with: the conversation, its language and the customer's message. */
import type { Types } from 'mongoose';
import type { Locale } from '../../kernel/contracts/messages.js';
import type { Entities } from '../../kernel/contracts/nlu.js';
import type { ConversationDoc } from '../../kernel/db/models/conversation.js';

export interface ActionContext {
  conversation: ConversationDoc;
  locale: Locale;
  /** The customer's message that triggered the action. */
  text: string;
  entities: Entities;
  /**
   * The inbound message's id: records the action creates derive their ids from it, so a replayed
   * turn finds them instead of creating them again (src/kernel/db/turn-ids.ts).
   */
  messageId?: Types.ObjectId;
}
