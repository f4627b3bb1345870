/**
 * The lead filters the workspace's table and the CSV export share: one zod schema for the query
 * string (`leadFilterQuery` in schemas.ts), one function that turns it into a MongoDB filter (portable to FerretDB: no $expr, no
 * text index). Free text matches name, email, phone or company, case-insensitively, with the
 * user's text escaped so it is never a regular expression. `language` and `consent` are facts of
 * the contact: `leadQueryFilter` (src/features/leads/contact-scope.ts) adds them; `leadFilter` ignores them.
 */
import { Types } from 'mongoose';
import type { LeadFilterQuery } from './schemas.js';

/** `a.b*c` → `a\.b\*c`: the text as a literal inside a RegExp. */
export const escapeRegex = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

export function leadFilter(q: LeadFilterQuery): Record<string, unknown> {
  const filter: Record<string, unknown> = {};
  if (q.email !== undefined) filter.email = q.email;
  if (q.status !== undefined) filter.status = q.status;
  if (q.channel !== undefined) filter.channel = q.channel;
  if (q.owner !== undefined) filter.owner = new Types.ObjectId(q.owner);
  if (q.createdFrom !== undefined || q.createdTo !== undefined) {
    const range: Record<string, Date> = {};
    if (q.createdFrom !== undefined) range.$gte = new Date(q.createdFrom);
    if (q.createdTo !== undefined) range.$lte = new Date(q.createdTo);
    filter.createdAt = range;
  }
  if (q.scoreMin !== undefined || q.scoreMax !== undefined) {
    const range: Record<string, number> = {};
    if (q.scoreMin !== undefined) range.$gte = q.scoreMin;
    if (q.scoreMax !== undefined) range.$lte = q.scoreMax;
    filter.score = range;
  }
  if (q.q !== undefined) {
    const pattern = new RegExp(escapeRegex(q.q), 'i');
    filter.$or = ['name', 'email', 'phone', 'company'].map((f) => ({ [f]: pattern }));
  }
  return filter;
}

/** The sort of a lead query; ties broken by _id so pages and exports are stable. */
export function leadSort(q: LeadFilterQuery): Record<string, 1 | -1> {
  const dir = q.order === 'asc' ? 1 : -1;
  const field = q.sort ?? 'createdAt';
  return { [field]: dir, _id: dir };
}
