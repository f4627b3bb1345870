/**
 * Stage: replay guard. The message's turn was saved already (conversation.lastTurn names it):
 * nothing is recomputed; the hand-over it asked for is re-run (idempotent) and its replies still
 * pending are returned for delivery (docs/ARCHITECTURE.md, crash consistency).
 */
import type { EscalationReason } from '../../../kernel/contracts/escalation.js';
import type { Locale } from '../../../kernel/contracts/messages.js';
import { replyIds } from '../../../kernel/db/turn-ids.js';
import type { Stage, Turn, TurnResult } from '../turn.js';

async function replayTurn(turn: Turn): Promise<TurnResult> {
  const { conversation, message, env } = turn;
  const lastTurn = conversation.lastTurn!;
  if (lastTurn.escalate) {
    await env.escalator.escalate(
      conversation._id.toHexString(),
      lastTurn.escalate as EscalationReason,
    );
  }
  const ids = replyIds(message._id, lastTurn.replies ?? 0);
  const stored = ids.length > 0 ? await env.store.findReplies(ids) : [];
  env.logger.info(
    { conversationId: conversation._id.toHexString(), messageId: message._id.toHexString() },
    'turn replayed: delivering its unsent replies',
  );
  // The message's NLU record (analytics counts it) is parsed again: same text, same model.
  const parsed = turn.text.trim() ? env.nlu.parse(turn.text) : undefined;
  const language = (conversation.locale as Locale | undefined) ?? env.defaultLocale;
  return {
    conversation,
    replies: stored.filter((m) => m.status === 'pending'),
    delivered: stored.filter((m) => m.status !== 'pending').map((m) => m._id.toHexString()),
    ...(parsed ? { nlu: { intent: parsed.intent, confidence: parsed.confidence, language } } : {}),
  };
}

export const replayGuard: Stage = {
  name: 'replay-guard',
  async run(turn, next) {
    if (!turn.conversation.lastTurn?.messageId?.equals(turn.message._id)) return next();
    turn.result = await replayTurn(turn);
  },
};
