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
import { caseAssignees, editCase, type CaseEditDeps } from './edits.js';
import { listCases } from './list.js';
import { caseDetail, caseSummaries } from './views.js';
import { ConversationBusyError } from '../../kernel/redis/conversation-lock.js';
import { Case, type CaseDoc } from '../../kernel/db/models/case.js';
import { actorOf, requireRole } from '../../http/guard.js';
import { ACCESS } from '../../kernel/roles.js';
import { HttpError, notFound } from '../../http/errors.js';
import { errorResponses, pageOf } from '../../http/schemas.js';
import {
  caseAssigneesResponse,
  caseDetailSchema,
  caseIdParams as idParams,
  caseListQuery as listQuery,
  casePatchBody as patchBody,
  caseSchema,
} from './schemas.js';

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
  const read = requireRole(...ACCESS.cases.read);

  app.get(
    '/api/cases',
    {
      onRequest: read,
      schema: {
        tags,
        summary: 'Cases, newest first, with their SLA state',
        querystring: listQuery,
        response: {
          200: pageOf(caseSchema),
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
        response: { 200: caseAssigneesResponse, ...errorResponses(401, 403) },
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
      onRequest: requireRole(...ACCESS.cases.write),
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
