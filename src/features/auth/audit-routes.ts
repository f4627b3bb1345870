/**
 * GET /api/audit?actor=&action=&target=&from=&to=&limit=&offset= (admin) → {items, total},
 * newest first.
 *   actor:  an actor label (`user:<id>`, `admin-token`, `system`, `ip:<hash>`) or a bare user id
 *   action: exact (`user.update`) or a family without a dot (`user` → `user.*`)
 *   target: `<type>:<id>` (`user:66…`), or an id or a type alone
 *   from/to: ISO 8601 date-times (inclusive)
 */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { AuditEntry } from '../../kernel/db/models/audit-entry.js';
import { requireRole } from '../../http/guard.js';
import { errorResponses, pageQuery } from '../../http/schemas.js';

const blankToUndefined = (v: unknown) => (v === '' ? undefined : v);
const filter = <T extends z.ZodType>(schema: T) =>
  z.preprocess(blankToUndefined, schema.optional());
/** ISO 8601: a date (`2026-12-01`, the whole day for `to`) or a date-time, with or without zone. */
const dateTime = z
  .string()
  .trim()
  .refine(
    (v) => /^\d{4}-\d{2}-\d{2}/.test(v) && !Number.isNaN(Date.parse(v)),
    'must be an ISO 8601 date or date-time',
  );

const auditQuery = z.object({
  actor: filter(z.string().trim().max(200)),
  action: filter(z.string().trim().max(100)),
  target: filter(z.string().trim().max(300)),
  from: filter(dateTime),
  to: filter(dateTime),
  ...pageQuery,
});
type AuditQuery = z.infer<typeof auditQuery>;

const fields = z.record(z.string(), z.unknown()).nullable();
const auditItem = z
  .object({
    id: z.string(),
    at: z.string(),
    actor: z.string(),
    actorName: z.string().nullable(),
    action: z.string(),
    targetType: z.string(),
    targetId: z.string(),
    before: fields,
    after: fields,
    details: fields,
  })
  .meta({ id: 'AuditEntry' });

const escapeRegex = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** The MongoDB filter of a query (indexes: actor, action, targetId, createdAt). */
export function auditFilter(q: AuditQuery): Record<string, unknown> {
  const where: Record<string, unknown> = {};
  if (q.actor) where.actor = /^[0-9a-f]{24}$/i.test(q.actor) ? `user:${q.actor}` : q.actor;
  if (q.action) {
    where.action = q.action.includes('.')
      ? q.action
      : { $regex: `^${escapeRegex(q.action)}(\\.|$)` };
  }
  if (q.target) {
    const colon = q.target.indexOf(':');
    if (colon > 0) {
      where.targetType = q.target.slice(0, colon);
      where.targetId = q.target.slice(colon + 1);
    } else {
      where.$or = [{ targetId: q.target }, { targetType: q.target }];
    }
  }
  if (q.from || q.to) {
    const range: Record<string, Date> = {};
    if (q.from) range.$gte = new Date(q.from as string);
    if (q.to) range.$lte = endOf(q.to as string);
    where.createdAt = range;
  }
  return where;
}

/** A date alone (`2026-12-01`) means the whole day. */
const endOf = (v: string) =>
  /^\d{4}-\d{2}-\d{2}$/.test(v) ? new Date(`${v}T23:59:59.999Z`) : new Date(v);

interface AuditDoc {
  _id: { toHexString(): string };
  createdAt: Date;
  actor: string;
  actorName?: string | null;
  action: string;
  targetType: string;
  targetId: string;
  before?: Record<string, unknown> | null;
  after?: Record<string, unknown> | null;
  details?: Record<string, unknown> | null;
}

const auditView = (e: AuditDoc) => ({
  id: e._id.toHexString(),
  at: new Date(e.createdAt).toISOString(),
  actor: e.actor,
  actorName: e.actorName ?? null,
  action: e.action,
  targetType: e.targetType,
  targetId: e.targetId,
  before: e.before ?? null,
  after: e.after ?? null,
  details: e.details ?? null,
});

export function mountAuditRoutes(server: FastifyInstance): void {
  server.withTypeProvider<ZodTypeProvider>().get(
    '/api/audit',
    {
      onRequest: requireRole(),
      schema: {
        tags: ['audit'],
        summary: 'The audit log, newest first',
        querystring: auditQuery,
        response: {
          200: z.object({ items: z.array(auditItem), total: z.number().int() }),
          ...errorResponses(400, 401, 403),
        },
      },
    },
    async (req) => {
      const where = auditFilter(req.query);
      const [items, total] = await Promise.all([
        AuditEntry.find(where)
          .sort({ createdAt: -1, _id: -1 })
          .skip(req.query.offset)
          .limit(req.query.limit)
          .lean<AuditDoc[]>(),
        AuditEntry.countDocuments(where),
      ]);
      return { items: items.map(auditView), total };
    },
  );
}
