/** Schemas several HTTP modules share: the error body, pagination, ids. */
import { z } from 'zod';

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

export const objectId = z.string().regex(/^[0-9a-f]{24}$/i, 'must be a 24-hex-digit id');

export const pageQuery = {
  limit: z.coerce.number().int().min(1).max(200).default(50),
  offset: z.coerce.number().int().min(0).default(0),
};
