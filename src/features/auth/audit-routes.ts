/**
 * GET /api/audit?actor=&action=&target=&from=&to=&limit=&offset= (admin) → {items, total},
 * newest first.
 *   actor:  an actor label (`user:<id>`, `admin-token`, `system`, `ip:<hash>`), a bare user id, or
 *           part of a staff member's name or email (`Marta`): the users it matches, resolved here
 * Each entry comes with `targetName` (the user's name, the lead's, the contact's, the case
 * number) and `names` (staff ids that appear in its before/after, e.g. a lead's owner → name).
 *   action: exact (`user.update`) or a family without a dot (`user` → `user.*`)
 *   target: `<type>:<id>` (`user:66…`), or an id or a type alone
 *   from/to: ISO 8601 date-times (inclusive)
 */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Types } from 'mongoose';
import { AuditEntry } from '../../kernel/db/models/audit-entry.js';
import { Case } from '../../kernel/db/models/case.js';
import { Contact } from '../../kernel/db/models/contact.js';
import { Lead } from '../../kernel/db/models/lead.js';
import { User } from '../../kernel/db/models/user.js';
import { ACCESS } from '../../kernel/roles.js';
import { requireRole } from '../../http/guard.js';
import { errorResponses, pageOf } from '../../http/schemas.js';
import { auditItemSchema, auditQuery, type AuditItem, type AuditQuery } from './schemas.js';

const escapeRegex = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

const HEX_ID = /^[0-9a-f]{24}$/i;
/** What an actor label looks like (as recordAudit writes it), as opposed to a person's name. */
const ACTOR_LABEL = /^(user:[0-9a-f]{24}|admin-token|system|ip:.+|[a-z-]+:[^\s]+)$/i;

/**
 * The `actor` filter: a label or a bare user id as given; else the staff whose name or email
 * contains the text (case-insensitive), as their labels. No such staff: matches nothing.
 */
async function actorCondition(actor: string): Promise<unknown> {
  if (HEX_ID.test(actor)) return `user:${actor}`;
  if (ACTOR_LABEL.test(actor)) return actor;
  const like = new RegExp(escapeRegex(actor), 'i');
  const users = await User.find({ $or: [{ name: like }, { email: like }] }, { _id: 1 })
    .limit(200)
    .lean<Array<{ _id: Types.ObjectId }>>();
  return { $in: users.map((u) => `user:${u._id.toHexString()}`) };
}

/** The MongoDB filter of a query (indexes: actor, action, targetId, createdAt). */
export async function auditFilter(q: AuditQuery): Promise<Record<string, unknown>> {
  const where: Record<string, unknown> = {};
  if (q.actor) where.actor = await actorCondition(q.actor);
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

/** Ids → readable names for one page of entries: targets by type, staff ids in the changes. */
interface PageNames {
  targets: Map<string, string>;
  staff: Map<string, string>;
}

/** Target types are written `user` or `Lead`: compared lower-case. */
const idsOf = (entries: AuditDoc[], type: string) =>
  entries
    .filter((e) => e.targetType.toLowerCase() === type && HEX_ID.test(e.targetId))
    .map((e) => e.targetId);

/** Every 24-hex string among the before/after values (an owner, an assignee…). */
function changedIds(entries: AuditDoc[]): string[] {
  const found = new Set<string>();
  const visit = (v: unknown) => {
    if (typeof v === 'string' && HEX_ID.test(v)) found.add(v);
    else if (Array.isArray(v)) v.forEach(visit);
  };
  for (const e of entries) {
    for (const side of [e.before, e.after]) Object.values(side ?? {}).forEach(visit);
  }
  return [...found];
}

async function pageNames(entries: AuditDoc[]): Promise<PageNames> {
  const staffIds = [...new Set([...idsOf(entries, 'user'), ...changedIds(entries)])];
  const [users, leads, contacts, cases] = await Promise.all([
    User.find({ _id: { $in: staffIds } }, { name: 1, email: 1 }).lean<
      Array<{ _id: Types.ObjectId; name?: string; email?: string }>
    >(),
    Lead.find({ _id: { $in: idsOf(entries, 'lead') } }, { name: 1, email: 1 }).lean<
      Array<{ _id: Types.ObjectId; name?: string; email?: string }>
    >(),
    Contact.find({ _id: { $in: idsOf(entries, 'contact') } }, { name: 1, displayName: 1 }).lean<
      Array<{ _id: Types.ObjectId; name?: string; displayName?: string }>
    >(),
    Case.find({ _id: { $in: idsOf(entries, 'case') } }, { number: 1 }).lean<
      Array<{ _id: Types.ObjectId; number: string }>
    >(),
  ]);
  const staff = new Map(users.map((u) => [u._id.toHexString(), u.name || u.email || '']));
  const targets = new Map<string, string>();
  for (const u of users) targets.set(`user:${u._id.toHexString()}`, u.name || u.email || '');
  for (const l of leads) targets.set(`lead:${l._id.toHexString()}`, l.name || l.email || '');
  for (const c of contacts)
    targets.set(`contact:${c._id.toHexString()}`, c.name || c.displayName || '');
  for (const c of cases) targets.set(`case:${c._id.toHexString()}`, c.number);
  return { targets, staff };
}

function namesIn(e: AuditDoc, staff: Map<string, string>): Record<string, string> {
  const names: Record<string, string> = {};
  for (const id of changedIds([e])) {
    const name = staff.get(id);
    if (name) names[id] = name;
  }
  return names;
}

const auditView = (e: AuditDoc, names: PageNames): AuditItem => ({
  id: e._id.toHexString(),
  at: new Date(e.createdAt).toISOString(),
  actor: e.actor,
  actorName: e.actorName ?? null,
  action: e.action,
  targetType: e.targetType,
  targetId: e.targetId,
  targetName: names.targets.get(`${e.targetType.toLowerCase()}:${e.targetId}`) || null,
  names: namesIn(e, names.staff),
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
      const where = await auditFilter(req.query);
      const [items, total] = await Promise.all([
        AuditEntry.find(where)
          .sort({ createdAt: -1, _id: -1 })
          .skip(req.query.offset)
          .limit(req.query.limit)
          .lean<AuditDoc[]>(),
        AuditEntry.countDocuments(where),
      ]);
      const names = await pageNames(items);
      return { items: items.map((e) => auditView(e, names)), total };
    },
  );
}
