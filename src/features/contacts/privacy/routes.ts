/**
 * Privacy rights (admin only), audited:
 *   GET  /api/contacts/:id/export          everything held about the person, one JSON document
 *   POST /api/contacts/:id/erase {confirm} erasure; `confirm` must repeat the contact id
 * Services in src/features/contacts/privacy/. The audit entries carry ids and counts, never personal data.
 */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { recordAudit } from '../../../kernel/audit.js';
import { ConversationBusyError } from '../../../kernel/redis/conversation-lock.js';
import { eraseContact, type EraseDeps } from './erase.js';
import { exportContact } from './export.js';
import { actorOf, requireRole } from '../../../http/guard.js';
import { ACCESS } from '../../../kernel/roles.js';
import { badRequest, HttpError, notFound } from '../../../http/errors.js';
import { errorResponses } from '../../../http/schemas.js';
import {
  contactExportSchema,
  contactIdParams as params,
  eraseBody,
  eraseResponseSchema,
} from '../schemas.js';

/** `erase`: what an erasure reaches besides the database (route cache, queued jobs). */
export function mountPrivacyRoutes(server: FastifyInstance, erase: EraseDeps): void {
  const app = server.withTypeProvider<ZodTypeProvider>();
  const tags = ['privacy'];

  app.get(
    '/api/contacts/:id/export',
    {
      onRequest: requireRole(...ACCESS.privacy.read),
      schema: {
        tags,
        summary: 'Everything held about a person (right of access), as one JSON document',
        params,
        response: { 200: contactExportSchema, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (req) => {
      const data = await exportContact(req.params.id);
      if (!data) throw notFound('The contact');
      await recordAudit({
        actor: actorOf(req),
        action: 'contact.export',
        targetType: 'contact',
        targetId: req.params.id,
      });
      return data;
    },
  );

  app.post(
    '/api/contacts/:id/erase',
    {
      onRequest: requireRole(...ACCESS.privacy.write),
      schema: {
        tags,
        summary:
          'Erase a person (right to erasure): personal fields removed, counts kept; idempotent',
        params,
        body: eraseBody,
        response: { 200: eraseResponseSchema, ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (req) => {
      const { id } = req.params;
      if (req.body.confirm !== id) {
        throw badRequest('confirmation_mismatch', 'Type the contact id in "confirm" to erase it.');
      }
      const result = await eraseContact(id, erase).catch((err: unknown) => {
        if (err instanceof ConversationBusyError) {
          throw new HttpError(409, 'conversation_busy', 'A conversation is busy; try again.');
        }
        throw err;
      });
      if (result.status === 'not_found') throw notFound('The contact');
      if (result.status === 'erased') {
        await recordAudit({
          actor: actorOf(req),
          action: 'contact.erase',
          targetType: 'contact',
          targetId: id,
          details: { counts: result.counts },
        });
      }
      return {
        contactId: id,
        status: result.status,
        erasedAt: result.erasedAt.toISOString(),
        counts: result.status === 'erased' ? result.counts : null,
      };
    },
  );
}
