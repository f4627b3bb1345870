/**
 * Staff API for the human queue (session cookie or bearer ADMIN_TOKEN, src/http/guard.ts):
 * - GET /api/escalations?status=queued|assigned&limit=50 → {items, total}, high priority (a
 *   frustrated customer, src/pipeline/insight/trend.ts) first, then oldest first
 *   (agent, marketer, viewer).
 *   waitingSeconds is how long the customer has waited for a person: until now while queued,
 *   until the claim once assigned.
 * - POST /api/conversations/:id/escalate → 202 {conversationId, status: 'queued'}; 409 when the
 *   conversation is already with staff (or ended), 404 when unknown (agent; audited).
 */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { Types } from 'mongoose';
import { z } from 'zod';
import type { Escalator } from '../../kernel/contracts/escalation.js';
import type { ConversationLock } from '../../kernel/redis/conversation-lock.js';
import { recordAudit } from '../../kernel/audit.js';
import { actorOf, requireRole } from '../../http/guard.js';
import { ACCESS } from '../../kernel/roles.js';
import { HttpError, notFound } from '../../http/errors.js';
import { errorResponses } from '../../http/schemas.js';
import { Conversation, type ConversationDoc } from '../../kernel/db/models/conversation.js';

const listQuery = z.object({
  status: z.enum(['queued', 'assigned']).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

const escalationItem = z
  .object({
    conversationId: z.string(),
    status: z.string(),
    channel: z.string(),
    reason: z.string().nullable(),
    queuedAt: z.string().nullable(),
    assignedAt: z.string().nullable(),
    waitingSeconds: z.number().nullable(),
    assignee: z.object({ id: z.string(), name: z.string().nullable() }).nullable(),
    afterHours: z.boolean(),
    priority: z.enum(['high']).nullable(),
    frustratedAt: z.string().nullable(),
  })
  .meta({ id: 'Escalation' });

export interface EscalationItem {
  conversationId: string;
  status: string;
  channel: string;
  reason: string | null;
  queuedAt: string | null;
  assignedAt: string | null;
  waitingSeconds: number | null;
  assignee: { id: string; name: string | null } | null;
  afterHours: boolean;
  priority: 'high' | null;
  frustratedAt: string | null;
}

export function toEscalationItem(c: ConversationDoc, now: Date): EscalationItem {
  const esc = c.escalation ?? {};
  const queuedAt = esc.queuedAt ? new Date(esc.queuedAt) : undefined;
  const assignedAt =
    c.status === 'assigned' && esc.assignedAt ? new Date(esc.assignedAt) : undefined;
  const until = assignedAt ?? now;
  return {
    conversationId: c._id.toHexString(),
    status: c.status,
    channel: c.channel,
    reason: esc.reason ?? null,
    queuedAt: queuedAt?.toISOString() ?? null,
    assignedAt: assignedAt?.toISOString() ?? null,
    waitingSeconds: queuedAt
      ? Math.max(0, Math.round((until.getTime() - queuedAt.getTime()) / 1000))
      : null,
    assignee:
      c.status === 'assigned' && c.assignee?.id
        ? { id: c.assignee.id, name: c.assignee.name ?? null }
        : null,
    afterHours: esc.afterHours === true,
    priority: c.priority === 'high' ? 'high' : null,
    frustratedAt: c.sentiment?.frustratedAt
      ? new Date(c.sentiment.frustratedAt).toISOString()
      : null,
  };
}

export function mountEscalationRoutes(
  server: FastifyInstance,
  deps: { escalator: Escalator; lock: ConversationLock },
): void {
  const app = server.withTypeProvider<ZodTypeProvider>();
  app.get(
    '/api/escalations',
    {
      onRequest: requireRole(...ACCESS.conversations.read),
      schema: {
        tags: ['escalations'],
        summary: 'Conversations waiting for or with staff, high priority first, then oldest first',
        querystring: listQuery,
        response: {
          200: z.object({ items: z.array(escalationItem), total: z.number().int() }),
          ...errorResponses(400, 401, 403),
        },
      },
    },
    async (req) => {
      const { status, limit } = req.query;
      const filter = { status: { $in: status ? [status] : (['queued', 'assigned'] as const) } };
      const [docs, total] = await Promise.all([
        Conversation.find(filter)
          // priority is 'high' or absent: descending puts the frustrated first.
          .sort({ priority: -1, 'escalation.queuedAt': 1, _id: 1 })
          .limit(limit)
          .lean<ConversationDoc[]>(),
        Conversation.countDocuments(filter),
      ]);
      const now = new Date();
      return { items: docs.map((d) => toEscalationItem(d, now)), total };
    },
  );

  app.post(
    '/api/conversations/:id/escalate',
    {
      onRequest: requireRole(...ACCESS.conversations.write),
      schema: {
        tags: ['escalations'],
        summary: 'Hand a conversation from the bot to the staff queue',
        params: z.object({ id: z.string().max(64) }),
        response: { 202: escalationItem, ...errorResponses(401, 403, 404, 409) },
      },
    },
    async (req, reply) => {
      const { id } = req.params;
      if (!/^[0-9a-f]{24}$/i.test(id)) throw notFound('The conversation');
      const before = await Conversation.findById(new Types.ObjectId(id), { status: 1 }).lean();
      if (!before) throw notFound('The conversation');
      if (before.status !== 'bot') {
        throw new HttpError(
          409,
          'not_with_bot',
          `The conversation is ${before.status}, not with the bot.`,
        );
      }
      // Outside the engine: take the conversation lock the engine would hold.
      await deps.lock(id, () => deps.escalator.escalate(id, 'admin'));
      const after = await Conversation.findById(before._id).lean<ConversationDoc>();
      // Queued, or already handed to an agent by round-robin assignment the moment it queued.
      if (after?.status !== 'queued' && after?.status !== 'assigned') {
        throw new HttpError(409, 'not_with_bot', 'The conversation changed meanwhile; try again.');
      }
      await recordAudit({
        actor: actorOf(req),
        action: 'conversation.escalate',
        targetType: 'conversation',
        targetId: id,
        before: { status: before.status },
        after: { status: after.status },
      });
      return reply.status(202).send(toEscalationItem(after, new Date()));
    },
  );
}
