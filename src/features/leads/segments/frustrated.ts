/**
 * Customer insight as a segment condition (src/features/leads/segments/definition.ts): the leads of contacts who
 * read as frustrated in one of their conversations (Conversation.sentiment.frustratedAt, set by
 * src/pipeline/insight/trend.ts), or of those who never did. One `contactId` condition over leads, like
 * the other contact facts; read when the segment is counted or listed, never on the hot path.
 */
import { Conversation } from '../../../kernel/db/models/conversation.js';

export async function frustratedScope(frustrated: boolean): Promise<Record<string, unknown>> {
  const contacts = await Conversation.distinct('contactId', {
    'sentiment.frustratedAt': { $gt: new Date(0) },
  });
  const ids = contacts.filter((c) => c !== null && c !== undefined);
  return { contactId: frustrated ? { $in: ids } : { $nin: ids } };
}
