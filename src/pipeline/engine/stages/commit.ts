/**
 * Stage: write the computed turn. It runs the rest of the chain first; if a later stage opened a
 * plan (the turn is the bot's), it writes it: the replies (deterministic ids, one batch), then the
 * conversation state stamped with the message (`lastTurn`), then the escalation it asked for. A
 * crash before the state write replays the whole turn onto the same state (the same replies,
 * records found by their ids); a crash after it replays only the delivery (the replay stage).
 */
import type { Types } from 'mongoose';
import type { ConversationDoc } from '../../../kernel/db/models/conversation.js';
import type { MessageDoc } from '../../../kernel/db/models/message.js';
import { replyIds } from '../../../kernel/db/turn-ids.js';
import type { Stage, Turn, TurnPlan, TurnResult } from '../turn.js';

/** The turn's replies, stored once; an outbox without `store` (the studio sandbox) collects them. */
async function storeReplies(turn: Turn, plan: TurnPlan): Promise<MessageDoc[]> {
  if (plan.replies.length === 0) return [];
  const { conversation, message, env } = turn;
  const ids: Types.ObjectId[] = replyIds(message._id, plan.replies.length);
  const owner = { ...conversation, contactId: plan.contactId ?? conversation.contactId };
  if (!env.outbox.store) {
    await env.outbox.send(owner, plan.replies);
    return [];
  }
  return env.outbox.store(owner, plan.replies, { ids, replyTo: message._id });
}

export async function commitTurn(turn: Turn, plan: TurnPlan): Promise<TurnResult> {
  const { conversation, message, env } = turn;
  const replies = await storeReplies(turn, plan);
  const offered = plan.replies.findLast((r) => r.quickReplies?.length)?.quickReplies;
  if (plan.replies.length > 0) plan.set.offered = offered?.map((q) => q.payload) ?? null;
  env.crash('after-replies');
  const lastTurn = {
    messageId: message._id,
    replies: replies.length,
    ...(plan.escalate ? { escalate: plan.escalate } : {}),
  };
  await env.store.commitTurn(conversation._id, {
    set: plan.set,
    lastTurn,
    intentSeen: plan.intentSeen,
  });
  env.crash('after-state');
  if (plan.escalate) await env.escalator.escalate(conversation._id.toHexString(), plan.escalate);
  env.crash('after-escalate');
  return {
    // A record action may have merged contacts: the conversation belongs to the survivor now.
    conversation: {
      ...conversation,
      ...plan.set,
      lastTurn,
      contactId: plan.contactId ?? conversation.contactId,
    } as ConversationDoc,
    replies,
    nlu: { intent: turn.nlu.intent, confidence: turn.nlu.confidence, language: turn.locale },
    sentiment: plan.sentiment,
    ...(turn.answerTo ? { answerTo: turn.answerTo } : {}),
    ...(turn.asked ? { asked: turn.asked } : {}),
    ...(turn.clarified ? { clarified: turn.clarified } : {}),
  };
}

export const commit: Stage = {
  name: 'commit',
  async run(turn, next) {
    await next();
    if (!turn.plan) return;
    turn.env.crash('after-crm');
    turn.result = await commitTurn(turn, turn.plan);
  },
};
