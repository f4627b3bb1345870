/**
 * GET /api/conversations/:id → the conversation with all its messages, oldest first, including
 * staff-only notes (flagged `internal`) and the NLU reading of each customer message.
 */
import type { FastifyInstance } from 'fastify';
import { Types } from 'mongoose';
import { notFound } from '../errors.js';
import { requireRole } from '../auth/guard.js';
import { findConversation } from '../../store/conversations.js';
import { listConversationMessages } from '../../store/messages.js';
import type { MessageDoc } from '../../store/models/message.js';

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

export function mountConversationRoutes(scope: FastifyInstance): void {
  scope.get<{ Params: { id: string } }>(
    '/api/conversations/:id',
    { onRequest: requireRole('agent', 'marketer', 'viewer') },
    async (req) => {
      const { id } = req.params;
      if (!/^[0-9a-f]{24}$/i.test(id) || !Types.ObjectId.isValid(id)) {
        throw notFound('The conversation');
      }
      const conversation = await findConversation(id);
      if (!conversation) throw notFound('The conversation');
      const messages = await listConversationMessages(conversation._id, { includeInternal: true });
      return {
        id: conversation._id.toHexString(),
        status: conversation.status,
        channel: conversation.channel,
        contactId: conversation.contactId.toHexString(),
        locale: conversation.locale ?? null,
        flow: conversation.flow
          ? { name: conversation.flow.name, slot: conversation.flow.slot }
          : null,
        assignee: conversation.assignee?.id ? conversation.assignee : null,
        createdAt: (conversation as { createdAt?: Date }).createdAt ?? null,
        // Derived from the messages rather than stored: no extra write on every inbound message.
        lastMessageAt: messages.at(-1)?.createdAt ?? null,
        messages: messages.map(adminMessageView),
      };
    },
  );
}
