/**
 * Conversations for the console (docs/console-api.md):
 *   GET  /api/conversations?channel=&status=&language=&intent=&from=&to=&q=&limit=&offset=
 *   GET  /api/conversations/:id          transcript, NLU readings, flow state, escalation timeline
 *   POST /api/conversations/:id/claim    take a queued conversation (409 already_assigned)
 *   POST /api/conversations/:id/reply    {text} to the customer (409 unless you are the assignee)
 *   POST /api/conversations/:id/close    back to the bot (409 not_escalated)
 *   POST /api/conversations/:id/note     {text} staff-only note
 * Reads: agent, marketer, viewer; actions: agent (admin always). The rules live in
 * src/features/conversations/takeover.ts, which goes through the Escalator so Slack shows the same state.
 */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { ConversationBusyError } from '../../kernel/redis/conversation-lock.js';
import { conversationDetail, toMessageView } from './detail.js';
import { z } from 'zod';
import { findConversation } from '../../kernel/db/conversations.js';
import { listConversations } from './list.js';
import { hasMine, inboxCounts, markSeen } from './views.js';
import { customerName } from './names.js';
import { toConversationSummary } from './summary.js';
import type { Takeover, TakeoverFailure } from './takeover.js';
import { findContact } from '../../kernel/db/contacts.js';
import type { ConversationDoc } from '../../kernel/db/models/conversation.js';
import { actorOf, requireRole } from '../../http/guard.js';
import { ACCESS } from '../../kernel/roles.js';
import { HttpError, notFound } from '../../http/errors.js';
import { errorResponses, pageOf } from '../../http/schemas.js';
import {
  conversationDetailSchema,
  conversationIdParams as idParams,
  conversationListQuery as listQuery,
  conversationSummarySchema,
  inboxCountsSchema,
  staffMessageResponse,
  staffTextBody as textBody,
} from './schemas.js';

/** A refused take-over as the HTTP error the console shows. */
function refusal(failure: TakeoverFailure): Error {
  switch (failure.code) {
    case 'not_found':
      return notFound('The conversation');
    case 'already_assigned':
      return new HttpError(
        409,
        'already_assigned',
        `Already claimed by ${failure.assignee.name ?? failure.assignee.id}.`,
      );
    case 'not_escalated':
      return new HttpError(
        409,
        'not_escalated',
        `The conversation is ${failure.status}: it is not waiting for or with staff.`,
      );
    case 'claimed_by_other':
      return new HttpError(
        403,
        'claimed_by_other',
        `Claimed by ${failure.assignee.name ?? failure.assignee.id}: only they or an admin can close it.`,
      );
    case 'unreachable':
      return new HttpError(409, failure.refusal.code, failure.refusal.message);
    case 'not_assignee':
      return new HttpError(
        409,
        'not_assignee',
        failure.status === 'assigned' && failure.assignee
          ? `Only ${failure.assignee.name ?? failure.assignee.id} (the assignee) can answer.`
          : `The conversation is ${failure.status}: claim it before answering.`,
      );
  }
}

/** The lock stayed busy (the engine or another action is on it): the caller may retry. */
async function unlessBusy<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    if (err instanceof ConversationBusyError) {
      throw new HttpError(503, 'busy', 'The conversation is busy; try again in a moment.');
    }
    throw err;
  }
}

const noMineView = () =>
  new HttpError(403, 'forbidden', 'Only agents and admins have conversations of their own.');

async function summaryOf(c: ConversationDoc) {
  return toConversationSummary(c, { name: await customerName(await findContact(c.contactId)) });
}

const tags = ['conversations'];

export function mountConversationRoutes(server: FastifyInstance, takeover: Takeover): void {
  mountConversationReads(server);
  mountTakeoverActions(server, takeover);
}

/** Lists and the conversation page: agent, marketer, viewer. */
function mountConversationReads(server: FastifyInstance): void {
  const app = server.withTypeProvider<ZodTypeProvider>();
  const read = requireRole(...ACCESS.conversations.read);

  app.get(
    '/api/conversations',
    {
      onRequest: read,
      schema: {
        tags,
        summary: 'List conversations, newest activity first',
        querystring: listQuery,
        response: {
          200: pageOf(conversationSummarySchema),
          ...errorResponses(400, 401, 403),
        },
      },
    },
    async (req) => {
      const { from, to, ...rest } = req.query;
      const actor = actorOf(req);
      if (rest.view === 'mine' && !hasMine(actor)) throw noMineView();
      return listConversations(
        {
          ...rest,
          from: from ? new Date(from) : undefined,
          to: to ? new Date(to) : undefined,
        },
        actor,
      );
    },
  );

  app.get(
    '/api/conversations/views',
    {
      onRequest: read,
      schema: {
        tags,
        summary: "Counts of the inbox's views for the caller (mine: agents and admins)",
        response: { 200: inboxCountsSchema, ...errorResponses(401, 403) },
      },
    },
    async (req) => inboxCounts(actorOf(req)),
  );

  app.post(
    '/api/conversations/:id/seen',
    {
      onRequest: read,
      schema: {
        tags,
        summary: 'Mark the conversation as seen by the caller now (clears its unread marker)',
        params: idParams,
        response: { 204: z.null(), ...errorResponses(401, 403, 404) },
      },
    },
    async (req, reply) => {
      const c = /^[0-9a-f]{24}$/i.test(req.params.id)
        ? await findConversation(req.params.id)
        : null;
      if (!c) throw notFound('The conversation');
      await markSeen(actorOf(req), c._id);
      return reply.status(204).send(null);
    },
  );

  app.get(
    '/api/conversations/:id',
    {
      onRequest: read,
      schema: {
        tags,
        summary: 'One conversation: transcript with NLU readings, flow state, escalation timeline',
        params: idParams,
        response: { 200: conversationDetailSchema, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (req) => {
      const detail = await conversationDetail(req.params.id);
      if (!detail) throw notFound('The conversation');
      return detail;
    },
  );
}

/** Claim, close, reply, note: agents (and admins). */
function mountTakeoverActions(server: FastifyInstance, takeover: Takeover): void {
  const app = server.withTypeProvider<ZodTypeProvider>();
  const act = requireRole(...ACCESS.conversations.write);
  const stateChange = (summary: string) => ({
    onRequest: act,
    schema: {
      tags,
      summary,
      params: idParams,
      response: { 200: conversationSummarySchema, ...errorResponses(401, 403, 404, 409, 503) },
    },
  });
  const messageAction = (summary: string) => ({
    onRequest: act,
    schema: {
      tags,
      summary,
      params: idParams,
      body: textBody,
      response: {
        201: staffMessageResponse,
        ...errorResponses(400, 401, 403, 404, 409, 503),
      },
    },
  });

  app.post(
    '/api/conversations/:id/claim',
    stateChange('Claim a queued conversation'),
    async (req) =>
      unlessBusy(async () => {
        const result = await takeover.claim(req.params.id, actorOf(req));
        if (!result.ok) throw refusal(result);
        return summaryOf(result.value);
      }),
  );

  app.post(
    '/api/conversations/:id/close',
    stateChange('Hand the conversation back to the bot'),
    async (req) =>
      unlessBusy(async () => {
        const result = await takeover.close(req.params.id, actorOf(req));
        if (!result.ok) throw refusal(result);
        return summaryOf(result.value);
      }),
  );

  app.post(
    '/api/conversations/:id/reply',
    messageAction('Answer the customer (the assignee only)'),
    async (req, reply) =>
      unlessBusy(async () => {
        const result = await takeover.reply(req.params.id, actorOf(req), req.body.text);
        if (!result.ok) throw refusal(result);
        return reply.status(201).send({ message: toMessageView(result.value) });
      }),
  );

  app.post(
    '/api/conversations/:id/note',
    messageAction('Add a staff-only note (never sent to the customer)'),
    async (req, reply) => {
      const result = await takeover.note(req.params.id, actorOf(req), req.body.text);
      if (!result.ok) throw refusal(result);
      return reply.status(201).send({ message: toMessageView(result.value) });
    },
  );
}
