/** POST /api/nlu/parse {text} → {intent|null, confidence, language, entities}: the production NLU. */
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { Nlu } from '../../contracts/nlu.js';
import { requireRole } from '../auth/guard.js';
import { parseOr400 } from './validation.js';

const parseBody = z.object({ text: z.string().trim().min(1).max(4000) });

export function mountNluRoutes(scope: FastifyInstance, nlu: Nlu): void {
  // Admin only: it exposes the bot's model.
  scope.post('/api/nlu/parse', { onRequest: requireRole() }, async (req) => {
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
