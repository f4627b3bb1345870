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
import { z } from 'zod';
import { segmentFilterSchema } from './definition.js';
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
import { errorResponses, objectId } from '../../../http/schemas.js';

const MAX_SEGMENTS = 200;

const segmentBody = z
  .object({
    name: z.string().trim().min(1).max(100),
    description: z.string().trim().max(500).nullable().optional(),
    filter: segmentFilterSchema,
  })
  .strict();

export const segmentItem = z
  .object({
    id: z.string(),
    name: z.string(),
    description: z.string().nullable(),
    filter: z.record(z.string(), z.unknown()),
    /** Leads in the segment now. */
    count: z.number().int(),
    createdBy: z.string().nullable(),
    createdAt: z.string().nullable(),
    updatedAt: z.string().nullable(),
  })
  .meta({ id: 'Segment' });

async function segmentView(s: SegmentDoc): Promise<z.infer<typeof segmentItem>> {
  const stamps = s as { createdAt?: Date; updatedAt?: Date };
  return {
    id: s._id.toHexString(),
    name: s.name,
    description: s.description ?? null,
    filter: (s.filter ?? {}) as Record<string, unknown>,
    count: await countLeads(filterOf(s)),
    createdBy: s.createdBy ?? null,
    createdAt: isoOrNull(stamps.createdAt),
    updatedAt: isoOrNull(stamps.updatedAt),
  };
}

const idParams = z.object({ id: objectId });

function mountSegmentReads(scope: FastifyInstance): void {
  const typed = scope.withTypeProvider<ZodTypeProvider>();
  typed.get(
    '/api/segments',
    {
      onRequest: requireRole('marketer', 'viewer'),
      schema: {
        tags: ['segments'],
        summary: 'Saved segments with their live lead counts (by name)',
        response: {
          200: z.object({ items: z.array(segmentItem), total: z.number().int() }),
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
      onRequest: requireRole('marketer', 'viewer'),
      schema: {
        tags: ['segments'],
        summary: 'One segment with its live lead count',
        params: idParams,
        response: { 200: segmentItem, ...errorResponses(400, 401, 403, 404) },
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
      onRequest: requireRole('marketer', 'viewer'),
      schema: {
        tags: ['segments'],
        summary: 'How many leads a filter selects now (preview, nothing saved)',
        body: z.object({ filter: segmentFilterSchema }).strict(),
        response: { 200: z.object({ count: z.number().int() }), ...errorResponses(400, 401, 403) },
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
      onRequest: requireRole('marketer'),
      schema: {
        tags: ['segments'],
        summary: 'Save a segment (audited)',
        body: segmentBody,
        response: { 201: segmentItem, ...errorResponses(400, 401, 403) },
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
      onRequest: requireRole('marketer'),
      schema: {
        tags: ['segments'],
        summary: 'Replace a segment’s name, description and filter (audited)',
        params: idParams,
        body: segmentBody,
        response: { 200: segmentItem, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (req) => segmentView(await updateSegment(req.params.id, req.body, actorOf(req))),
  );
  typed.delete(
    '/api/segments/:id',
    {
      onRequest: requireRole('marketer'),
      schema: {
        tags: ['segments'],
        summary: 'Delete a segment (audited; leads are not touched)',
        params: idParams,
        response: { 204: z.null(), ...errorResponses(400, 401, 403, 404) },
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
