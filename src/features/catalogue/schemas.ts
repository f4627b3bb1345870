/**
 * The bot studio API's request and response shapes (zod), declared once: the validation, the
 * OpenAPI document, the answers' types and the console's types all come from these (routes.ts,
 * draft-routes.ts, version-routes.ts, unanswered-routes.ts, nlu-routes.ts; console/README.md).
 * A schema file: it imports only zod and other schema files.
 */
import { z } from 'zod';
import { objectId, type Endpoints } from '../../http/schemas.js';
import { LOCALES } from '../../kernel/vocabulary.js';

export const locale = z.enum(LOCALES);
export const definitionName = z
  .string()
  .regex(/^[a-z][a-z0-9_]*$/, 'names are lower_snake_case')
  .max(80);
export const nameParams = z.object({ name: definitionName });
export const issue = z.object({ path: z.string(), message: z.string() });
export type Issue = z.infer<typeof issue>;
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
    quickReplies: localized.optional(),
    /** How a clarifying question names the intent (src/pipeline/engine/stages/clarify.ts). */
    label: z
      .object({
        es: z.object({ phrase: z.string(), button: z.string() }),
        en: z.object({ phrase: z.string(), button: z.string() }),
      })
      .optional(),
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
export type CatalogueReport = z.infer<typeof reportOut>;
export type IntentAccuracy = CatalogueReport['intents'][number];
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
export type VersionSummary = z.infer<typeof summaryOut>;
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
/** What a version changed (the service's part of `diffOut`). */
export type CatalogueDiff = Omit<z.infer<typeof diffOut>, 'version' | 'previous'>;
export type IntentChange = CatalogueDiff['intents']['changed'][number];
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
export type DraftTestResult = z.infer<typeof testOut>;
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
/** POST /api/catalogue/draft/faq-import: the CSV itself (text/csv). */
export const faqBody = z
  .string()
  .min(1)
  .max(1024 * 1024);
export type FaqImportReport = Omit<z.infer<typeof faqOut>, 'draft'>;
export type FaqRowResult = FaqImportReport['rows'][number];
export const versionParams = z.object({ version: z.coerce.number().int().min(1) });
export const rollbackBody = z.object({ version: z.number().int().min(1) });

// ── What the bot missed (GET/POST /api/nlu/unanswered…) ──────────────────────────────────────────

/** Messages one unanswered query reads at most (newest first). */
export const MAX_MESSAGES = 2000;
const blank = (v: unknown) => (v === '' ? undefined : v);
const dateTime = z.iso.datetime({ offset: true }).or(z.iso.date());

export const unansweredQuery = z.object({
  from: z.preprocess(blank, dateTime.optional()),
  to: z.preprocess(blank, dateTime.optional()),
  language: z.preprocess(blank, locale.optional()),
  limit: z.coerce.number().int().min(1).max(MAX_MESSAGES).optional(),
});
export type UnansweredQuery = z.infer<typeof unansweredQuery>;
const unansweredGroupOut = z
  .object({
    id: z.string(),
    count: z.number().int(),
    language: locale,
    examples: z.array(
      z.object({ id: z.string(), text: z.string(), at: z.string(), confidence: z.number() }),
    ),
    messageIds: z.array(z.string()),
    closestIntent: z.object({ intent: z.string(), confidence: z.number() }).nullable(),
    firstAt: z.string(),
    lastAt: z.string(),
  })
  .meta({ id: 'UnansweredGroup' });
export const unansweredListOut = z.object({
  from: z.string(),
  to: z.string(),
  scanned: z.number().int(),
  truncated: z.boolean(),
  groups: z.array(unansweredGroupOut),
});
export const unansweredAddBody = z
  .object({
    messageIds: z.array(objectId).min(1).max(500).optional(),
    text: z.string().trim().min(1).max(500).optional(),
    intent: z.string().regex(/^[a-z][a-z0-9_]*$/, 'intent names are lower_snake_case'),
    language: locale,
  })
  .refine((b) => b.messageIds !== undefined || b.text !== undefined, {
    message: 'send messageIds or text',
    path: ['messageIds'],
  });
export const unansweredAddOut = z.object({ added: z.number().int(), revision: z.number().int() });
/** GET /api/nlu/clarified: messages the bot asked about, with the intent the customer picked. */
export const unansweredClarifiedOut = z.object({
  from: z.string(),
  to: z.string(),
  picks: z.array(
    z
      .object({
        id: z.string(),
        text: z.string(),
        language: z.enum(['es', 'en']),
        intent: z.string(),
        at: z.string(),
      })
      .meta({ id: 'ClarifiedPick' }),
  ),
});
export const unansweredDismissBody = z.object({ ids: z.array(objectId).min(1).max(2000) });
export const unansweredDismissOut = z.object({ dismissed: z.number().int() });

// ── POST /api/nlu/parse ────────────────────────────────────────────────────────────────────────

export const nluParseBody = z.object({ text: z.string().trim().min(1).max(4000) });
const entityTexts = z.array(z.string()).optional();
export const nluParseOut = z.object({
  intent: z.string().nullable(),
  confidence: z.number(),
  language: locale,
  entities: z.object({
    emails: entityTexts,
    phones: entityTexts,
    dates: entityTexts,
    caseNumbers: entityTexts,
  }),
});

// ── The other answers, and the table ───────────────────────────────────────────────────────────

export const validateOut = z.object({ ok: z.boolean(), details: z.array(issue) });
export const publishOut = z.object({ version: z.number().int(), report: reportOut });
export const rollbackOut = z.object({ version: z.number().int() });
export const versionsOut = z.array(versionItem);
/**
 * The body of PUT /api/catalogue/draft/intents|flows/:name: an intents/*.yaml or flows/*.yaml
 * document as JSON, as the admin wrote it. Any JSON is taken: the studio checks it against the
 * catalogue format's schemas (src/pipeline/catalogue/schema.ts, src/pipeline/flows/schema.ts,
 * which the route's OpenAPI entry shows) and answers 400 with details in the admin's language.
 */
export const definitionBody = z.unknown();

/**
 * The console's calls, typed by what they hit (console/src/api/client.ts). The FAQ import's body
 * is text/csv (sent as `text`), the live catalogue's zip a download link.
 */
export const catalogueEndpoints = {
  'GET /api/catalogue': { response: catalogueOut },
  'GET /api/catalogue/draft': { response: draftOut },
  'PUT /api/catalogue/draft/intents/:name': { body: definitionBody, response: draftOut },
  'PUT /api/catalogue/draft/flows/:name': { body: definitionBody, response: draftOut },
  'DELETE /api/catalogue/draft/intents/:name': { response: draftOut },
  'DELETE /api/catalogue/draft/flows/:name': { response: draftOut },
  'POST /api/catalogue/draft/validate': { body: validateBody, response: validateOut },
  'POST /api/catalogue/draft/test': { body: testBody, response: testOut },
  'POST /api/catalogue/draft/chat': { body: chatBody, response: chatOut },
  'POST /api/catalogue/draft/faq-import': { response: faqOut },
  'POST /api/catalogue/publish': { response: publishOut },
  'GET /api/catalogue/versions': { response: versionsOut },
  'GET /api/catalogue/versions/:version/diff': { response: diffOut },
  'POST /api/catalogue/rollback': { body: rollbackBody, response: rollbackOut },
  'GET /api/nlu/unanswered': { query: unansweredQuery, response: unansweredListOut },
  'GET /api/nlu/clarified': { query: unansweredQuery, response: unansweredClarifiedOut },
  'POST /api/nlu/unanswered/add': { body: unansweredAddBody, response: unansweredAddOut },
  'POST /api/nlu/unanswered/dismiss': {
    body: unansweredDismissBody,
    response: unansweredDismissOut,
  },
  'POST /api/nlu/parse': { body: nluParseBody, response: nluParseOut },
} as const satisfies Endpoints;
