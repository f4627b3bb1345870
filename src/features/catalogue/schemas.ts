/**
 * The bot studio API's request and response shapes (zod): the validation, the OpenAPI document
 * and the answers' types all come from these (routes.ts, draft-routes.ts, version-routes.ts).
 */
import { z } from 'zod';
import { objectId } from '../../http/schemas.js';

export const locale = z.enum(['es', 'en']);
export const definitionName = z
  .string()
  .regex(/^[a-z][a-z0-9_]*$/, 'names are lower_snake_case')
  .max(80);
export const nameParams = z.object({ name: definitionName });
export const issue = z.object({ path: z.string(), message: z.string() });
const localized = z.object({ es: z.array(z.string()), en: z.array(z.string()) });

export const intentOut = z
  .object({
    name: z.string(),
    action: z
      .union([
        z.object({ type: z.literal('answer') }),
        z.object({ type: z.literal('flow'), flow: z.string() }),
        z.object({ type: z.literal('builtin'), name: z.string() }),
      ])
      .optional(),
    training: localized,
    answers: localized.optional(),
  })
  .meta({ id: 'Intent' });
/** Flows go out as stored (validated on the way in); the request schema documents their shape. */
export const flowOut = z.looseObject({ name: z.string() }).meta({ id: 'Flow' });

export const catalogueOut = z.object({
  version: z.number().int(),
  intents: z.array(intentOut),
  flows: z.array(flowOut),
});
export const draftOut = z
  .object({
    baseVersion: z.number().int(),
    revision: z.number().int(),
    changed: z.boolean(),
    updatedAt: z.string().nullable(),
    updatedBy: z.string().nullable(),
    intents: z.array(intentOut),
    flows: z.array(flowOut),
    problems: z.array(issue),
  })
  .meta({ id: 'CatalogueDraft' });
export const reportOut = z
  .object({
    folds: z.number().int(),
    accuracy: z.number(),
    fallbackRate: z.number(),
    intents: z.array(
      z.object({
        intent: z.string(),
        phrases: z.object({ es: z.number().int(), en: z.number().int() }),
        accuracy: z.number(),
        tested: z.number().int(),
        fallbacks: z.number().int(),
      }),
    ),
    confusions: z.array(
      z.object({ intents: z.tuple([z.string(), z.string()]), count: z.number().int() }),
    ),
    fewPhrases: z.array(
      z.object({
        intent: z.string(),
        language: locale,
        count: z.number().int(),
        minimum: z.number().int(),
      }),
    ),
    duplicates: z.array(z.object({ phrase: z.string(), intents: z.array(z.string()) })),
  })
  .meta({ id: 'CatalogueReport' });
const summaryOut = z.object({
  intents: z.number().int(),
  flows: z.number().int(),
  phrases: z.object({ es: z.number().int(), en: z.number().int() }),
  changes: z.object({
    added: z.number().int(),
    removed: z.number().int(),
    changed: z.number().int(),
  }),
  rolledBackFrom: z.number().int().optional(),
});
export const versionItem = z
  .object({
    version: z.number().int(),
    publishedAt: z.string(),
    publishedBy: z.string(),
    publishedByName: z.string().optional(),
    summary: summaryOut,
  })
  .meta({ id: 'CatalogueVersion' });
const phraseCounts = z.object({ es: z.number().int(), en: z.number().int() });
export const diffOut = z.object({
  version: z.number().int(),
  previous: z.number().int().nullable(),
  intents: z.object({
    added: z.array(z.object({ name: z.string(), phrases: phraseCounts })),
    removed: z.array(z.object({ name: z.string(), phrases: phraseCounts })),
    changed: z.array(
      z.object({
        name: z.string(),
        fields: z.array(z.string()),
        phrases: z.object({
          es: z.object({ before: z.number().int(), after: z.number().int() }),
          en: z.object({ before: z.number().int(), after: z.number().int() }),
        }),
      }),
    ),
  }),
  flows: z.object({
    added: z.array(z.string()),
    removed: z.array(z.string()),
    changed: z.array(z.object({ name: z.string(), fields: z.array(z.string()) })),
  }),
});
export const testBody = z.object({
  text: z.string().trim().min(1).max(4000),
  locale: locale.optional(),
});
export const testOut = z.object({
  intent: z.string().nullable(),
  confidence: z.number(),
  language: locale,
  entities: z.record(z.string(), z.array(z.string()).optional()),
  alternatives: z.array(z.object({ intent: z.string(), confidence: z.number() })),
});
export const chatBody = z.object({
  sessionId: objectId.optional(),
  text: z.string().trim().min(1).max(4000),
  locale: locale.optional(),
});
export const chatOut = z.object({
  sessionId: z.string(),
  replies: z.array(
    z.object({
      text: z.string(),
      quickReplies: z.array(z.object({ title: z.string(), payload: z.string() })).optional(),
    }),
  ),
  nlu: z.object({ intent: z.string().nullable(), confidence: z.number(), language: locale }),
  effects: z.array(z.looseObject({ type: z.string() })),
  flow: z.object({ name: z.string(), slot: z.string().nullable() }).nullable(),
});
export const validateBody = z.object({
  kind: z.enum(['intent', 'flow']),
  name: definitionName.optional(),
  definition: z.unknown(),
});
export const faqOut = z.object({
  created: z.array(z.string()),
  updated: z.array(z.string()),
  rows: z.array(
    z.object({
      line: z.number().int(),
      intent: z.string(),
      status: z.enum(['created', 'updated', 'error']),
      errors: z.array(issue).optional(),
    }),
  ),
  draft: z.object({ revision: z.number().int() }),
});
export const versionParams = z.object({ version: z.coerce.number().int().min(1) });
export const rollbackBody = z.object({ version: z.number().int().min(1) });
