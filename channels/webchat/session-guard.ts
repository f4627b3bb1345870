/**
 * Who may use a web chat session, decided in this order, cheapest first:
 *   1. the client IP has failures left (Redis; else `blocked`: 429 / close 4429),
 *   2. the session id carries this server's MAC (else `unknown`: 404 / close 4404),
 *   3. the token carries a MAC bound to that id (else `unauthorized`: 401 / close 4401),
 *   4. the session exists and the token's hash matches (the only step that reads MongoDB).
 * Every refusal is charged to the client IP (TRUST_PROXY decides what that is), never to the
 * session: someone else's wrong tokens cannot use up a visitor's quota.
 */
import type { FailureLimiter } from '../../src/http/failed-attempts.js';
import type { FastifyRequest } from 'fastify';
import type { SessionCodec } from './session-codec.js';
import type { WebchatSessionDoc } from './session.model.js';
import { findSession, tokenMatches } from './sessions.js';

export type SessionCheck =
  | { ok: true; session: WebchatSessionDoc }
  | { ok: false; reason: 'blocked'; retryAfterMs: number }
  | { ok: false; reason: 'unknown' | 'unauthorized' };

export interface SessionGuard {
  check(req: FastifyRequest, sessionId: string, token: string | undefined): Promise<SessionCheck>;
}

export function createSessionGuard(deps: {
  codec: SessionCodec;
  failures: FailureLimiter;
}): SessionGuard {
  const { codec, failures } = deps;
  const refuse = async (req: FastifyRequest, reason: 'unknown' | 'unauthorized') => {
    await failures.charge(req);
    return { ok: false, reason } as const;
  };
  return {
    async check(req, sessionId, token) {
      const retryAfterMs = await failures.blockedFor(req);
      if (retryAfterMs > 0) return { ok: false, reason: 'blocked', retryAfterMs };
      if (!codec.isSessionId(sessionId)) return refuse(req, 'unknown');
      if (!token || !codec.isTokenOf(sessionId, token)) return refuse(req, 'unauthorized');
      const session = await findSession(sessionId);
      if (!session) return refuse(req, 'unknown');
      if (!tokenMatches(session, token)) return refuse(req, 'unauthorized');
      return { ok: true, session };
    },
  };
}
