/** GET /api/leads?email=&status=&channel=&limit=&offset= → {items, total}, newest first. */
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { CHANNEL_IDS } from '../../contracts/messages.js';
import { LEAD_STATUSES, Lead, type LeadDoc } from '../../store/models/lead.js';
import { requireRole } from '../auth/guard.js';
import { optionalFilter, pagination, parseOr400, type Page } from './validation.js';

const leadQuery = z.object({
  email: optionalFilter(z.string().trim().toLowerCase().max(320)),
  status: optionalFilter(z.enum(LEAD_STATUSES)),
  channel: optionalFilter(z.enum(CHANNEL_IDS)),
  ...pagination,
});

export function leadView(lead: LeadDoc) {
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
    createdAt: (lead as { createdAt?: Date }).createdAt ?? null,
    updatedAt: (lead as { updatedAt?: Date }).updatedAt ?? null,
  };
}

export function mountLeadRoutes(scope: FastifyInstance): void {
  scope.get(
    '/api/leads',
    { onRequest: requireRole('marketer', 'viewer') },
    async (req): Promise<Page<ReturnType<typeof leadView>>> => {
      const q = parseOr400(leadQuery, req.query);
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
