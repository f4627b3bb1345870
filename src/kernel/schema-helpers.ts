/**
 * Small zod and view helpers that services, views and route schemas share. They know nothing
 * about HTTP (the 400 `invalid_request` lives in `src/http/validation.ts`), so any layer may use them.
 */
import { z } from 'zod';

/** A MongoDB object id as the API writes it (24 hex digits). */
export const objectId = z.string().regex(/^[0-9a-f]{24}$/i, 'must be a 24-hex-digit id');

/** `?email=` (empty) means "no filter", as a form with an empty field would send it. */
export const optionalFilter = <T extends z.ZodType>(schema: T) =>
  z.preprocess((v) => (v === '' ? undefined : v), schema.optional());

/** A date as the API shows it: ISO 8601, or null. */
export const isoOrNull = (d: Date | string | null | undefined): string | null =>
  d ? new Date(d).toISOString() : null;
