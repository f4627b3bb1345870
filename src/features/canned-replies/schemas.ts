/**
 * Canned replies (issue 19.4): shared (admins manage them) and personal (each agent's own), per
 * language, with variables filled when an agent inserts one. Declared once: the routes validate
 * and document with these, the console imports the types. Imports only zod and schema files.
 */
import { z } from 'zod';
import { pageOf, type Endpoints } from '../../http/schemas.js';
import { LOCALES } from '../../kernel/vocabulary.js';

export const CANNED_SCOPES = ['shared', 'personal'] as const;
export type CannedScope = (typeof CANNED_SCOPES)[number];

/** The variables a reply may hold, filled on insertion (render). */
export const CANNED_VARIABLES = ['contact.name', 'case.number', 'agent.name'] as const;
export type CannedVariable = (typeof CANNED_VARIABLES)[number];

export const MAX_CANNED_TEXT = 4000;
const VARIABLE = /\{\{\s*([^{}]*?)\s*\}\}/g;

/** The `{{…}}` names in a text that are not known variables. */
export function unknownVariables(text: string): string[] {
  const names = [...text.matchAll(VARIABLE)].map((m) => m[1] ?? '');
  return [...new Set(names.filter((n) => !(CANNED_VARIABLES as readonly string[]).includes(n)))];
}

const shortcut = z
  .string()
  .trim()
  .toLowerCase()
  .regex(/^[a-z0-9][a-z0-9_-]{0,39}$/, 'letters, digits, - and _ (up to 40), no spaces')
  .describe('what the agent types after `/`');
const title = z.string().trim().min(1, 'must not be empty').max(80);
const text = z
  .string()
  .trim()
  .min(1, 'must not be empty')
  .max(MAX_CANNED_TEXT, `must be at most ${MAX_CANNED_TEXT} characters`)
  .refine((t) => unknownVariables(t).length === 0, {
    message: `unknown variable: only ${CANNED_VARIABLES.map((v) => `{{${v}}}`).join(', ')}`,
  });

export const cannedReplySchema = z
  .object({
    id: z.string(),
    scope: z.enum(CANNED_SCOPES),
    language: z.enum(LOCALES),
    shortcut: z.string(),
    title: z.string(),
    text: z.string(),
    /** Whether the caller may edit or delete it (shared: admins; personal: its owner). */
    editable: z.boolean(),
    updatedAt: z.string().nullable(),
  })
  .meta({ id: 'CannedReply' });
export type CannedReplyView = z.infer<typeof cannedReplySchema>;

export const cannedListQuery = z.object({
  q: z.string().trim().max(100).optional().describe('in shortcut, title and text'),
  language: z.enum(LOCALES).optional(),
  scope: z.enum(CANNED_SCOPES).optional(),
});

export const cannedCreateBody = z
  .object({ scope: z.enum(CANNED_SCOPES), language: z.enum(LOCALES), shortcut, title, text })
  .strict();
export const cannedUpdateBody = z
  .object({
    language: z.enum(LOCALES).optional(),
    shortcut: shortcut.optional(),
    title: title.optional(),
    text: text.optional(),
  })
  .strict()
  .refine((b) => Object.keys(b).length > 0, 'nothing to change');

export const cannedIdParams = z.object({ id: z.string().max(64) });

export const cannedRenderQuery = z.object({
  conversationId: z.string().max(64).optional(),
  caseId: z.string().max(64).optional(),
});
export const cannedRenderResponse = z
  .object({
    text: z.string(),
    /** Variables with no value here: left out of the text (the console says so). */
    missing: z.array(z.enum(CANNED_VARIABLES)),
  })
  .meta({ id: 'CannedReplyRendered' });

export const cannedEndpoints = {
  'GET /api/canned-replies': { query: cannedListQuery, response: pageOf(cannedReplySchema) },
  'POST /api/canned-replies': { body: cannedCreateBody, response: cannedReplySchema },
  'PATCH /api/canned-replies/:id': { body: cannedUpdateBody, response: cannedReplySchema },
  'DELETE /api/canned-replies/:id': { response: z.null() },
  'GET /api/canned-replies/:id/render': {
    query: cannedRenderQuery,
    response: cannedRenderResponse,
  },
} as const satisfies Endpoints;
