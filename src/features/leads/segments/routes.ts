/**
 * Segments (saved filters over leads and their contacts), src/features/leads/segments/:
 *   GET    /api/segments → {items: [segment + live count], total}         (marketer, viewer)
 *   GET    /api/segments/:id → segment + live count                        (marketer, viewer)
 *   POST   /api/segments/count {filter} → {count}   (preview while editing; marketer, viewer)
 *   POST   /api/segments {name, description?, filter} → 201 segment         (marketer)
 *   PUT    /api/segments/:id {name, description?, filter} → segment          (marketer)
 *   DELETE /api/segments/:id → 204                                         (marketer)
 * Admin always may. Changes are audited (segment.create / update / delete). Lists and the CSV
 * export take `?segment=<id>` (src/features/leads/routes.ts, lead-export.ts).
 */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import {
  countLeads,
  createSegment,
  deleteSegment,
  filterOf,
  findSegment,
  updateSegment,
} from './segments.js';
import { Segment, type SegmentDoc } from '../../../kernel/db/models/segment.js';
import { actorOf, requireRole } from '../../../http/guard.js';
import { isoOrNull } from '../../../http/validation.js';
import { notFound } from '../../../http/errors.js';
import { errorResponses, noContent, pageOf } from '../../../http/schemas.js';
import { ACCESS } from '../../../kernel/roles.js';
import {
  segmentBody,
  segmentCountBody,
  segmentCountResponse,
  segmentIdParams as idParams,
  segmentSchema,
  type SegmentFilter,
  type SegmentView,
} from '../schemas.js';

const MAX_SEGMENTS = 200;

async function segmentView(s: SegmentDoc): Promise<SegmentView> {
  const stamps = s as { createdAt?: Date; updatedAt?: Date };
  return {
    id: s._id.toHexString(),
    name: s.name,
    description: s.description ?? null,
    filter: (s.filter ?? {}) as SegmentFilter,
    count: await countLeads(filterOf(s)),
    createdBy: s.createdBy ?? null,
    createdAt: isoOrNull(stamps.createdAt),
    updatedAt: isoOrNull(stamps.updatedAt),
  };
}

function mountSegmentReads(scope: FastifyInstance): void {
  const typed = scope.withTypeProvider<ZodTypeProvider>();
  typed.get(
    '/api/segments',
    {
      onRequest: requireRole(...ACCESS.segments.read),
      schema: {
        tags: ['segments'],
        summary: 'Saved segments with their live lead counts (by name)',
        response: {
          200: pageOf(segmentSchema),
          ...errorResponses(401, 403),
        },
      },
    },
    async () => {
      const all = await Segment.find().sort({ name: 1 }).limit(MAX_SEGMENTS).lean<SegmentDoc[]>();
      const items = [];
      // One count at a time: FerretDB serialises them anyway (one connection).
      for (const s of all) items.push(await segmentView(s));
      return { items, total: items.length };
    },
  );
  typed.get(
    '/api/segments/:id',
    {
      onRequest: requireRole(...ACCESS.segments.read),
      schema: {
        tags: ['segments'],
        summary: 'One segment with its live lead count',
        params: idParams,
        response: { 200: segmentSchema, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (req) => {
      const segment = await findSegment(req.params.id);
      if (!segment) throw notFound('The segment');
      return segmentView(segment);
    },
  );
  typed.post(
    '/api/segments/count',
    {
      onRequest: requireRole(...ACCESS.segments.read),
      schema: {
        tags: ['segments'],
        summary: 'How many leads a filter selects now (preview, nothing saved)',
        body: segmentCountBody,
        response: { 200: segmentCountResponse, ...errorResponses(400, 401, 403) },
      },
    },
    async (req) => ({ count: await countLeads(req.body.filter) }),
  );
}

function mountSegmentWrites(scope: FastifyInstance): void {
  const typed = scope.withTypeProvider<ZodTypeProvider>();
  typed.post(
    '/api/segments',
    {
      onRequest: requireRole(...ACCESS.segments.write),
      schema: {
        tags: ['segments'],
        summary: 'Save a segment (audited)',
        body: segmentBody,
        response: { 201: segmentSchema, ...errorResponses(400, 401, 403) },
      },
    },
    async (req, reply) => {
      const created = await createSegment(req.body, actorOf(req));
      return reply.code(201).send(await segmentView(created));
    },
  );
  typed.put(
    '/api/segments/:id',
    {
      onRequest: requireRole(...ACCESS.segments.write),
      schema: {
        tags: ['segments'],
        summary: 'Replace a segment’s name, description and filter (audited)',
        params: idParams,
        body: segmentBody,
        response: { 200: segmentSchema, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (req) => segmentView(await updateSegment(req.params.id, req.body, actorOf(req))),
  );
  typed.delete(
    '/api/segments/:id',
    {
      onRequest: requireRole(...ACCESS.segments.write),
      schema: {
        tags: ['segments'],
        summary: 'Delete a segment (audited; leads are not touched)',
        params: idParams,
        response: { 204: noContent, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (req, reply) => {
      await deleteSegment(req.params.id, actorOf(req));
      return reply.code(204).send(null);
    },
  );
}

export function mountSegmentRoutes(scope: FastifyInstance): void {
  mountSegmentReads(scope);
  mountSegmentWrites(scope);
}
