/**
 * Cases (docs/console-api.md):
 *   GET   /api/cases?status=&priority=&sla=&assignee=&channel=&type=&number=&conversationId=
 *   GET   /api/cases/assignees   active agents and admins (the assignee picker)
 *   GET   /api/cases/:id     customer, conversation transcript, internal notes, timeline, CSAT
 *   PATCH /api/cases/:id     {status?, priority?, assignee?, note?} (audited; resolved → the
 *                            customer is told and asked for a rating)
 * Reads: agent, viewer; PATCH: agent (admin always). The rules live in src/features/cases/.
 */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { caseAssignees, editCase, type CaseEditDeps } from './edits.js';
import { listCases } from './list.js';
import { SLA_STATES } from '../../kernel/time/sla.js';
import { caseDetail, caseSummaries } from './views.js';
import { CHANNEL_IDS } from '../../kernel/contracts/messages.js';
import { ConversationBusyError } from '../../kernel/redis/conversation-lock.js';
import { CASE_PRIORITIES, CASE_STATUSES, Case, type CaseDoc } from '../../kernel/db/models/case.js';
import { actorOf, requireRole } from '../../http/guard.js';
import { HttpError, notFound } from '../../http/errors.js';
import { messageSchema } from '../conversations/routes.js';
import { objectIdString, optionalFilter, pagination } from '../../http/validation.js';
import { errorResponses } from '../../http/schemas.js';

export const MAX_NOTE = 4000;

const person = z.object({ id: z.string(), name: z.string().nullable() });
const nullableString = z.string().nullable();
const slaState = z.enum(SLA_STATES);
const target = z.object({ dueAt: nullableString, state: slaState, metAt: nullableString });

const caseSchema = z
  .object({
    id: z.string(),
    number: z.string(),
    type: z.string(),
    subject: nullableString,
    description: nullableString,
    email: nullableString,
    phone: nullableString,
    preferredTime: nullableString,
    status: z.enum(CASE_STATUSES),
    priority: z.enum(CASE_PRIORITIES),
    channel: z.enum(CHANNEL_IDS).nullable(),
    contactId: nullableString,
    conversationId: nullableString,
    contact: person.nullable(),
    assignee: person.nullable(),
    sla: z.object({
      state: slaState,
      firstResponse: target,
      resolution: target,
      nextDueAt: nullableString,
    }),
    csat: z
      .object({
        rating: z.number().int().nullable(),
        requestedAt: nullableString,
        at: nullableString,
      })
      .nullable(),
    resolvedAt: nullableString,
    createdAt: nullableString,
    updatedAt: nullableString,
  })
  .meta({ id: 'Case' });

const caseDetailSchema = caseSchema
  .extend({
    customer: z
      .object({
        id: z.string(),
        name: nullableString,
        emails: z.array(z.string()),
        phones: z.array(z.string()),
        channels: z.array(z.string()),
        tags: z.array(z.string()),
        locale: z.enum(['es', 'en']).nullable(),
      })
      .nullable(),
    conversation: z
      .object({ id: z.string(), channel: z.string(), status: z.string(), locale: nullableString })
      .nullable(),
    messages: z.array(messageSchema),
    notes: z.array(
      z.object({ id: z.string(), text: z.string(), by: person.nullable(), at: z.string() }),
    ),
    timeline: z.array(
      z.object({
        at: z.string(),
        kind: z.string(),
        by: person.nullable(),
        from: nullableString,
        to: nullableString,
      }),
    ),
  })
  .meta({ id: 'CaseDetail' });

const listQuery = z.object({
  status: optionalFilter(z.enum(CASE_STATUSES)),
  priority: optionalFilter(z.enum(CASE_PRIORITIES)),
  sla: optionalFilter(slaState),
  assignee: optionalFilter(z.union([z.literal('none'), objectIdString])),
  channel: optionalFilter(z.enum(CHANNEL_IDS)),
  type: optionalFilter(z.enum(['support', 'privacy', 'callback'])),
  number: optionalFilter(z.string().trim().max(20)),
  conversationId: optionalFilter(objectIdString),
  ...pagination,
});

const idParams = z.object({ id: z.string().max(64).describe('case id (24 hex digits)') });

const patchBody = z
  .object({
    status: z.enum(CASE_STATUSES).optional(),
    priority: z.enum(CASE_PRIORITIES).optional(),
    assignee: objectIdString.nullable().optional().describe('a staff user id (agent or admin)'),
    note: z
      .string()
      .trim()
      .min(1, 'must not be empty')
      .max(MAX_NOTE, `must be at most ${MAX_NOTE} characters`)
      .optional(),
  })
  .strict()
  .refine((b) => Object.values(b).some((v) => v !== undefined), 'nothing to change');

async function findCase(id: string): Promise<CaseDoc> {
  const c = /^[0-9a-f]{24}$/i.test(id) ? await Case.findById(id).lean<CaseDoc>() : null;
  if (!c) throw notFound('The case');
  return c;
}

const tags = ['cases'];

export function mountCaseRoutes(
  server: FastifyInstance,
  deps: CaseEditDeps & { now?: () => Date },
): void {
  const app = server.withTypeProvider<ZodTypeProvider>();
  const now = deps.now ?? (() => new Date());
  const read = requireRole('agent', 'viewer');

  app.get(
    '/api/cases',
    {
      onRequest: read,
      schema: {
        tags,
        summary: 'Cases, newest first, with their SLA state',
        querystring: listQuery,
        response: {
          200: z.object({ items: z.array(caseSchema), total: z.number().int() }),
          ...errorResponses(400, 401, 403),
        },
      },
    },
    async (req) => listCases(req.query, now()),
  );

  app.get(
    '/api/cases/assignees',
    {
      onRequest: read,
      schema: {
        tags,
        summary: 'Who a case can be assigned to: active agents and admins, by name',
        response: { 200: z.object({ items: z.array(person) }), ...errorResponses(401, 403) },
      },
    },
    async () => ({ items: await caseAssignees() }),
  );

  app.get(
    '/api/cases/:id',
    {
      onRequest: read,
      schema: {
        tags,
        summary: 'One case: customer, conversation, notes, timeline, CSAT',
        params: idParams,
        response: { 200: caseDetailSchema, ...errorResponses(401, 403, 404) },
      },
    },
    async (req) => caseDetail(await findCase(req.params.id), now()),
  );

  app.patch(
    '/api/cases/:id',
    {
      onRequest: requireRole('agent'),
      schema: {
        tags,
        summary: 'Change a case’s status, priority or assignee, or add an internal note (audited)',
        params: idParams,
        body: patchBody,
        response: { 200: caseSchema, ...errorResponses(400, 401, 403, 404, 503) },
      },
    },
    async (req) => {
      try {
        const updated = await editCase(deps, req.params.id, req.body, actorOf(req));
        const [view] = await caseSummaries([updated], now());
        return view!;
      } catch (err) {
        if (err instanceof ConversationBusyError) {
          throw new HttpError(
            503,
            'busy',
            'The case’s conversation is busy; try again in a moment.',
          );
        }
        throw err;
      }
    },
  );
}
