/**
 * Request validation for the admin API: zod schemas in, a 400 `invalid_request` out. The shared
 * pieces (pagination, filters, ids, pages) are declared in ./schemas.ts and re-exported here.
 */
import type { z } from 'zod';
import { badRequest } from './errors.js';

export {
  DEFAULT_LIMIT,
  MAX_LIMIT,
  objectIdString,
  optionalFilter,
  pageOf,
  pagination,
  type Page,
} from './schemas.js';
export { isoOrNull } from '../kernel/schema-helpers.js';

/** Parses or throws 400 {error: {code: 'invalid_request', message}} naming the first bad field. */
export function parseOr400<T extends z.ZodType>(schema: T, input: unknown): z.infer<T> {
  const parsed = schema.safeParse(input ?? {});
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const where = issue?.path.length ? `\`${issue.path.join('.')}\`: ` : '';
  throw badRequest('invalid_request', `${where}${issue?.message ?? 'invalid request'}`);
}
