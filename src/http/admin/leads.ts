/** GET /api/leads?email=&status=&channel=&limit=&offset= → {items, total}, newest first. */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { CHANNEL_IDS } from '../../contracts/messages.js';
import { LEAD_STATUSES, Lead, type LeadDoc } from '../../store/models/lead.js';
import { requireRole } from '../auth/guard.js';
import { errorResponses } from '../schemas.js';
import { isoOrNull, optionalFilter, pageOf, pagination } from './validation.js';

const leadQuery = z.object({
  email: optionalFilter(z.string().trim().toLowerCase().max(320)),
  status: optionalFilter(z.enum(LEAD_STATUSES)),
  channel: optionalFilter(z.enum(CHANNEL_IDS)),
  ...pagination,
});

const nullableString = z.string().nullable();
const leadItem = z
  .object({
    id: z.string(),
    name: nullableString,
    email: nullableString,
    phone: nullableString,
    company: nullableString,
    interest: nullableString,
    status: z.enum(LEAD_STATUSES),
    score: z.number(),
    channel: z.enum(CHANNEL_IDS),
    contactId: nullableString,
    conversationId: nullableString,
    createdAt: nullableString,
    updatedAt: nullableString,
  })
  .meta({ id: 'Lead' });

export function leadView(lead: LeadDoc): z.infer<typeof leadItem> {
  return {
    id: lead._id.toHexString(),
    name: lead.name ?? null,
    email: lead.email ?? null,
    phone: lead.phone ?? null,
    company: lead.company ?? null,
    interest: lead.interest ?? null,
    status: lead.status,
    score: lead.score,
    channel: lead.channel,
    contactId: lead.contactId?.toHexString() ?? null,
    conversationId: lead.conversationId?.toHexString() ?? null,
    createdAt: isoOrNull((lead as { createdAt?: Date }).createdAt),
    updatedAt: isoOrNull((lead as { updatedAt?: Date }).updatedAt),
  };
}

export function mountLeadRoutes(scope: FastifyInstance): void {
  scope.withTypeProvider<ZodTypeProvider>().get(
    '/api/leads',
    {
      onRequest: requireRole('marketer', 'viewer'),
      schema: {
        tags: ['leads'],
        summary: 'Leads, newest first',
        querystring: leadQuery,
        response: { 200: pageOf(leadItem), ...errorResponses(400, 401, 403) },
      },
    },
    async (req) => {
      const q = req.query;
      const filter: Record<string, unknown> = {};
      if (q.email !== undefined) filter.email = q.email;
      if (q.status !== undefined) filter.status = q.status;
      if (q.channel !== undefined) filter.channel = q.channel;
      const [items, total] = await Promise.all([
        Lead.find(filter)
          .sort({ createdAt: -1, _id: -1 })
          .skip(q.offset)
          .limit(q.limit)
          .lean<LeadDoc[]>(),
        Lead.countDocuments(filter),
      ]);
      return { items: items.map(leadView), total };
    },
  );
}
