/**
 * Leads in the marketers' workspace:
 *   GET   /api/leads?status=&channel=&email=&owner=&q=&createdFrom=&createdTo=&scoreMin=
 *         &scoreMax=&language=&consent=&segment=&sort=&order= → {items, total}, newest first
 *         by default; each lead with score and scoreReasons (src/features/leads/scoring/)  (marketer, viewer)
 *   GET   /api/leads/owners → the active staff a lead can be given to {items: [{id, name}]}
 *   GET   /api/leads/:id → the lead with consent, transcript, other leads, cases, timeline
 *   PATCH /api/leads/:id {status?, owner?, notes?, tags?} → the lead     (marketer)
 *   POST  /api/leads/bulk {ids, set: {status?, owner?, tags?}} → {updated, items} (marketer)
 * Edits are validated before anything is written and audited (src/features/leads/edits.ts).
 */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { leadQueryFilter } from './contact-scope.js';
import { leadDetail } from './detail.js';
import { bulkEditLeads, editLead } from './edits.js';
import { leadSort } from './filters.js';
import type { EventPublisher } from '../../kernel/events.js';
import { User } from '../../kernel/db/models/user.js';
import { refreshLead } from './scoring/refresh.js';
import { withSegment } from './segments/segments.js';
import { Lead, type LeadDoc } from '../../kernel/db/models/lead.js';
import { actorOf, requireRole } from '../../http/guard.js';
import { ACCESS } from '../../kernel/roles.js';
import { notFound } from '../../http/errors.js';
import { errorResponses, pageOf } from '../../http/schemas.js';
import { leadDetailView, leadValues, leadViews } from './detail-view.js';
import {
  leadBulkBody,
  leadBulkResponse,
  leadDetailSchema,
  leadIdParams,
  leadListQuery,
  leadOwnersResponse,
  leadPatchBody,
  leadSchema,
  type LeadOwner,
} from './schemas.js';

const OWNERS_LIMIT = 500;

/** Active staff by name: the console's owner picker and the names of owners in lists. */
async function leadOwners(): Promise<LeadOwner[]> {
  const users = await User.find({ disabled: { $ne: true } }, { name: 1, email: 1 })
    .sort({ name: 1, _id: 1 })
    .limit(OWNERS_LIMIT)
    .lean();
  return users.map((u) => ({ id: u._id.toHexString(), name: u.name || u.email }));
}

function mountLeadReads(scope: FastifyInstance): void {
  const typed = scope.withTypeProvider<ZodTypeProvider>();
  typed.get(
    '/api/leads',
    {
      onRequest: requireRole(...ACCESS.leads.read),
      schema: {
        tags: ['leads'],
        summary: 'Leads, filtered and sorted (newest first by default)',
        querystring: leadListQuery,
        response: { 200: pageOf(leadSchema), ...errorResponses(400, 401, 403) },
      },
    },
    async (req) => {
      const filter = await withSegment(req.query.segment, await leadQueryFilter(req.query));
      const [items, total] = await Promise.all([
        Lead.find(filter)
          .sort(leadSort(req.query))
          .skip(req.query.offset)
          .limit(req.query.limit)
          .lean<LeadDoc[]>(),
        Lead.countDocuments(filter),
      ]);
      return { items: await leadViews(items), total };
    },
  );
  typed.get(
    '/api/leads/owners',
    {
      onRequest: requireRole(...ACCESS.leads.read),
      schema: {
        tags: ['leads'],
        summary: 'Staff a lead can be given to (active users; id and name only)',
        response: { 200: leadOwnersResponse, ...errorResponses(401, 403) },
      },
    },
    async () => ({ items: await leadOwners() }),
  );
  typed.get(
    '/api/leads/:id',
    {
      onRequest: requireRole(...ACCESS.leads.read),
      schema: {
        tags: ['leads'],
        summary: 'One lead: fields, consent, transcript, other leads and cases, timeline',
        params: leadIdParams,
        response: { 200: leadDetailSchema, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (req) => {
      const detail = await leadDetail(req.params.id);
      if (!detail) throw notFound('The lead');
      return leadDetailView(detail, await leadValues([detail.lead, ...detail.otherLeads]));
    },
  );
}

function mountLeadEdits(scope: FastifyInstance, events: EventPublisher): void {
  const typed = scope.withTypeProvider<ZodTypeProvider>();
  typed.patch(
    '/api/leads/:id',
    {
      onRequest: requireRole(...ACCESS.leads.write),
      schema: {
        tags: ['leads'],
        summary: 'Change a lead’s status, owner, notes or tags (audited)',
        params: leadIdParams,
        body: leadPatchBody,
        response: { 200: leadSchema, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (req) => {
      const edited = await editLead(req.params.id, req.body, actorOf(req), events);
      // Status and tags may be scored: the answer carries the new score.
      const [view] = await leadViews([(await refreshLead(edited._id)) ?? edited]);
      return view!;
    },
  );
  typed.post(
    '/api/leads/bulk',
    {
      onRequest: requireRole(...ACCESS.leads.write),
      schema: {
        tags: ['leads'],
        summary: 'Set status, owner or tags on many leads (all ids must exist)',
        body: leadBulkBody,
        response: { 200: leadBulkResponse, ...errorResponses(400, 401, 403) },
      },
    },
    async (req) => {
      const { updated, items } = await bulkEditLeads(
        req.body.ids,
        req.body.set,
        actorOf(req),
        events,
      );
      const rescored = [];
      for (const lead of items) rescored.push((await refreshLead(lead._id)) ?? lead);
      return { updated, items: await leadViews(rescored) };
    },
  );
}

/** `events` hears the edits (lead.updated: webhooks). */
export function mountLeadRoutes(scope: FastifyInstance, events: EventPublisher): void {
  mountLeadReads(scope);
  mountLeadEdits(scope, events);
}
