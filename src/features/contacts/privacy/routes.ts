/**
 * Privacy rights (admin only), audited:
 *   GET  /api/contacts/:id/export          everything held about the person, one JSON document
 *   POST /api/contacts/:id/erase {confirm} erasure; `confirm` must repeat the contact id
 * Services in src/features/contacts/privacy/. The audit entries carry ids and counts, never personal data.
 */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { CharlaServices } from '../../../app/charla.js';
import { recordAudit } from '../../../kernel/audit.js';
import {
  ConversationBusyError,
  createConversationLock,
} from '../../../kernel/redis/conversation-lock.js';
import { eraseContact } from './erase.js';
import { exportContact } from './export.js';
import { actorOf, requireRole } from '../../../http/guard.js';
import { badRequest, HttpError, notFound } from '../../../http/errors.js';
import { errorResponses } from '../../../http/schemas.js';

const record = z.record(z.string(), z.unknown());

const contactExportSchema = z
  .object({
    exportedAt: z.string(),
    contactId: z.string(),
    contact: record,
    mergedContacts: z.array(record),
    identities: z.array(record),
    conversations: z.array(record.and(z.object({ messages: z.array(record) }))),
    leads: z.array(record),
    cases: z.array(record),
    consentRecords: z.array(record),
    webchatSessions: z.array(record),
    auditEntries: z.array(record),
  })
  .meta({ id: 'ContactExport' });

const eraseCountsSchema = z.object({
  contacts: z.number().int(),
  conversations: z.number().int(),
  messages: z.number().int(),
  leads: z.number().int(),
  cases: z.number().int(),
  identities: z.number().int(),
  consentRecords: z.number().int(),
  webchatSessions: z.number().int(),
  auditEntries: z.number().int(),
  webhookJobs: z.number().int().describe('webhook deliveries (queued or kept) about the person'),
});

const eraseResponseSchema = z
  .object({
    contactId: z.string(),
    status: z.enum(['erased', 'already_erased']),
    erasedAt: z.string(),
    counts: eraseCountsSchema.nullable(),
  })
  .meta({ id: 'ContactErasure' });

const params = z.object({ id: z.string().max(64).describe('contact id (24 hex digits)') });
const eraseBody = z.object({
  confirm: z.string().max(64).describe('the contact id again, as a typed confirmation'),
});

export function mountPrivacyRoutes(server: FastifyInstance, services: CharlaServices): void {
  const app = server.withTypeProvider<ZodTypeProvider>();
  const onRequest = requireRole();
  const tags = ['privacy'];
  const lock = createConversationLock(services.redis, services.config.queuePrefix);

  app.get(
    '/api/contacts/:id/export',
    {
      onRequest,
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
      onRequest,
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
      const result = await eraseContact(id, {
        redis: services.redis,
        prefix: services.config.queuePrefix,
        lock,
        inboundQueue: services.queues.inbound,
        webhookQueue: services.webhooks.queue,
      }).catch((err: unknown) => {
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
