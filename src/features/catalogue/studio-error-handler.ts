/** Studio errors → 4xx in the caller's language (es/en); anything else goes on to the server's handler. */
import type { FastifyInstance } from 'fastify';
import { FaqCsvError } from './faq-import.js';
import { StudioBusyError } from './lock.js';
import { adminLocale } from './route-helpers.js';
import { NotInDraftError, StudioValidationError } from './studio-errors.js';
import { VersionNotFoundError } from './versions.js';

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
