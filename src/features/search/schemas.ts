/**
 * Search everywhere (issue 19.7): one query across contacts, conversations (by message text),
 * cases and leads, grouped by type. Declared once: the route validates and documents with
 * these, the console imports the types. Imports only zod and schema files.
 */
import { z } from 'zod';
import type { Endpoints } from '../../http/schemas.js';

export const SEARCH_TYPES = ['contacts', 'conversations', 'cases', 'leads'] as const;
export type SearchType = (typeof SEARCH_TYPES)[number];

export const MAX_QUERY_LENGTH = 200;
export const DEFAULT_PER_TYPE = 5;
export const MAX_PER_TYPE = 20;

export const searchQuery = z.object({
  q: z
    .string()
    .trim()
    .min(1, 'must not be empty')
    .max(MAX_QUERY_LENGTH, `must be at most ${MAX_QUERY_LENGTH} characters`)
    .describe(
      'words to find (all of them, whole words; accents and case ignored), or a case number',
    ),
  types: z
    .string()
    .max(100)
    .optional()
    .transform((s, ctx) => {
      if (!s) return undefined;
      const list = [...new Set(s.split(',').map((t) => t.trim()))];
      const bad = list.filter((t) => !(SEARCH_TYPES as readonly string[]).includes(t));
      if (bad.length) {
        ctx.addIssue({ code: 'custom', message: `unknown type: ${bad.join(', ')}` });
        return z.NEVER;
      }
      return list as SearchType[];
    })
    .describe(
      `comma-separated: ${SEARCH_TYPES.join(', ')}; default every type your role may read. ` +
        'Naming a type your role may not read is refused (403).',
    ),
  limit: z.coerce
    .number()
    .int()
    .min(1)
    .max(MAX_PER_TYPE)
    .default(DEFAULT_PER_TYPE)
    .describe('results per type'),
});

export const searchHitSchema = z
  .object({
    type: z.enum(SEARCH_TYPES),
    id: z.string(),
    /** What the console shows first: a name, a case number, a customer. */
    title: z.string(),
    /** A second line: emails and phones, a case's subject, a lead's email and company. */
    subtitle: z.string().nullable(),
    /** The item's channel (conversations, cases), a code: the console names it. */
    channel: z.string().nullable(),
    /** The item's status (conversations, cases, leads), a code: the console names it. */
    status: z.string().nullable(),
    /** For conversations: the matching message (the text as stored; the console escapes it). */
    snippet: z.string().nullable(),
    /** The item's console page, relative to /console. */
    href: z.string(),
    at: z.string().nullable(),
  })
  .meta({ id: 'SearchHit' });
export type SearchHit = z.infer<typeof searchHitSchema>;

export const searchGroupSchema = z
  .object({
    type: z.enum(SEARCH_TYPES),
    items: z.array(searchHitSchema),
    /** More matches than `items` were left out (narrow the query). */
    more: z.boolean(),
  })
  .meta({ id: 'SearchGroup' });
export type SearchGroup = z.infer<typeof searchGroupSchema>;

export const searchResponse = z
  .object({
    q: z.string(),
    /** The query's words as matched (folded, stop words out). */
    terms: z.array(z.string()),
    /** One group per type searched, in the order of SEARCH_TYPES. */
    groups: z.array(searchGroupSchema),
  })
  .meta({ id: 'SearchResult' });
export type SearchResult = z.infer<typeof searchResponse>;

export const searchEndpoints = {
  'GET /api/search': { query: searchQuery, response: searchResponse },
} as const satisfies Endpoints;
