/** GET /api/cases?status=&conversationId=&limit=&offset= → {items, total}, newest first. */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { CHANNEL_IDS } from '../../contracts/messages.js';
import { CASE_PRIORITIES, CASE_STATUSES, Case, type CaseDoc } from '../../store/models/case.js';
import { requireRole } from '../auth/guard.js';
import { errorResponses } from '../schemas.js';
import { isoOrNull, objectIdString, optionalFilter, pageOf, pagination } from './validation.js';

const caseQuery = z.object({
  status: optionalFilter(z.enum(CASE_STATUSES)),
  conversationId: optionalFilter(objectIdString),
  ...pagination,
});

const nullableString = z.string().nullable();
const caseItem = z
  .object({
    id: z.string(),
    number: z.string(),
    type: z.string(),
    subject: nullableString,
    description: nullableString,
    email: nullableString,
    phone: nullableString,
    preferredTime: nullableString,
    status: z.enum(CASE_STATUSES),
    priority: z.enum(CASE_PRIORITIES),
    channel: z.enum(CHANNEL_IDS).nullable(),
    contactId: nullableString,
    conversationId: nullableString,
    createdAt: nullableString,
    updatedAt: nullableString,
  })
  .meta({ id: 'Case' });

export function caseView(c: CaseDoc): z.infer<typeof caseItem> {
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
    createdAt: isoOrNull((c as { createdAt?: Date }).createdAt),
    updatedAt: isoOrNull((c as { updatedAt?: Date }).updatedAt),
  };
}

export function mountCaseRoutes(scope: FastifyInstance): void {
  scope.withTypeProvider<ZodTypeProvider>().get(
    '/api/cases',
    {
      onRequest: requireRole('agent', 'viewer'),
      schema: {
        tags: ['cases'],
        summary: 'Support cases, newest first',
        querystring: caseQuery,
        response: { 200: pageOf(caseItem), ...errorResponses(400, 401, 403) },
      },
    },
    async (req) => {
      const q = req.query;
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
