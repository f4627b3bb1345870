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
 * language of Accept-Language (es/en). Shapes in schemas.ts; the draft's routes in draft-routes.ts,
 * publishing's in version-routes.ts, errors → 4xx in studio-error-handler.ts.
 */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { requireRole } from '../../http/guard.js';
import { ACCESS } from '../../kernel/roles.js';
import { errorResponses } from '../../http/schemas.js';
import { mountDraftRoutes } from './draft-routes.js';
import { catalogueOut } from './schemas.js';
import type { Studio } from './studio.js';
import { mountStudioErrorHandler } from './studio-error-handler.js';
import { mountVersionRoutes } from './version-routes.js';

/** The live catalogue: as JSON, and as the zip of YAML files it was written as. */
function mountLiveRoutes(scope: FastifyInstance, studio: Studio) {
  const app = scope.withTypeProvider<ZodTypeProvider>();
  const onRequest = requireRole(...ACCESS.studio.read); // admin only
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
}

export function mountCatalogueRoutes(server: FastifyInstance, studio: Studio): void {
  void server.register(async (scope) => {
    mountStudioErrorHandler(scope);
    scope.addContentTypeParser(
      ['text/csv', 'text/plain'],
      { parseAs: 'string' },
      (_req, body, done) => done(null, body),
    );
    // The OpenAPI document lists the routes in the order they are mounted.
    mountLiveRoutes(scope, studio);
    mountDraftRoutes(scope, studio);
    mountVersionRoutes(scope, studio);
  });
}
