/** A message as the admin API shows it: staff-only notes flagged `internal`, the NLU reading. */
import type { MessageDoc } from '../../kernel/db/models/message.js';

export function adminMessageView(m: MessageDoc) {
  return {
    id: m._id.toHexString(),
    conversationId: m.conversationId.toHexString(),
    channel: m.channel,
    direction: m.direction,
    author: m.author,
    text: m.text ?? '',
    status: m.status,
    createdAt: m.createdAt,
    ...(m.error ? { error: m.error } : {}),
    ...(m.internal ? { internal: true } : {}),
    ...(m.quickReplies?.length
      ? { quickReplies: m.quickReplies.map((q) => ({ title: q.title, payload: q.payload })) }
      : {}),
    ...(m.awaiting?.flow ? { awaiting: { flow: m.awaiting.flow, slot: m.awaiting.slot } } : {}),
    ...(m.attachments?.length ? { attachments: m.attachments } : {}),
    ...(m.staff?.id ? { staff: { id: m.staff.id, name: m.staff.name } } : {}),
    ...(m.nlu
      ? {
          nlu: {
            intent: m.nlu.intent ?? null,
            confidence: m.nlu.confidence ?? 0,
            language: m.nlu.language,
          },
        }
      : {}),
  };
}
