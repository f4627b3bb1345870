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
import { AuditEntry } from '../../kernel/db/models/audit-entry.js';
import { ACCESS } from '../../kernel/roles.js';
import { requireRole } from '../../http/guard.js';
import { errorResponses, pageOf } from '../../http/schemas.js';
import { auditItemSchema, auditQuery, type AuditItem, type AuditQuery } from './schemas.js';

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

const auditView = (e: AuditDoc): AuditItem => ({
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
      onRequest: requireRole(...ACCESS.audit.read),
      schema: {
        tags: ['audit'],
        summary: 'The audit log, newest first',
        querystring: auditQuery,
        response: {
          200: pageOf(auditItemSchema),
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
