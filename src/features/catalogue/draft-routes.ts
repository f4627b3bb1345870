/**
 * The studio draft's routes (admin only): read it, put or delete an intent or flow, check a
 * definition without saving it, try the draft (test a text, sandbox chat) and import FAQ pairs.
 * The paths are listed in routes.ts.
 */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { intentSchema } from '../../pipeline/catalogue/schema.js';
import { flowSchema } from '../../pipeline/flows/schema.js';
import { actorOf, requireRole } from '../../http/guard.js';
import { ACCESS } from '../../kernel/roles.js';
import { errorResponses } from '../../http/schemas.js';
import { importFaq } from './faq-import.js';
import { adminLocale, draftView } from './route-helpers.js';
import {
  chatBody,
  chatOut,
  draftOut,
  faqBody,
  faqOut,
  nameParams,
  testBody,
  testOut,
  validateBody,
  validateOut,
} from './schemas.js';
import type { Studio } from './studio.js';
import { checkDefinition } from './validate.js';

const tags = ['catalogue'];

/** PUT bodies are validated by the studio (localized details), so schema errors wait for it. */
function mountDefinitionRoutes(scope: FastifyInstance, studio: Studio) {
  const app = scope.withTypeProvider<ZodTypeProvider>();
  const onRequest = requireRole(...ACCESS.studio.write);
  for (const kind of ['intent', 'flow'] as const) {
    const path = `/api/catalogue/draft/${kind}s/:name`;
    // Documents the shape; the studio checks the body (definitionBody in schemas.ts).
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

/** The editor's lint: a definition checked as a PUT would check it, nothing saved. */
function mountValidateRoute(scope: FastifyInstance) {
  scope.withTypeProvider<ZodTypeProvider>().post(
    '/api/catalogue/draft/validate',
    {
      onRequest: requireRole(...ACCESS.studio.write),
      schema: {
        tags,
        summary: 'Check an intent or flow without saving it (the editor shows the details)',
        body: validateBody,
        response: { 200: validateOut, ...errorResponses(400, 401, 403) },
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
}

/** Trying the draft before publishing it: the model's reading of a text, a sandbox chat. */
function mountTrialRoutes(scope: FastifyInstance, studio: Studio) {
  const app = scope.withTypeProvider<ZodTypeProvider>();
  const onRequest = requireRole(...ACCESS.studio.write);
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
}

function mountFaqImportRoute(scope: FastifyInstance, studio: Studio) {
  scope.withTypeProvider<ZodTypeProvider>().post(
    '/api/catalogue/draft/faq-import',
    {
      // The console posts the file as text/csv (browser sessions otherwise send JSON only).
      config: { bodyTypes: ['text/csv'] },
      onRequest: requireRole(...ACCESS.studio.write),
      schema: {
        tags,
        summary: 'Import FAQ question/answer pairs (CSV) as answer intents of the draft',
        description:
          'Body: text/csv with a header row; columns intent, question_es, question_en, answer_es, answer_en. Variants separated by `|` or on repeated rows.',
        consumes: ['text/csv'],
        body: faqBody,
        response: { 200: faqOut, ...errorResponses(400, 401, 403, 409) },
      },
    },
    async (req) => {
      const loc = adminLocale(req);
      let report: ReturnType<typeof importFaq> | undefined;
      const audit: Record<string, unknown> = { source: 'faq-import' };
      const draft = await studio.editDraft(
        actorOf(req),
        audit,
        (c) => {
          report = importFaq(req.body, c.intents, loc);
          Object.assign(audit, { created: report.created, updated: report.updated });
          return report.created.length + report.updated.length > 0;
        },
        loc,
      );
      return { ...report!, draft: { revision: draft.revision } };
    },
  );
}

/** In the order the OpenAPI document lists them. */
export function mountDraftRoutes(scope: FastifyInstance, studio: Studio): void {
  scope.withTypeProvider<ZodTypeProvider>().get(
    '/api/catalogue/draft',
    {
      onRequest: requireRole(...ACCESS.studio.write),
      schema: {
        tags,
        summary: 'The draft: the live catalogue plus unpublished edits',
        response: { 200: draftOut, ...errorResponses(401, 403) },
      },
    },
    async (req) => draftView(await studio.draft(adminLocale(req))),
  );
  mountDefinitionRoutes(scope, studio);
  mountValidateRoute(scope);
  mountTrialRoutes(scope, studio);
  mountFaqImportRoute(scope, studio);
}
