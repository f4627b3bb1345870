/** POST /api/nlu/parse {text} → {intent|null, confidence, language, entities}: the production NLU. */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Nlu } from '../../kernel/contracts/nlu.js';
import { requireRole } from '../../http/guard.js';
import { ACCESS } from '../../kernel/roles.js';
import { errorResponses } from '../../http/schemas.js';
import { nluParseBody as parseBody, nluParseOut as parseResult } from './schemas.js';

export function mountNluRoutes(scope: FastifyInstance, nlu: Nlu): void {
  scope.withTypeProvider<ZodTypeProvider>().post(
    '/api/nlu/parse',
    {
      // Admin only: it exposes the bot's model.
      onRequest: requireRole(...ACCESS.studio.write),
      schema: {
        tags: ['nlu'],
        summary: 'What the production NLU reads in a text',
        body: parseBody,
        response: { 200: parseResult, ...errorResponses(400, 401, 403) },
      },
    },
    async (req) => {
      const result = nlu.parse(req.body.text);
      return {
        intent: result.intent,
        confidence: result.confidence,
        language: result.language,
        entities: result.entities,
      };
    },
  );
}
