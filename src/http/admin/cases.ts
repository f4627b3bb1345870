/** GET /api/cases?status=&conversationId=&limit=&offset= → {items, total}, newest first. */
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { CASE_STATUSES, Case, type CaseDoc } from '../../store/models/case.js';
import { requireRole } from '../auth/guard.js';
import { objectIdString, optionalFilter, pagination, parseOr400, type Page } from './validation.js';

const caseQuery = z.object({
  status: optionalFilter(z.enum(CASE_STATUSES)),
  conversationId: optionalFilter(objectIdString),
  ...pagination,
});

export function caseView(c: CaseDoc) {
  return {
    id: c._id.toHexString(),
    number: c.number,
    type: c.type,
    subject: c.subject ?? null,
    description: c.description ?? null,
    email: c.email ?? null,
    phone: c.phone ?? null,
    preferredTime: c.preferredTime ?? null,
    status: c.status,
    priority: c.priority,
    channel: c.channel ?? null,
    contactId: c.contactId?.toHexString() ?? null,
    conversationId: c.conversationId?.toHexString() ?? null,
    createdAt: (c as { createdAt?: Date }).createdAt ?? null,
    updatedAt: (c as { updatedAt?: Date }).updatedAt ?? null,
  };
}

export function mountCaseRoutes(scope: FastifyInstance): void {
  scope.get(
    '/api/cases',
    { onRequest: requireRole('agent', 'viewer') },
    async (req): Promise<Page<ReturnType<typeof caseView>>> => {
      const q = parseOr400(caseQuery, req.query);
      const filter: Record<string, unknown> = {};
      if (q.status !== undefined) filter.status = q.status;
      if (q.conversationId !== undefined) filter.conversationId = q.conversationId;
      const [items, total] = await Promise.all([
        Case.find(filter)
          .sort({ createdAt: -1, _id: -1 })
          .skip(q.offset)
          .limit(q.limit)
          .lean<CaseDoc[]>(),
        Case.countDocuments(filter),
      ]);
      return { items: items.map(caseView), total };
    },
  );
}
