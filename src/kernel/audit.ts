/**
 * The audit log: who did what to which record, with a before/after of the changed fields.
 * Every state change made by staff (API or console) calls `recordAudit`; personal data in
 * before/after is masked here, once, so callers pass plain values.
 */
import type { Actor } from './roles.js';
import { actorLabel } from './roles.js';
import { AuditEntry } from './db/models/audit-entry.js';

export interface AuditInput {
  actor: Actor | string;
  /** Dotted verb, e.g. `user.create`, `lead.update`, `auth.login_failed`, `catalogue.publish`. */
  action: string;
  targetType: string;
  targetId: string;
  before?: Record<string, unknown>;
  after?: Record<string, unknown>;
  details?: Record<string, unknown>;
}

const PERSONAL = /^(email|emails|phone|phones|name|password|passwordHash|text|company|notes?)$/i;

/** `ana@example.com` → `a***@example.com`; phones keep their last 2 digits; other text → `***`. */
export function maskValue(key: string, value: unknown): unknown {
  if (value === null || value === undefined) return value;
  if (Array.isArray(value)) return value.map((v) => maskValue(key, v));
  if (typeof value !== 'string') return PERSONAL.test(key) ? '***' : value;
  if (!PERSONAL.test(key)) return value;
  if (/password/i.test(key)) return '***';
  const at = value.indexOf('@');
  if (at > 0) return `${value[0]}***${value.slice(at)}`;
  if (/phone/i.test(key)) return `***${value.replace(/\D/g, '').slice(-2)}`;
  return '***';
}

export function maskFields(fields?: Record<string, unknown>): Record<string, unknown> | undefined {
  if (!fields) return undefined;
  return Object.fromEntries(Object.entries(fields).map(([k, v]) => [k, maskValue(k, v)]));
}

export async function recordAudit(input: AuditInput): Promise<void> {
  await AuditEntry.create({
    action: input.action,
    actor: typeof input.actor === 'string' ? input.actor : actorLabel(input.actor),
    actorName: typeof input.actor === 'string' ? undefined : input.actor.name,
    targetType: input.targetType,
    targetId: input.targetId,
    before: maskFields(input.before),
    after: maskFields(input.after),
    details: input.details,
  });
}
