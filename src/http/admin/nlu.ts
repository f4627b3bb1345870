/** POST /api/nlu/parse {text} → {intent|null, confidence, language, entities}: the production NLU. */
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { Nlu } from '../../contracts/nlu.js';
import { parseOr400 } from './validation.js';

const parseBody = z.object({ text: z.string().trim().min(1).max(4000) });

export function mountNluRoutes(scope: FastifyInstance, nlu: Nlu): void {
  scope.post('/api/nlu/parse', async (req) => {
    const { text } = parseOr400(parseBody, req.body);
    const result = nlu.parse(text);
    return {
      intent: result.intent,
      confidence: result.confidence,
      language: result.language,
      entities: result.entities,
    };
  });
}
