/**
 * Schemas several HTTP modules share: the error body, pagination, ids, list pages. A schema file:
 * it imports only zod, so feature schema files (and through them the console) can use it.
 */
import { z } from 'zod';
import { LOCALES } from '../kernel/vocabulary.js';

export const errorBody = z
  .object({
    error: z.object({
      code: z.string(),
      message: z.string(),
      details: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
    }),
  })
  .meta({ id: 'Error' });

/** The error responses a staff route can give, for its `schema.response`. */
export const errorResponses = (...statuses: Array<400 | 401 | 403 | 404 | 409 | 429 | 503>) =>
  Object.fromEntries(statuses.map((s) => [s, errorBody])) as Record<number, typeof errorBody>;

export { objectId } from '../kernel/schema-helpers.js';

/** An id the database would take: 24 hex digits. */
export const objectIdString = z
  .string()
  .refine((v) => /^[0-9a-f]{24}$/i.test(v), 'must be an object id');

export const DEFAULT_LIMIT = 50;
export const MAX_LIMIT = 200;

/** The limit/offset pagination every list endpoint shares (defaults 50/0, limit at most 200). */
export const pagination = {
  limit: z.coerce.number().int().min(1).max(MAX_LIMIT).default(DEFAULT_LIMIT),
  offset: z.coerce.number().int().min(0).default(0),
};
export const pageQuery = pagination;

export { optionalFilter } from '../kernel/schema-helpers.js';

/** The `{items, total}` answer of a list route, for its response schema. */
export const pageOf = <T extends z.ZodType>(item: T) =>
  z.object({ items: z.array(item), total: z.number().int() });

export interface Page<T> {
  items: T[];
  total: number;
}

/**
 * What one route takes and answers, keyed `METHOD /path` (fastify's `:param` syntax) in each
 * feature's `…Endpoints` table: the console's client types its calls by these keys.
 */
export interface Endpoint {
  query?: z.ZodType;
  body?: z.ZodType;
  response: z.ZodType;
}
export type Endpoints = Record<
  `${'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE'} /api/${string}`,
  Endpoint
>;

/** The answer of a route that answers nothing (204). */
export const noContent = z.null();

/** Someone named on a record (staff or contact): id and display name. */
export const personSchema = z.object({ id: z.string(), name: z.string().nullable() });
export type Person = z.infer<typeof personSchema>;

export const localeOrNull = z.enum(LOCALES).nullable();
