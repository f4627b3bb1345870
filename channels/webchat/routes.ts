/**
 * The visitor-facing HTTP API of the web chat:
 *   POST /api/webchat/sessions                 → 201 {sessionId, token, conversationId}
 *   POST /api/webchat/sessions/:id/messages    → 202 {messageId}       (Bearer token)
 *   GET  /api/webchat/sessions/:id/messages    → 200 {messages: [...]} (Bearer token)
 * An unknown session is 404 whatever the token (session ids are unguessable, so this reveals
 * nothing); a known session with a missing or wrong token is 401. GET needs the token too: a
 * session's messages are the visitor's personal data. Ids and tokens are signed, so forged ones are
 * refused before any database lookup, and every refusal is charged to the client IP: past
 * WEBCHAT_AUTH_FAILURES_PER_MINUTE that IP gets 429 (session-guard.ts). The per-session message
 * limit counts only authenticated posts.
 */
import { randomUUID } from 'node:crypto';
import type { FastifyInstance, FastifyRequest, onRequestAsyncHookHandler } from 'fastify';
import type { Logger } from 'pino';
import { z } from 'zod';
import type { InboundSink } from '../../src/kernel/contracts/channel-adapter.js';
import type { Realtime } from '../../src/kernel/realtime.js';
import { findMessage } from '../../src/kernel/db/messages.js';
import { regionOfLocaleTag } from '../../src/kernel/country.js';
import { tooManyFailures } from '../../src/http/failed-attempts.js';
import { badRequest, notFound, unauthorized } from '../../src/http/errors.js';
import { sessionHistory, toView } from './message-view.js';
import type { SessionCodec } from './session-codec.js';
import type { SessionGuard } from './session-guard.js';
import { createSession } from './sessions.js';
import type { WebchatSessionDoc } from './session.model.js';
import { sessionTopic } from './topic.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** The web chat session of an authorised request (set by the session onRequest hook). */
    webchatSession?: WebchatSessionDoc;
  }
}

export const MAX_TEXT_LENGTH = 4000;

const createSessionBody = z.object({
  locale: z.enum(['es', 'en']).optional(),
  /** The browser's BCP 47 locale (navigator.language, e.g. en-GB): its region reads phones. */
  browserLocale: z
    .string()
    .max(35)
    .regex(/^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*$/, 'a BCP 47 language tag such as en-GB')
    .optional(),
});

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
  codec: SessionCodec;
  guard: SessionGuard;
}

function bearerToken(req: FastifyRequest): string | undefined {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(req.headers.authorization ?? '');
  return match?.[1];
}

/** onRequest (before the body is read): 429 for an IP out of failures, 404 for an unknown session, 401 for a bad token. */
function authorizeSession(guard: SessionGuard): onRequestAsyncHookHandler {
  return async (req) => {
    const sessionId = (req.params as { id?: string }).id ?? '';
    const result = await guard.check(req, sessionId, bearerToken(req));
    if (result.ok) {
      req.webchatSession = result.session;
      return;
    }
    if (result.reason === 'blocked') throw tooManyFailures(result.retryAfterMs);
    if (result.reason === 'unknown') throw notFound('The web chat session');
    throw unauthorized();
  };
}

const sessionOf = (req: FastifyRequest): WebchatSessionDoc => {
  if (!req.webchatSession) throw unauthorized();
  return req.webchatSession;
};

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
  // limited (429 {error}) — sessions per client IP, messages per session. The session limit runs
  // after authorisation (onRequest → preHandler), so only the session's own posts count against it.
  const perMinute = (max: number) => ({ config: { rateLimit: { max, timeWindow: 60_000 } } });
  const authorized = authorizeSession(deps.guard);
  const perSession = {
    onRequest: authorized,
    config: {
      rateLimit: {
        max: deps.limits.messagesPerMinute,
        timeWindow: 60_000,
        hook: 'preHandler' as const,
        keyGenerator: (req: FastifyRequest) => `session:${sessionOf(req).sessionId}`,
      },
    },
  };

  scope.post(
    '/api/webchat/sessions',
    {
      ...perMinute(deps.limits.sessionsPerMinute),
      schema: { summary: 'Start a web chat session (a visitor opens the widget)' },
    },
    async (req, reply) => {
      const parsed = createSessionBody.safeParse(req.body ?? {});
      if (!parsed.success) invalidRequest(parsed.error);
      const { locale, browserLocale } = parsed.data;
      const tag = browserLocale ?? req.headers['accept-language']?.split(',')[0];
      const created = await createSession(deps.codec, locale, regionOfLocaleTag(tag));
      return reply.status(201).send(created);
    },
  );

  scope.post<{ Params: { id: string } }>(
    '/api/webchat/sessions/:id/messages',
    { ...perSession, schema: { summary: "A visitor's message to the bot (session token)" } },
    async (req, reply) => {
      const session = sessionOf(req);
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

  scope.get<{ Params: { id: string } }>(
    '/api/webchat/sessions/:id/messages',
    {
      onRequest: authorized,
      schema: { summary: "The session's transcript, for a returning visitor (session token)" },
    },
    async (req) => ({ messages: await sessionHistory(sessionOf(req).sessionId) }),
  );
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
