/** What an action gets to work with: the conversation, its language and the customer's message. */
import type { Locale } from '../contracts/messages.js';
import type { Entities } from '../contracts/nlu.js';
import type { ConversationDoc } from '../store/models/conversation.js';

export interface ActionContext {
  conversation: ConversationDoc;
  locale: Locale;
  /** The customer's message that triggered the action. */
  text: string;
  entities: Entities;
}
