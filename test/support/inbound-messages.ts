/**
 * Stores a processed customer message straight in the database, as the pipeline leaves it, for
 * tests of what reads them back ("what the bot missed", the unanswered list).
 */
import { Types } from 'mongoose';
import { Message } from '../../src/kernel/db/models/message.js';
import type { ChannelId } from '../../src/kernel/vocabulary.js';

export interface StoredInbound {
  text: string;
  /** The turn's understanding, e.g. `{intent: null, confidence: 0.1, language: 'es'}`. */
  nlu: object;
  channel?: ChannelId;
  /** Any other Message field (answerTo, createdAt…). */
  extra?: object;
}

/** A customer's processed message in its own new conversation; answers its id. */
export async function storeInbound({
  text,
  nlu,
  channel = 'webchat',
  extra = {},
}: StoredInbound): Promise<Types.ObjectId> {
  const doc = await Message.create({
    conversationId: new Types.ObjectId(),
    contactId: new Types.ObjectId(),
    channel,
    direction: 'in',
    author: 'customer',
    text,
    dedupeKey: `test:inbound:${new Types.ObjectId().toHexString()}`,
    status: 'processed',
    nlu,
    ...extra,
  });
  return doc._id;
}

/** The understanding of a turn the bot could not place (below any threshold). */
export const missed = (language: string, confidence = 0.1) => ({
  intent: null,
  confidence,
  language,
});
