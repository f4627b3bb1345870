/** The schema of an intent definition (intents/*.yaml and admin-edited versions in MongoDB). */
import { z } from 'zod';
import type { IntentDefinition } from '../../kernel/contracts/nlu.js';

/** Built-in actions the engine knows how to run. */
export const BUILTIN_ACTIONS = [
  'case_status',
  'order_status',
  'privacy_request',
  'unsubscribe',
] as const;
export type BuiltinAction = (typeof BUILTIN_ACTIONS)[number];

const phrases = z.array(z.string().trim().min(1)).min(1, 'needs at least one phrase');
/** Button titles: short enough for every channel's buttons (WhatsApp allows 20 characters). */
const quickReplyTitles = z
  .array(z.string().trim().min(1).max(20, 'a quick reply is at most 20 characters'))
  .max(3, 'at most 3 quick replies per language (WhatsApp shows no more)');

const intentLabel = z
  .object({
    phrase: z.string().trim().min(1).max(80),
    button: z.string().trim().min(1).max(20, 'a quick reply is at most 20 characters'),
  })
  .strict();

export const intentSchema = z
  .object({
    name: z.string().regex(/^[a-z][a-z0-9_]*$/, 'intent names are lower_snake_case'),
    action: z
      .discriminatedUnion('type', [
        z.object({ type: z.literal('answer') }).strict(),
        z.object({ type: z.literal('flow'), flow: z.string().min(1) }).strict(),
        z.object({ type: z.literal('builtin'), name: z.enum(BUILTIN_ACTIONS) }).strict(),
      ])
      .default({ type: 'answer' }),
    training: z.object({ es: phrases, en: phrases }).strict(),
    answers: z.object({ es: phrases, en: phrases }).strict().optional(),
    /** Buttons offered with the answer, per language; tapping one sends its text as the reply. */
    quickReplies: z.object({ es: quickReplyTitles, en: quickReplyTitles }).strict().optional(),
    /** How a clarifying question names the intent (its phrase) and its button. */
    label: z.object({ es: intentLabel, en: intentLabel }).strict().optional(),
  })
  .strict()
  .refine((i) => i.action.type !== 'answer' || i.answers !== undefined, {
    message: 'an intent whose action is "answer" needs answers in es and en',
    path: ['answers'],
  });

export class IntentDefinitionError extends Error {
  constructor(
    readonly source: string,
    readonly issues: string[],
  ) {
    super(`Invalid intent definition ${source}:\n  - ${issues.join('\n  - ')}`);
    this.name = 'IntentDefinitionError';
  }
}

export function parseIntentDefinition(input: unknown, source = 'intent'): IntentDefinition {
  const res = intentSchema.safeParse(input);
  if (!res.success) {
    throw new IntentDefinitionError(
      source,
      res.error.issues.map((i) => `${i.path.length ? i.path.join('.') : '(root)'}: ${i.message}`),
    );
  }
  return res.data;
}
