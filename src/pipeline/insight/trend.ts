/**
 * A conversation's sentiment trend: the scores of its last customer messages
 * (`Conversation.sentiment.trend`, capped at TREND_LENGTH) and whether the customer reads as
 * frustrated — two negative messages in a row (messages without words to judge are not scored
 * and do not break a run; a neutral or positive one does). Frustration raises the conversation's
 * `priority` to `high` (the staff queue shows it first and marks it) and stays until the
 * conversation is closed. Computed from the conversation the turn already read and written with
 * the update the turn already makes: no database operation of its own.
 */
import type { Types } from 'mongoose';
import type { Locale } from '../../kernel/contracts/messages.js';
import { isNegative, sentimentOf } from './sentiment.js';

export const TREND_LENGTH = 20;

export interface SentimentPoint {
  at: Date;
  score: number;
  messageId: Types.ObjectId;
}

export interface SentimentState {
  trend: SentimentPoint[];
  frustratedAt: Date | null;
}

/** The fields a customer message adds to its conversation's `$set`. */
export interface SentimentUpdate {
  score: number | null;
  /** `$set` fields for the conversation (empty when the message has no score). */
  set: { sentiment?: SentimentState; priority?: 'high' };
  /** This message made the customer read as frustrated (it was not before). */
  becameFrustrated: boolean;
}

interface StoredSentiment {
  trend?: Array<{ at?: Date | null; score?: number | null; messageId?: Types.ObjectId | null }>;
  frustratedAt?: Date | null;
}

function pointsOf(stored: StoredSentiment | null | undefined): SentimentPoint[] {
  return (stored?.trend ?? []).flatMap((p) =>
    p.at && typeof p.score === 'number' && p.messageId
      ? [{ at: new Date(p.at), score: p.score, messageId: p.messageId }]
      : [],
  );
}

/**
 * The conversation's sentiment after `message`. Idempotent: a message already in the trend (a
 * replayed turn or relay) changes nothing, and the same text always scores the same.
 */
export function nextSentiment(
  stored: StoredSentiment | null | undefined,
  message: { _id: Types.ObjectId; text?: string | null; createdAt?: Date | null },
  locale: Locale,
): SentimentUpdate {
  const score = sentimentOf(message.text ?? '', locale);
  const trend = pointsOf(stored);
  if (score === null || trend.some((p) => p.messageId.equals(message._id))) {
    return { score, set: {}, becameFrustrated: false };
  }
  const at = message.createdAt ?? message._id.getTimestamp();
  const next = [...trend, { at, score, messageId: message._id }].slice(-TREND_LENGTH);
  const wasFrustrated = stored?.frustratedAt instanceof Date;
  const lastTwo = next.slice(-2);
  const nowFrustrated = lastTwo.length === 2 && lastTwo.every((p) => isNegative(p.score));
  const frustratedAt = wasFrustrated ? stored!.frustratedAt! : nowFrustrated ? at : null;
  return {
    score,
    set: {
      sentiment: { trend: next, frustratedAt },
      ...(frustratedAt ? { priority: 'high' as const } : {}),
    },
    becameFrustrated: !wasFrustrated && nowFrustrated,
  };
}
