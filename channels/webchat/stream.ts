/**
 * WS /api/webchat/sessions/:id/stream?token=… — pushes the session's messages as JSON objects
 * shaped exactly like the items of GET /messages. On connect it first replays the history (so
 * nothing published while the socket was down is missed), then live messages; clients dedupe
 * by `id`. Bad token → close 4401, unknown session → close 4404 (browsers cannot read the HTTP
 * status of a refused upgrade, but they can read a close code); a client IP out of failed
 * attempts → close 4429 (session-guard.ts). Connects are limited per client IP
 * (WEBCHAT_STREAMS_PER_MINUTE; past it the upgrade is refused with 429 before any work).
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Logger } from 'pino';
import type { WebSocket } from 'ws';
import type { Realtime } from '../../src/kernel/realtime.js';
import { sessionHistory } from './message-view.js';
import type { SessionGuard } from './session-guard.js';
import { sessionTopic } from './topic.js';

export const CLOSE_UNAUTHORIZED = 4401;
export const CLOSE_UNKNOWN_SESSION = 4404;
export const CLOSE_TOO_MANY_FAILURES = 4429;
/** Keeps idle connections alive through proxies that drop silent sockets. */
const PING_INTERVAL_MS = 25_000;

export interface StreamDeps {
  realtime: Realtime;
  logger: Logger;
  guard: SessionGuard;
  connectsPerMinute: number;
}

export function mountWebchatStream(scope: FastifyInstance, deps: StreamDeps): void {
  scope.get<{ Params: { id: string }; Querystring: { token?: string } }>(
    '/api/webchat/sessions/:id/stream',
    {
      websocket: true,
      config: { rateLimit: { max: deps.connectsPerMinute, timeWindow: 60_000 } },
    },
    (socket, req) => {
      // Attached synchronously so nothing the client sends is left unhandled; clients only listen.
      socket.on('message', () => undefined);
      socket.on('error', () => undefined);
      void serve(socket, req, req.params.id, req.query.token, deps);
    },
  );
}

async function serve(
  socket: WebSocket,
  req: FastifyRequest,
  sessionId: string,
  token: string | undefined,
  deps: StreamDeps,
): Promise<void> {
  let unsubscribe: (() => Promise<void>) | undefined;
  let closed = false;
  const ping = setInterval(() => socket.ping(), PING_INTERVAL_MS);
  socket.on('close', () => {
    closed = true;
    clearInterval(ping);
    void unsubscribe?.().catch(() => undefined);
  });
  const send = (payload: unknown) => {
    if (socket.readyState === socket.OPEN) socket.send(JSON.stringify(payload));
  };

  try {
    const checked = await deps.guard.check(req, sessionId, token);
    if (!checked.ok) {
      if (checked.reason === 'blocked') {
        return socket.close(CLOSE_TOO_MANY_FAILURES, 'too many failed attempts');
      }
      if (checked.reason === 'unknown') {
        return socket.close(CLOSE_UNKNOWN_SESSION, 'unknown session');
      }
      return socket.close(CLOSE_UNAUTHORIZED, 'unauthorized');
    }
    const off = await deps.realtime.subscribe(sessionTopic(sessionId), send);
    if (closed) return void (await off());
    unsubscribe = off;
    for (const message of await sessionHistory(sessionId)) send(message);
  } catch (err) {
    deps.logger.warn({ err, channel: 'webchat' }, 'web chat stream failed');
    socket.close(1011, 'internal error');
  }
}
