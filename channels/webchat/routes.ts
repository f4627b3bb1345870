/**
 * The visitor-facing HTTP API of the web chat:
 *   POST /api/webchat/sessions                 → 201 {sessionId, token, conversationId}
 *   POST /api/webchat/sessions/:id/messages    → 202 {messageId}       (Bearer token)
 *   GET  /api/webchat/sessions/:id/messages    → 200 {messages: [...]} (Bearer token)
 * An unknown session is 404 whatever the token (session ids are unguessable, so this reveals
 * nothing); a known session with a missing or wrong token is 401. GET needs the token too: a
 * session's messages are the visitor's personal data.
 */
import { randomUUID } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Logger } from 'pino';
import { z } from 'zod';
import type { InboundSink } from '../../src/contracts/channel-adapter.js';
import type { Realtime } from '../../src/realtime.js';
import { findMessage } from '../../src/store/messages.js';
import { badRequest, notFound, unauthorized } from '../../src/http/errors.js';
import { sessionHistory, toView } from './message-view.js';
import { createSession, findSession, tokenMatches } from './sessions.js';
import type { WebchatSessionDoc } from './session.model.js';
import { sessionTopic } from './topic.js';

export const MAX_TEXT_LENGTH = 4000;

const createSessionBody = z.object({ locale: z.enum(['es', 'en']).optional() });

const postMessageBody = z.object({
  text: z.unknown().optional(),
  clientMessageId: z
    .string()
    .min(1)
    .max(128)
    .regex(/^[\x21-\x7e]+$/, 'printable ASCII without spaces')
    .optional(),
});

export interface WebchatRouteDeps {
  sink: InboundSink;
  realtime: Realtime;
  logger: Logger;
  limits: { sessionsPerMinute: number; messagesPerMinute: number };
}

function bearerToken(req: FastifyRequest): string | undefined {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(req.headers.authorization ?? '');
  return match?.[1];
}

/** 404 for an unknown session, 401 for a missing or wrong token. */
async function authorizedSession(
  req: FastifyRequest,
  sessionId: string,
): Promise<WebchatSessionDoc> {
  const session = await findSession(sessionId);
  if (!session) throw notFound('The web chat session');
  const token = bearerToken(req);
  if (!token || !tokenMatches(session, token)) throw unauthorized();
  return session;
}

function validText(raw: unknown): string {
  if (typeof raw !== 'string') throw badRequest('invalid_text', '`text` must be a string.');
  const text = raw.trim();
  if (text === '') throw badRequest('empty_text', '`text` must not be empty.');
  if (text.length > MAX_TEXT_LENGTH) {
    throw badRequest('text_too_long', `\`text\` must be at most ${MAX_TEXT_LENGTH} characters.`);
  }
  return text;
}

function invalidRequest(error: z.ZodError): never {
  const issue = error.issues[0];
  const where = issue?.path.length ? `\`${issue.path.join('.')}\`: ` : '';
  throw badRequest('invalid_request', `${where}${issue?.message ?? 'invalid request'}`);
}

export function mountWebchatRoutes(scope: FastifyInstance, deps: WebchatRouteDeps): void {
  // Public endpoints: every session writes a contact and a conversation, so both are rate
  // limited (429 {error}) — sessions per client IP, messages per session.
  const perMinute = (max: number, keyGenerator?: (req: FastifyRequest) => string) => ({
    config: { rateLimit: { max, timeWindow: 60_000, ...(keyGenerator ? { keyGenerator } : {}) } },
  });
  const sessionKey = (req: FastifyRequest) => `session:${(req.params as { id?: string }).id ?? ''}`;

  scope.post(
    '/api/webchat/sessions',
    perMinute(deps.limits.sessionsPerMinute),
    async (req, reply) => {
      const parsed = createSessionBody.safeParse(req.body ?? {});
      if (!parsed.success) invalidRequest(parsed.error);
      const created = await createSession(parsed.data.locale);
      return reply.status(201).send(created);
    },
  );

  scope.post<{ Params: { id: string } }>(
    '/api/webchat/sessions/:id/messages',
    perMinute(deps.limits.messagesPerMinute, sessionKey),
    async (req, reply) => {
      const session = await authorizedSession(req, req.params.id);
      const parsed = postMessageBody.safeParse(req.body);
      if (!parsed.success) invalidRequest(parsed.error);
      const text = validText(parsed.data.text);
      const { clientMessageId } = parsed.data;
      const sessionId = session.sessionId;
      const result = await deps.sink.ingest({
        channel: 'webchat',
        platformMessageId: `${sessionId}:${clientMessageId ?? randomUUID()}`,
        platformUserId: sessionId,
        platformConversationId: sessionId,
        text,
        locale: session.locale ?? undefined,
      });
      if (!result.duplicate) await echoToStream(deps, sessionId, result.messageId);
      return reply.status(202).send({ messageId: result.messageId });
    },
  );

  scope.get<{ Params: { id: string } }>('/api/webchat/sessions/:id/messages', async (req) => {
    const session = await authorizedSession(req, req.params.id);
    return { messages: await sessionHistory(session.sessionId) };
  });
}

/**
 * Pushes the visitor's own message to the session's stream, so other tabs of the same visitor
 * see it. Best effort: the message is stored and GET returns it anyway.
 */
async function echoToStream(deps: WebchatRouteDeps, sessionId: string, messageId: string) {
  try {
    const stored = await findMessage(messageId);
    if (stored) await deps.realtime.publish(sessionTopic(sessionId), toView(stored));
  } catch (err) {
    deps.logger.warn(
      { err, channel: 'webchat' },
      'could not push an inbound message to the stream',
    );
  }
}
