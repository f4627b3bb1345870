/**
 * Stage: a satisfaction rating was asked (a case was resolved). A 1–5 answer is stored on the case
 * and thanked, with no NLU or flow for that message. Anything else clears the request (in the
 * turn's commit, or at once when staff own the conversation) and goes on as usual.
 */
import type { Locale } from '../../../kernel/contracts/messages.js';
import { lastActivity } from '../../../kernel/db/activity.js';
import { caseCustomerTexts } from '../../actions/case-texts.js';
import { isAwaitingRating, ratingOf } from '../../actions/csat.js';
import type { Stage } from '../turn.js';

export const ratingAnswer: Stage = {
  name: 'rating-answer',
  async run(turn, next) {
    const { conversation, message, env } = turn;
    const pending = conversation.awaitingRating;
    if (!pending?.caseId) return next();
    const now = new Date();
    const rating = isAwaitingRating(pending, now) ? ratingOf(message.text ?? '') : undefined;
    if (rating === undefined) {
      // A bot turn clears it in its commit (understand); staff-owned ones write nothing else.
      if (conversation.status !== 'bot') await env.store.clearAwaitingRating(conversation._id);
      return next();
    }
    await env.records.recordRating?.(pending.caseId, rating, message._id, now);
    turn.answerTo = 'rating';
    const locale = (conversation.locale as Locale | undefined) ?? env.defaultLocale;
    turn.plan = {
      set: { awaitingRating: null, ...lastActivity(message) },
      replies: [{ text: caseCustomerTexts(locale).thanks(rating) }],
    };
  },
};
