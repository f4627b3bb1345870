/**
 * The bot studio API (admin only; rules in src/features/catalogue/studio.ts):
 *   GET    /api/catalogue                       → {version, intents, flows} (live)
 *   GET    /api/catalogue/export                → zip of intents/*.yaml + flows/*.yaml (live)
 *   GET    /api/catalogue/draft                 → the draft + what keeps it from publishing
 *   PUT    /api/catalogue/draft/intents/:name   (an intents/*.yaml document as JSON) → the draft
 *   PUT    /api/catalogue/draft/flows/:name     (a flows/*.yaml document as JSON) → the draft
 *   DELETE /api/catalogue/draft/intents/:name | flows/:name → the draft
 *   POST   /api/catalogue/draft/validate {kind, definition} → {ok, details} (the editor's lint)
 *   POST   /api/catalogue/draft/test {text, locale?} → the draft model's reading of `text`
 *   POST   /api/catalogue/draft/chat {sessionId?, text, locale?} → a sandbox engine turn
 *   POST   /api/catalogue/draft/faq-import (text/csv) → per-row report
 *   POST   /api/catalogue/publish               → 201 {version, report}; 400 invalid_draft
 *   GET    /api/catalogue/versions              → newest first
 *   GET    /api/catalogue/versions/:version/diff
 *   POST   /api/catalogue/rollback {version}    → 201 {version}
 * Validation errors are 400 `{error: {code, message, details: [{path, message}]}}` in the
 * language of Accept-Language (es/en).
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { intentSchema } from '../../pipeline/catalogue/schema.js';
import { FaqCsvError, importFaq } from './faq-import.js';
import { localeFromHeader } from './issues.js';
import { StudioBusyError } from './lock.js';
import { NotInDraftError, StudioValidationError, type Studio } from './studio.js';
import { checkDefinition } from './validate.js';
import { VersionNotFoundError } from './versions.js';
import { flowSchema } from '../../pipeline/flows/schema.js';
import { actorOf, requireRole } from '../../http/guard.js';
import { errorResponses, objectId } from '../../http/schemas.js';

const locale = z.enum(['es', 'en']);
const definitionName = z
  .string()
  .regex(/^[a-z][a-z0-9_]*$/, 'names are lower_snake_case')
  .max(80);
const nameParams = z.object({ name: definitionName });
const issue = z.object({ path: z.string(), message: z.string() });
const localized = z.object({ es: z.array(z.string()), en: z.array(z.string()) });

const intentOut = z
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
const flowOut = z.looseObject({ name: z.string() }).meta({ id: 'Flow' });

const catalogueOut = z.object({
  version: z.number().int(),
  intents: z.array(intentOut),
  flows: z.array(flowOut),
});
const draftOut = z
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
const reportOut = z
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
const versionItem = z
  .object({
    version: z.number().int(),
    publishedAt: z.string(),
    publishedBy: z.string(),
    publishedByName: z.string().optional(),
    summary: summaryOut,
  })
  .meta({ id: 'CatalogueVersion' });
const phraseCounts = z.object({ es: z.number().int(), en: z.number().int() });
const diffOut = z.object({
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
const testBody = z.object({ text: z.string().trim().min(1).max(4000), locale: locale.optional() });
const testOut = z.object({
  intent: z.string().nullable(),
  confidence: z.number(),
  language: locale,
  entities: z.record(z.string(), z.array(z.string()).optional()),
  alternatives: z.array(z.object({ intent: z.string(), confidence: z.number() })),
});
const chatBody = z.object({
  sessionId: objectId.optional(),
  text: z.string().trim().min(1).max(4000),
  locale: locale.optional(),
});
const chatOut = z.object({
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
const validateBody = z.object({
  kind: z.enum(['intent', 'flow']),
  name: definitionName.optional(),
  definition: z.unknown(),
});
const faqOut = z.object({
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
const versionParams = z.object({ version: z.coerce.number().int().min(1) });
const rollbackBody = z.object({ version: z.number().int().min(1) });

const adminLocale = (req: FastifyRequest) => localeFromHeader(req.headers['accept-language']);
const iso = (d: Date | null) => (d ? new Date(d).toISOString() : null);

/** Studio errors → 4xx; anything else goes on to the server's handler. */
export function mountStudioErrorHandler(scope: FastifyInstance): void {
  scope.setErrorHandler((err, req, reply) => {
    const es = adminLocale(req) === 'es';
    if (err instanceof StudioValidationError) {
      return reply
        .status(400)
        .send({ error: { code: err.code, message: err.message, details: err.details } });
    }
    if (err instanceof NotInDraftError) {
      const message = es
        ? `${err.kind === 'intent' ? 'La intención' : 'El flujo'} "${err.definitionName}" no está en el borrador.`
        : `${err.kind === 'intent' ? 'Intent' : 'Flow'} "${err.definitionName}" is not in the draft.`;
      return reply.status(404).send({ error: { code: 'not_found', message } });
    }
    if (err instanceof VersionNotFoundError) {
      const message = es
        ? `La versión ${err.version} del catálogo no existe.`
        : `Catalogue version ${err.version} does not exist.`;
      return reply.status(404).send({ error: { code: 'not_found', message } });
    }
    if (err instanceof FaqCsvError) {
      return reply.status(400).send({ error: { code: 'invalid_csv', message: err.message } });
    }
    if (err instanceof StudioBusyError) {
      return reply.status(409).send({ error: { code: 'busy', message: err.message } });
    }
    throw err;
  });
}

/** PUT bodies are validated by the studio (localized details), so schema errors wait for it. */
function mountDefinitionRoutes(scope: FastifyInstance, studio: Studio) {
  const app = scope.withTypeProvider<ZodTypeProvider>();
  const onRequest = requireRole();
  const tags = ['catalogue'];
  for (const kind of ['intent', 'flow'] as const) {
    const path = `/api/catalogue/draft/${kind}s/:name`;
    const body = kind === 'intent' ? intentSchema : flowSchema;
    app.put(
      path,
      {
        onRequest,
        attachValidation: true,
        schema: {
          tags,
          summary: `Create or replace ${kind === 'intent' ? 'an intent' : 'a flow'} in the draft`,
          description: `The body has the shape of a ${kind}s/*.yaml file (as JSON); \`name\` may be left out.`,
          params: nameParams,
          body,
          response: { 200: draftOut, ...errorResponses(400, 401, 403, 409) },
        },
      },
      async (req) =>
        draftView(
          await studio.putDefinition(
            kind,
            req.params.name,
            req.body,
            actorOf(req),
            adminLocale(req),
          ),
        ),
    );
    app.delete(
      path,
      {
        onRequest,
        schema: {
          tags,
          summary: `Remove ${kind === 'intent' ? 'an intent' : 'a flow'} from the draft`,
          params: nameParams,
          response: { 200: draftOut, ...errorResponses(401, 403, 404, 409) },
        },
      },
      async (req) =>
        draftView(
          await studio.deleteDefinition(kind, req.params.name, actorOf(req), adminLocale(req)),
        ),
    );
  }
}

function draftView(d: Awaited<ReturnType<Studio['draft']>>) {
  return { ...d, updatedAt: iso(d.updatedAt) };
}

export function mountCatalogueRoutes(server: FastifyInstance, studio: Studio): void {
  void server.register(async (scope) => {
    mountStudioErrorHandler(scope);
    scope.addContentTypeParser(
      ['text/csv', 'text/plain'],
      { parseAs: 'string' },
      (_req, body, done) => done(null, body),
    );
    const app = scope.withTypeProvider<ZodTypeProvider>();
    const onRequest = requireRole(); // admin only
    const tags = ['catalogue'];

    app.get(
      '/api/catalogue',
      {
        onRequest,
        schema: {
          tags,
          summary: 'The live catalogue (the version every instance runs)',
          response: { 200: catalogueOut, ...errorResponses(401, 403) },
        },
      },
      async () => studio.live(),
    );

    app.get(
      '/api/catalogue/export',
      {
        onRequest,
        schema: {
          tags,
          summary: 'Download the live catalogue as a zip of intents/*.yaml and flows/*.yaml',
          produces: ['application/zip'],
        },
      },
      async (_req, reply) => {
        const zip = studio.exportZip();
        return reply
          .type('application/zip')
          .header(
            'content-disposition',
            `attachment; filename="charla-catalogue-v${studio.live().version}.zip"`,
          )
          .send(Buffer.from(zip));
      },
    );

    app.get(
      '/api/catalogue/draft',
      {
        onRequest,
        schema: {
          tags,
          summary: 'The draft: the live catalogue plus unpublished edits',
          response: { 200: draftOut, ...errorResponses(401, 403) },
        },
      },
      async (req) => draftView(await studio.draft(adminLocale(req))),
    );

    mountDefinitionRoutes(scope, studio);

    app.post(
      '/api/catalogue/draft/validate',
      {
        onRequest,
        schema: {
          tags,
          summary: 'Check an intent or flow without saving it (the editor shows the details)',
          body: validateBody,
          response: {
            200: z.object({ ok: z.boolean(), details: z.array(issue) }),
            ...errorResponses(400, 401, 403),
          },
        },
      },
      async (req) => {
        const given = (req.body.definition as { name?: unknown } | null)?.name;
        const name = req.body.name ?? (typeof given === 'string' ? given : '');
        const checked =
          req.body.kind === 'intent'
            ? checkDefinition('intent', name, req.body.definition, adminLocale(req))
            : checkDefinition('flow', name, req.body.definition, adminLocale(req));
        return checked.ok ? { ok: true, details: [] } : { ok: false, details: checked.details };
      },
    );

    app.post(
      '/api/catalogue/draft/test',
      {
        onRequest,
        schema: {
          tags,
          summary: 'How the model trained on the draft reads a text',
          body: testBody,
          response: { 200: testOut, ...errorResponses(400, 401, 403) },
        },
      },
      async (req) => studio.testDraft(req.body.text, req.body.locale),
    );

    app.post(
      '/api/catalogue/draft/chat',
      {
        onRequest,
        schema: {
          tags,
          summary: 'Talk to the draft: a real engine turn in a sandbox conversation',
          description:
            'No customer, queue or channel is involved and no lead, case or consent change is written: `effects` lists what a live conversation would have written.',
          body: chatBody,
          response: { 200: chatOut, ...errorResponses(400, 401, 403, 409) },
        },
      },
      async (req) => studio.chat(req.body, actorOf(req)),
    );

    app.post(
      '/api/catalogue/draft/faq-import',
      {
        onRequest,
        schema: {
          tags,
          summary: 'Import FAQ question/answer pairs (CSV) as answer intents of the draft',
          description:
            'Body: text/csv with a header row; columns intent, question_es, question_en, answer_es, answer_en. Variants separated by `|` or on repeated rows.',
          consumes: ['text/csv'],
          body: z
            .string()
            .min(1)
            .max(1024 * 1024),
          response: { 200: faqOut, ...errorResponses(400, 401, 403, 409) },
        },
      },
      async (req) => {
        const loc = adminLocale(req);
        let report: ReturnType<typeof importFaq> | undefined;
        const audit: Record<string, unknown> = { source: 'faq-import' };
        const draft = await studio.editDraft(actorOf(req), audit, (c) => {
          report = importFaq(req.body, c.intents, loc);
          Object.assign(audit, { created: report.created, updated: report.updated });
          return report.created.length + report.updated.length > 0;
        });
        return { ...report!, draft: { revision: draft.revision } };
      },
    );

    app.post(
      '/api/catalogue/publish',
      {
        onRequest,
        schema: {
          tags,
          summary: 'Publish the draft: a new version, trained and live on every instance',
          response: {
            201: z.object({ version: z.number().int(), report: reportOut }),
            ...errorResponses(400, 401, 403, 409),
          },
        },
      },
      async (req, reply) =>
        reply.status(201).send(await studio.publish(actorOf(req), adminLocale(req))),
    );

    app.get(
      '/api/catalogue/versions',
      {
        onRequest,
        schema: {
          tags,
          summary: 'Published versions, newest first',
          response: { 200: z.array(versionItem), ...errorResponses(401, 403) },
        },
      },
      async () =>
        (await studio.versions()).map((v) => ({ ...v, publishedAt: iso(v.publishedAt)! })),
    );

    app.get(
      '/api/catalogue/versions/:version/diff',
      {
        onRequest,
        schema: {
          tags,
          summary: 'What a version changed against the one before it',
          params: versionParams,
          response: { 200: diffOut, ...errorResponses(400, 401, 403, 404) },
        },
      },
      async (req) => studio.diff(req.params.version),
    );

    app.post(
      '/api/catalogue/rollback',
      {
        onRequest,
        schema: {
          tags,
          summary: 'Publish an old version again (as a new version)',
          body: rollbackBody,
          response: {
            201: z.object({ version: z.number().int() }),
            ...errorResponses(400, 401, 403, 404, 409),
          },
        },
      },
      async (req, reply) =>
        reply.status(201).send(await studio.rollback(req.body.version, actorOf(req))),
    );
  });
}
