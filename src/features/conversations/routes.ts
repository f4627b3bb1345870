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
import { z } from 'zod';
import { CHANNEL_IDS } from '../../kernel/contracts/messages.js';
import { ConversationBusyError } from '../../kernel/redis/conversation-lock.js';
import { conversationDetail, toMessageView } from './detail.js';
import { listConversations } from './list.js';
import { toConversationSummary } from './summary.js';
import type { Takeover, TakeoverFailure } from './takeover.js';
import { findContact } from '../../kernel/db/contacts.js';
import {
  CONVERSATION_STATUSES,
  type ConversationDoc,
} from '../../kernel/db/models/conversation.js';
import { actorOf, requireRole } from '../../http/guard.js';
import { HttpError, notFound } from '../../http/errors.js';
import { optionalFilter } from '../../http/validation.js';
import { errorResponses, pageQuery } from '../../http/schemas.js';

export const MAX_STAFF_TEXT = 4000;

const person = z.object({ id: z.string(), name: z.string().nullable() });
const locale = z.enum(['es', 'en']).nullable();

export const sentimentSchema = z
  .object({
    trend: z.array(z.object({ at: z.string(), score: z.number().min(-1).max(1) })),
    frustratedAt: z.string().nullable(),
  })
  .describe(
    'sentiment of the last customer messages (-1 negative … 1 positive), oldest first; ' +
      'frustratedAt: when two negative messages in a row raised the priority',
  )
  .meta({ id: 'ConversationSentiment' });

export const conversationSummarySchema = z
  .object({
    id: z.string(),
    channel: z.string(),
    status: z.enum(CONVERSATION_STATUSES),
    locale,
    contact: person,
    lastMessageAt: z.string().nullable(),
    lastMessageText: z.string().nullable(),
    lastIntent: z.string().nullable(),
    assignee: person.nullable(),
    escalation: z
      .object({ reason: z.string().nullable(), queuedAt: z.string().nullable() })
      .nullable(),
    createdAt: z.string().nullable(),
    priority: z.enum(['high']).nullable(),
    sentiment: sentimentSchema,
  })
  .meta({ id: 'ConversationSummary' });

export const messageSchema = z
  .object({
    id: z.string(),
    conversationId: z.string(),
    channel: z.string(),
    direction: z.enum(['in', 'out']),
    author: z.enum(['customer', 'bot', 'staff', 'system']),
    text: z.string(),
    status: z.enum(['received', 'processed', 'pending', 'sent', 'failed']),
    createdAt: z.string(),
    error: z.string().optional(),
    internal: z.literal(true).optional(),
    staff: person.optional(),
    nlu: z
      .object({
        intent: z.string().nullable(),
        confidence: z.number(),
        language: z.string().nullable(),
      })
      .optional(),
    sentiment: z.number().optional(),
    quickReplies: z.array(z.object({ title: z.string(), payload: z.string() })).optional(),
    awaiting: z.object({ flow: z.string(), slot: z.string() }).optional(),
    attachments: z
      .array(
        z.object({
          kind: z.string(),
          url: z.string().optional(),
          mimeType: z.string().optional(),
          name: z.string().optional(),
        }),
      )
      .optional(),
  })
  .meta({ id: 'ConversationMessage' });

const conversationDetailSchema = conversationSummarySchema
  .omit({ contact: true, escalation: true })
  .extend({
    contactId: z.string(),
    contact: z.object({
      id: z.string(),
      name: z.string().nullable(),
      emails: z.array(z.string()),
      phones: z.array(z.string()),
      channels: z.array(z.string()),
      tags: z.array(z.string()),
      locale,
    }),
    flow: z
      .object({
        name: z.string(),
        slot: z.string().nullable(),
        slots: z.record(z.string(), z.unknown()),
        attempts: z.number(),
        startedAt: z.string().nullable(),
      })
      .nullable(),
    suspendedFlow: z.object({ name: z.string(), slot: z.string().nullable() }).nullable(),
    intentsSeen: z.array(z.string()),
    statusHistory: z.array(
      z.object({
        status: z.string(),
        at: z.string(),
        by: z.string().nullable(),
        reason: z.string().nullable(),
      }),
    ),
    escalation: z
      .object({
        reason: z.string().nullable(),
        queuedAt: z.string().nullable(),
        assignedAt: z.string().nullable(),
        closedAt: z.string().nullable(),
        afterHours: z.boolean(),
      })
      .nullable(),
    messages: z.array(messageSchema),
  })
  .meta({ id: 'ConversationDetail' });

const isoDate = z
  .string()
  .refine((v) => !Number.isNaN(Date.parse(v)), 'must be an ISO date or date-time');

const listQuery = z.object({
  channel: optionalFilter(z.enum(CHANNEL_IDS)),
  status: optionalFilter(z.enum(CONVERSATION_STATUSES)),
  language: optionalFilter(z.enum(['es', 'en'])),
  intent: optionalFilter(z.string().trim().min(1).max(100)),
  from: optionalFilter(isoDate),
  to: optionalFilter(isoDate),
  q: optionalFilter(z.string().trim().max(200)),
  ...pageQuery,
});

/** Any string: an id that is not one (malformed) is as unknown as a missing one → 404. */
const idParams = z.object({ id: z.string().max(64).describe('conversation id (24 hex digits)') });
const textBody = z.object({
  text: z
    .string()
    .trim()
    .min(1, 'must not be empty')
    .max(MAX_STAFF_TEXT, `must be at most ${MAX_STAFF_TEXT} characters`),
});

/** A refused take-over as the HTTP error the console shows. */
function refusal(failure: TakeoverFailure): HttpError {
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

async function summaryOf(c: ConversationDoc) {
  return toConversationSummary(c, await findContact(c.contactId));
}

const tags = ['conversations'];

export function mountConversationRoutes(server: FastifyInstance, takeover: Takeover): void {
  mountConversationReads(server);
  mountTakeoverActions(server, takeover);
}

/** Lists and the conversation page: agent, marketer, viewer. */
function mountConversationReads(server: FastifyInstance): void {
  const app = server.withTypeProvider<ZodTypeProvider>();
  const read = requireRole('agent', 'marketer', 'viewer');

  app.get(
    '/api/conversations',
    {
      onRequest: read,
      schema: {
        tags,
        summary: 'List conversations, newest activity first',
        querystring: listQuery,
        response: {
          200: z.object({ items: z.array(conversationSummarySchema), total: z.number().int() }),
          ...errorResponses(400, 401, 403),
        },
      },
    },
    async (req) => {
      const { from, to, ...rest } = req.query;
      return listConversations({
        ...rest,
        from: from ? new Date(from) : undefined,
        to: to ? new Date(to) : undefined,
      });
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
  const act = requireRole('agent');
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
        201: z.object({ message: messageSchema }),
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
