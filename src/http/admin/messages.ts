/**
 * GET /api/messages?status=&channel=&direction=&limit=&offset= → {items, total}, newest first.
 * `status=failed` is how admins see deliveries that gave up after retries, with their error.
 */
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { CHANNEL_IDS } from '../../contracts/messages.js';
import { MESSAGE_STATUSES, Message, type MessageDoc } from '../../store/models/message.js';
import { requireRole } from '../auth/guard.js';
import { adminMessageView } from './conversations.js';
import { optionalFilter, pagination, parseOr400, type Page } from './validation.js';

const messageQuery = z.object({
  status: optionalFilter(z.enum(MESSAGE_STATUSES)),
  channel: optionalFilter(z.enum(CHANNEL_IDS)),
  direction: optionalFilter(z.enum(['in', 'out'])),
  ...pagination,
});

export function mountMessageRoutes(scope: FastifyInstance): void {
  scope.get(
    '/api/messages',
    { onRequest: requireRole('agent', 'marketer', 'viewer') },
    async (req): Promise<Page<ReturnType<typeof adminMessageView>>> => {
      const q = parseOr400(messageQuery, req.query);
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
      return { items: items.map(adminMessageView), total };
    },
  );
}
