/**
 * Who may use a web chat session, decided in this order, cheapest first:
 *   1. the session id carries this server's MAC (else `unknown`: 404 / close 4404),
 *   2. the token carries a MAC bound to that id (else `unauthorized`: 401 / close 4401),
 *   3. the session exists and the token's hash matches (the only step that reads MongoDB, reached
 *      only with a MAC nobody can forge).
 * Every refusal is charged to the client IP (TRUST_PROXY decides what that is), never to the
 * session: someone else's wrong tokens cannot use up a visitor's quota. An IP that has used up its
 * failures gets `blocked` (429 / close 4429) for its wrong credentials; a valid session is always
 * served, so visitors behind the same IP as an attacker keep their own sessions.
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
  const refuse = async (
    req: FastifyRequest,
    reason: 'unknown' | 'unauthorized',
  ): Promise<SessionCheck> => {
    const retryAfterMs = await failures.fail(req);
    if (retryAfterMs > 0) return { ok: false, reason: 'blocked', retryAfterMs };
    return { ok: false, reason };
  };
  return {
    async check(req, sessionId, token) {
      if (!codec.isSessionId(sessionId)) return refuse(req, 'unknown');
      if (!token || !codec.isTokenOf(sessionId, token)) return refuse(req, 'unauthorized');
      const session = await findSession(sessionId);
      if (!session) return refuse(req, 'unknown');
      if (!tokenMatches(session, token)) return refuse(req, 'unauthorized');
      return { ok: true, session };
    },
  };
}
