/**
 * Request validation for the admin API: zod schemas in, a 400 `invalid_request` out, and the
 * limit/offset pagination every list endpoint shares (defaults 50/0, limit at most 200).
 */
import { Types } from 'mongoose';
import { z } from 'zod';
import { badRequest } from './errors.js';

export const DEFAULT_LIMIT = 50;
export const MAX_LIMIT = 200;

/** `?email=` (empty) means "no filter", as a form with an empty field would send it. */
export const optionalFilter = <T extends z.ZodType>(schema: T) =>
  z.preprocess((v) => (v === '' ? undefined : v), schema.optional());

export const pagination = {
  limit: z.coerce.number().int().min(1).max(MAX_LIMIT).default(DEFAULT_LIMIT),
  offset: z.coerce.number().int().min(0).default(0),
};

export const objectIdString = z
  .string()
  .refine((v) => /^[0-9a-f]{24}$/i.test(v) && Types.ObjectId.isValid(v), 'must be an object id');

/** Parses or throws 400 {error: {code: 'invalid_request', message}} naming the first bad field. */
export function parseOr400<T extends z.ZodType>(schema: T, input: unknown): z.infer<T> {
  const parsed = schema.safeParse(input ?? {});
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const where = issue?.path.length ? `\`${issue.path.join('.')}\`: ` : '';
  throw badRequest('invalid_request', `${where}${issue?.message ?? 'invalid request'}`);
}

/** A date as the API shows it: ISO 8601, or null. */
export const isoOrNull = (d: Date | string | null | undefined): string | null =>
  d ? new Date(d).toISOString() : null;

/** The `{items, total}` answer of a list route, for its response schema. */
export const pageOf = <T extends z.ZodType>(item: T) =>
  z.object({ items: z.array(item), total: z.number().int() });

export interface Page<T> {
  items: T[];
  total: number;
}
