/**
 * WS /api/stream — the console's live updates: every `conversation.updated`, `message.created`
 * and `staff.presence` event (src/kernel/console-events.ts), from whichever instance made the
 * change.
 * Authenticated like any staff route, by the session cookie (preferred) or `?token=<bearer>`;
 * a cookie socket must come from this server's own origin (a page elsewhere cannot ride the
 * cookie: cross-site WebSocket hijacking). Refused sockets are closed with 4401 (unauthenticated)
 * or 4403 (foreign origin): browsers cannot read the status of a refused upgrade, but they can
 * read a close code. The server only pushes; what clients send is ignored.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { WebSocket } from 'ws';
import type { ConsoleEvents } from '../kernel/console-events.js';
import { authenticate } from './guard.js';

export const CLOSE_UNAUTHORIZED = 4401;
export const CLOSE_FOREIGN_ORIGIN = 4403;
/** Keeps idle connections alive through proxies that drop silent sockets. */
const PING_INTERVAL_MS = 25_000;

/** Same origin as the request's host (what a browser sends for a page served by us). */
function sameOrigin(req: FastifyRequest): boolean {
  const origin = req.headers.origin;
  if (!origin) return true; // not a browser page: a cookie is then no cross-site risk
  try {
    // req.host: the Host header, or X-Forwarded-Host from a trusted proxy (TRUST_PROXY).
    return new URL(origin).host === req.host;
  } catch {
    return false;
  }
}

/**
 * onRequest (before the upgrade, where the reply exists): who is calling, if anyone. A refusal is
 * not thrown here — that would refuse the upgrade unreadably — but answered as a close code.
 */
async function identify(req: FastifyRequest, reply: FastifyReply): Promise<void> {
  const token = (req.query as { token?: unknown } | undefined)?.token;
  if (typeof token === 'string' && token) {
    // The bearer a browser WebSocket cannot send as a header, checked by the staff authenticator.
    req.headers.authorization = `Bearer ${token}`;
  } else if (!sameOrigin(req)) {
    return;
  }
  try {
    await authenticate(req, reply);
  } catch {
    // req.actor stays unset: the socket is closed with 4401.
  }
}

export function mountStreamRoute(server: FastifyInstance, events: ConsoleEvents): void {
  server.get<{ Querystring: { token?: string } }>(
    '/api/stream',
    { websocket: true, onRequest: identify, schema: { hide: true } },
    (socket, req) => {
      socket.on('message', () => undefined);
      socket.on('error', () => undefined);
      void serve(socket, req, events);
    },
  );
}

async function serve(socket: WebSocket, req: FastifyRequest, events: ConsoleEvents): Promise<void> {
  const state: { closed: boolean; unsubscribe?: () => void } = { closed: false };
  const ping = setInterval(() => socket.ping(), PING_INTERVAL_MS);
  socket.on('close', () => {
    state.closed = true;
    clearInterval(ping);
    state.unsubscribe?.();
  });
  const hasToken = typeof (req.query as { token?: unknown }).token === 'string';
  if (!req.actor && !hasToken && !sameOrigin(req)) {
    return socket.close(CLOSE_FOREIGN_ORIGIN, 'foreign origin');
  }
  if (!req.actor) return socket.close(CLOSE_UNAUTHORIZED, 'unauthorized');
  const off = await events.subscribe((event) => {
    if (socket.readyState === socket.OPEN) socket.send(JSON.stringify(event));
  });
  if (state.closed) return off();
  state.unsubscribe = off;
  socket.send(JSON.stringify({ type: 'hello', at: new Date().toISOString() }));
}
