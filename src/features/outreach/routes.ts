/**
 * Reply anywhere (issue 19.3), agents and admins (ACCESS.conversations.write), audited:
 *   POST /api/conversations/:id/take-over  {text?}   take it from the bot or the queue (+ send)
 *   GET  /api/contacts/:id/reach                     the contact's channels: can staff write now?
 *   POST /api/contacts/:id/conversations   {channel, text}   write to the contact on a channel
 * A channel's rule refuses with 409 and a code saying why (outside_window, session_gone,
 * channel_not_supported, channel_off, no_conversation_on_channel).
 */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { findContact } from '../../kernel/db/contacts.js';
import { busy, notFound } from '../../kernel/errors.js';
import { ConversationBusyError } from '../../kernel/redis/conversation-lock.js';
import { ACCESS } from '../../kernel/roles.js';
import { actorOf, requireRole } from '../../http/guard.js';
import { errorResponses } from '../../http/schemas.js';
import { summarise, toMessageView } from '../conversations/index.js';
import { reachOf } from './rules.js';
import {
  contactIdParams,
  reachResponse,
  startConversationBody,
  takeOverBody,
  takeOverResponse,
  type TakeOverAnswer,
} from './schemas.js';
import {
  latestPerChannel,
  startConversation,
  takeOverConversation,
  type OutreachDeps,
  type Outcome,
} from './service.js';

const tags = ['conversations'];
const isId = (id: string) => /^[0-9a-f]{24}$/i.test(id);

async function answer(
  outcome: Outcome,
  actor: ReturnType<typeof actorOf>,
): Promise<TakeOverAnswer> {
  const [conversation] = await summarise([outcome.conversation], actor);
  return {
    conversation: conversation!,
    from: outcome.from,
    message: outcome.message ? toMessageView(outcome.message) : null,
  };
}

/** The lock stayed busy (the engine is answering): the caller may retry. */
async function unlessBusy<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    if (err instanceof ConversationBusyError) {
      throw busy('busy', 'The conversation is busy; try again in a moment.');
    }
    throw err;
  }
}

async function liveContact(id: string) {
  const contact = isId(id) ? await findContact(id) : null;
  if (!contact || (contact as { erasedAt?: Date }).erasedAt) throw notFound('The contact');
  return contact;
}

export function mountOutreachRoutes(server: FastifyInstance, deps: OutreachDeps): void {
  const app = server.withTypeProvider<ZodTypeProvider>();
  const act = requireRole(...ACCESS.conversations.write);
  const now = deps.now ?? (() => new Date());

  app.post(
    '/api/conversations/:id/take-over',
    {
      onRequest: act,
      schema: {
        tags,
        summary:
          'Take the conversation over from the bot (or the queue) and optionally write to the customer',
        params: contactIdParams.describe('conversation id'),
        body: takeOverBody,
        response: { 200: takeOverResponse, ...errorResponses(400, 401, 403, 404, 409, 503) },
      },
    },
    async (req) =>
      unlessBusy(async () =>
        answer(
          await takeOverConversation(deps, req.params.id, actorOf(req), req.body?.text),
          actorOf(req),
        ),
      ),
  );

  app.get(
    '/api/contacts/:id/reach',
    {
      onRequest: act,
      schema: {
        tags,
        summary: "The contact's channels and whether staff may write on each now (and why not)",
        params: contactIdParams,
        response: { 200: reachResponse, ...errorResponses(401, 403, 404) },
      },
    },
    async (req) => {
      await liveContact(req.params.id);
      const at = now();
      const channels = await Promise.all(
        (await latestPerChannel(req.params.id)).map(async (c) => {
          const reach = await reachOf(c, deps.lookup, at);
          return {
            channel: c.channel,
            conversationId: c._id.toHexString(),
            status: c.status,
            lastMessageAt: c.lastMessageAt ? new Date(c.lastMessageAt).toISOString() : null,
            reachable: reach.refusal === null,
            refusal: reach.refusal,
            windowEndsAt: reach.windowEndsAt?.toISOString() ?? null,
          };
        }),
      );
      return { channels };
    },
  );

  app.post(
    '/api/contacts/:id/conversations',
    {
      onRequest: act,
      schema: {
        tags,
        summary: 'Write to the contact on a channel that allows it (taking the conversation over)',
        params: contactIdParams,
        body: startConversationBody,
        response: { 201: takeOverResponse, ...errorResponses(400, 401, 403, 404, 409, 503) },
      },
    },
    async (req, reply) => {
      await liveContact(req.params.id);
      const outcome = await unlessBusy(() =>
        startConversation(deps, req.params.id, req.body.channel, actorOf(req), req.body.text),
      );
      return reply.status(201).send(await answer(outcome, actorOf(req)));
    },
  );
}
