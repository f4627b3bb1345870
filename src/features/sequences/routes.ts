/**
 * Sequences (issue 21.6), marketers (ACCESS.sequences); stopping one contact's run also agents:
 *   GET    /api/sequences                    with enrolment counts per status
 *   POST   /api/sequences                    {name, trigger, steps, exitOn?, active?}
 *   GET    /api/sequences/:id
 *   PATCH  /api/sequences/:id                (active: false pauses every run)
 *   DELETE /api/sequences/:id                active runs stop
 *   GET    /api/sequences/:id/enrolments
 *   POST   /api/sequences/:id/enrolments     {contactId}: enrol by hand (once)
 *   POST   /api/sequences/:id/enrolments/:enrolmentId/stop
 *   GET    /api/contacts/:id/sequences       the contact's place in each sequence
 * Changes are audited (sequence.create|update|delete|enrol|stop).
 */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ACCESS } from '../../kernel/roles.js';
import { actorOf, requireRole } from '../../http/guard.js';
import { errorResponses, pageOf } from '../../http/schemas.js';
import {
  contactIdParams,
  enrolBody,
  enrolmentParams,
  enrolmentSchema,
  sequenceCreateBody,
  sequenceIdParams,
  sequenceSchema,
  sequenceUpdateBody,
} from './schemas.js';
import {
  contactEnrolments,
  createSequence,
  deleteSequence,
  enrolByHand,
  getSequence,
  listEnrolments,
  listSequences,
  stopEnrolment,
  updateSequence,
} from './service.js';

const tags = ['sequences'];

function mountSequenceCrud(server: FastifyInstance): void {
  const app = server.withTypeProvider<ZodTypeProvider>();
  const read = requireRole(...ACCESS.sequences.read);
  const write = requireRole(...ACCESS.sequences.write);
  app.get(
    '/api/sequences',
    {
      onRequest: read,
      schema: {
        tags,
        summary: 'Sequences, with how many contacts are where',
        response: { 200: pageOf(sequenceSchema), ...errorResponses(401, 403) },
      },
    },
    async () => listSequences(),
  );
  app.post(
    '/api/sequences',
    {
      onRequest: write,
      schema: {
        tags,
        summary: 'Add a sequence',
        body: sequenceCreateBody,
        response: { 201: sequenceSchema, ...errorResponses(400, 401, 403) },
      },
    },
    async (req, reply) => reply.status(201).send(await createSequence(actorOf(req), req.body)),
  );
  app.get(
    '/api/sequences/:id',
    {
      onRequest: read,
      schema: {
        tags,
        summary: 'A sequence',
        params: sequenceIdParams,
        response: { 200: sequenceSchema, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (req) => getSequence(req.params.id),
  );
  app.patch(
    '/api/sequences/:id',
    {
      onRequest: write,
      schema: {
        tags,
        summary: 'Change or pause a sequence',
        params: sequenceIdParams,
        body: sequenceUpdateBody,
        response: { 200: sequenceSchema, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (req) => updateSequence(actorOf(req), req.params.id, req.body),
  );
  app.delete(
    '/api/sequences/:id',
    {
      onRequest: write,
      schema: {
        tags,
        summary: 'Delete a sequence (its active runs stop)',
        params: sequenceIdParams,
        response: { 204: z.null(), ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (req, reply) => {
      await deleteSequence(actorOf(req), req.params.id);
      return reply.status(204).send(null);
    },
  );
}

function mountEnrolmentRoutes(server: FastifyInstance): void {
  const app = server.withTypeProvider<ZodTypeProvider>();
  app.get(
    '/api/sequences/:id/enrolments',
    {
      onRequest: requireRole(...ACCESS.sequences.read),
      schema: {
        tags,
        summary: 'Who is in a sequence, and where',
        params: sequenceIdParams,
        response: { 200: pageOf(enrolmentSchema), ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (req) => listEnrolments(req.params.id),
  );
  app.post(
    '/api/sequences/:id/enrolments',
    {
      onRequest: requireRole(...ACCESS.sequences.write),
      schema: {
        tags,
        summary: 'Enrol a contact by hand (once per sequence)',
        params: sequenceIdParams,
        body: enrolBody,
        response: { 201: enrolmentSchema, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (req, reply) =>
      reply.status(201).send(await enrolByHand(actorOf(req), req.params.id, req.body.contactId)),
  );
  app.post(
    '/api/sequences/:id/enrolments/:enrolmentId/stop',
    {
      onRequest: requireRole(...ACCESS.sequenceRuns.write),
      schema: {
        tags,
        summary: 'Stop one contact’s run',
        params: enrolmentParams,
        response: { 200: enrolmentSchema, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (req) => stopEnrolment(actorOf(req), req.params.id, req.params.enrolmentId),
  );
  app.get(
    '/api/contacts/:id/sequences',
    {
      onRequest: requireRole(...ACCESS.sequenceRuns.read),
      schema: {
        tags,
        summary: 'A contact’s place in each sequence',
        params: contactIdParams,
        response: {
          200: z.object({ items: z.array(enrolmentSchema) }),
          ...errorResponses(400, 401, 403),
        },
      },
    },
    async (req) => contactEnrolments(req.params.id),
  );
}

export function mountSequenceRoutes(server: FastifyInstance): void {
  mountSequenceCrud(server);
  mountEnrolmentRoutes(server);
}
