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
import { z } from 'zod';
import { CHANNEL_IDS } from '../../kernel/contracts/messages.js';
import { leadQueryFilter } from './contact-scope.js';
import { leadDetail } from './detail.js';
import { bulkEditLeads, editLead } from './edits.js';
import { leadFilterQuery, leadSort } from './filters.js';
import type { EventPublisher } from '../../kernel/events.js';
import { User } from '../../kernel/db/models/user.js';
import { refreshLead } from './scoring/refresh.js';
import { withSegment } from './segments/segments.js';
import { LEAD_STATUSES, Lead, type LeadDoc } from '../../kernel/db/models/lead.js';
import { scoreReasonItem } from './scoring/routes.js';
import { actorOf, requireRole } from '../../http/guard.js';
import { notFound } from '../../http/errors.js';
import { errorResponses, objectId } from '../../http/schemas.js';
import { leadDetailResponse, leadDetailView } from './detail-view.js';
import { isoOrNull, pageOf, pagination } from '../../http/validation.js';

const leadQuery = z.object({ ...leadFilterQuery, ...pagination });

const nullableString = z.string().nullable();
export const leadItem = z
  .object({
    id: z.string(),
    name: nullableString,
    email: nullableString,
    phone: nullableString,
    company: nullableString,
    interest: nullableString,
    status: z.enum(LEAD_STATUSES),
    score: z.number(),
    /** The matching scoring rules: why the lead has its score. */
    scoreReasons: z.array(scoreReasonItem),
    scoredAt: nullableString,
    language: z.enum(['es', 'en']).nullable(),
    marketingConsent: z.boolean(),
    lastContactAt: nullableString,
    channel: z.enum(CHANNEL_IDS),
    contactId: nullableString,
    conversationId: nullableString,
    owner: nullableString,
    notes: nullableString,
    tags: z.array(z.string()),
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
    scoreReasons: (lead.scoreReasons ?? []).map((r) => ({
      rule: r.rule,
      points: r.points,
      label: { en: r.label?.en ?? r.rule, es: r.label?.es ?? r.rule },
    })),
    scoredAt: isoOrNull(lead.scoredAt),
    language: lead.language ?? null,
    marketingConsent: lead.marketingConsent === true,
    lastContactAt: isoOrNull(lead.lastContactAt),
    channel: lead.channel,
    contactId: lead.contactId?.toHexString() ?? null,
    conversationId: lead.conversationId?.toHexString() ?? null,
    owner: lead.owner?.toHexString() ?? null,
    notes: lead.notes ?? null,
    tags: lead.tags ?? [],
    createdAt: isoOrNull((lead as { createdAt?: Date }).createdAt),
    updatedAt: isoOrNull((lead as { updatedAt?: Date }).updatedAt),
  };
}

const tags = z.array(z.string().trim().min(1).max(50)).max(50);
const leadPatch = z
  .object({
    status: z.enum(LEAD_STATUSES).optional(),
    owner: objectId.nullable().optional(),
    notes: z.string().max(5000).nullable().optional(),
    tags: tags.optional(),
  })
  .strict()
  .refine((p) => Object.values(p).some((v) => v !== undefined), 'nothing to change');

const bulkBody = z
  .object({
    ids: z.array(objectId).min(1).max(200),
    set: z
      .object({
        status: z.enum(LEAD_STATUSES).optional(),
        owner: objectId.nullable().optional(),
        tags: tags.optional(),
      })
      .strict()
      .refine((s) => Object.values(s).some((v) => v !== undefined), 'nothing to change'),
  })
  .strict();

const idParams = z.object({ id: objectId });

const ownerItem = z.object({ id: z.string(), name: z.string() }).meta({ id: 'LeadOwner' });
const OWNERS_LIMIT = 500;

/** Active staff by name: the console's owner picker and the names of owners in lists. */
async function leadOwners(): Promise<z.infer<typeof ownerItem>[]> {
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
      onRequest: requireRole('marketer', 'viewer'),
      schema: {
        tags: ['leads'],
        summary: 'Leads, filtered and sorted (newest first by default)',
        querystring: leadQuery,
        response: { 200: pageOf(leadItem), ...errorResponses(400, 401, 403) },
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
      return { items: items.map(leadView), total };
    },
  );
  typed.get(
    '/api/leads/owners',
    {
      onRequest: requireRole('marketer', 'viewer'),
      schema: {
        tags: ['leads'],
        summary: 'Staff a lead can be given to (active users; id and name only)',
        response: { 200: z.object({ items: z.array(ownerItem) }), ...errorResponses(401, 403) },
      },
    },
    async () => ({ items: await leadOwners() }),
  );
  typed.get(
    '/api/leads/:id',
    {
      onRequest: requireRole('marketer', 'viewer'),
      schema: {
        tags: ['leads'],
        summary: 'One lead: fields, consent, transcript, other leads and cases, timeline',
        params: idParams,
        response: { 200: leadDetailResponse, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (req) => {
      const detail = await leadDetail(req.params.id);
      if (!detail) throw notFound('The lead');
      return leadDetailView(detail, leadView);
    },
  );
}

function mountLeadEdits(scope: FastifyInstance, events: EventPublisher): void {
  const typed = scope.withTypeProvider<ZodTypeProvider>();
  typed.patch(
    '/api/leads/:id',
    {
      onRequest: requireRole('marketer'),
      schema: {
        tags: ['leads'],
        summary: 'Change a lead’s status, owner, notes or tags (audited)',
        params: idParams,
        body: leadPatch,
        response: { 200: leadItem, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (req) => {
      const edited = await editLead(req.params.id, req.body, actorOf(req), events);
      // Status and tags may be scored: the answer carries the new score.
      return leadView((await refreshLead(edited._id)) ?? edited);
    },
  );
  typed.post(
    '/api/leads/bulk',
    {
      onRequest: requireRole('marketer'),
      schema: {
        tags: ['leads'],
        summary: 'Set status, owner or tags on many leads (all ids must exist)',
        body: bulkBody,
        response: {
          200: z.object({ updated: z.number().int(), items: z.array(leadItem) }),
          ...errorResponses(400, 401, 403),
        },
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
      return { updated, items: rescored.map(leadView) };
    },
  );
}

/** `events` hears the edits (lead.updated: webhooks). */
export function mountLeadRoutes(scope: FastifyInstance, events: EventPublisher): void {
  mountLeadReads(scope);
  mountLeadEdits(scope, events);
}
