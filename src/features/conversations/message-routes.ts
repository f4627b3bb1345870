/**
 * GET /api/messages?status=&channel=&direction=&limit=&offset= → {items, total}, newest first.
 * `status=failed` is how admins see deliveries that gave up after retries, with their error.
 */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { CHANNEL_IDS } from '../../kernel/contracts/messages.js';
import { MESSAGE_STATUSES, Message, type MessageDoc } from '../../kernel/db/models/message.js';
import { requireRole } from '../../http/guard.js';
import { ACCESS } from '../../kernel/roles.js';
import { adminMessageView } from './message-view.js';
import { errorResponses } from '../../http/schemas.js';
import { isoOrNull, optionalFilter, pageOf, pagination } from '../../http/validation.js';

const messageQuery = z.object({
  status: optionalFilter(z.enum(MESSAGE_STATUSES)),
  channel: optionalFilter(z.enum(CHANNEL_IDS)),
  direction: optionalFilter(z.enum(['in', 'out'])),
  ...pagination,
});

/** The fields every message has; optional ones (error, nlu, staff, …) pass through as they are. */
const messageItem = z
  .looseObject({
    id: z.string(),
    conversationId: z.string(),
    channel: z.enum(CHANNEL_IDS),
    direction: z.enum(['in', 'out']),
    author: z.string(),
    text: z.string(),
    status: z.enum(MESSAGE_STATUSES),
    createdAt: z.string().nullable(),
    error: z.string().optional(),
  })
  .meta({ id: 'AdminMessage' });

export function mountMessageRoutes(scope: FastifyInstance): void {
  scope.withTypeProvider<ZodTypeProvider>().get(
    '/api/messages',
    {
      onRequest: requireRole(...ACCESS.conversations.read),
      schema: {
        tags: ['messages'],
        summary: 'Messages, newest first (status=failed: replies that could not be delivered)',
        querystring: messageQuery,
        response: { 200: pageOf(messageItem), ...errorResponses(400, 401, 403) },
      },
    },
    async (req) => {
      const q = req.query;
      const filter: Record<string, unknown> = {};
      if (q.status !== undefined) filter.status = q.status;
      if (q.channel !== undefined) filter.channel = q.channel;
      if (q.direction !== undefined) filter.direction = q.direction;
      const [items, total] = await Promise.all([
        Message.find(filter)
          .sort({ createdAt: -1, _id: -1 })
          .skip(q.offset)
          .limit(q.limit)
          .lean<MessageDoc[]>(),
        Message.countDocuments(filter),
      ]);
      const views = items.map((m) => ({
        ...adminMessageView(m),
        createdAt: isoOrNull(m.createdAt),
      }));
      return { items: views, total };
    },
  );
}
