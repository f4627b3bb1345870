/**
 * Web chat sessions: creation (contact + conversation + hashed token) and bearer-token checks.
 * Ids and tokens are signed (session-codec.ts): callers check them before `findSession`. Tokens
 * are compared as SHA-256 digests in constant time.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { Locale } from '../../src/kernel/contracts/messages.js';
import { resolveContactId } from '../../src/kernel/db/contacts.js';
import { openConversation } from '../../src/kernel/db/conversations.js';
import { SESSION_ID_PATTERN, type SessionCodec } from './session-codec.js';
import { WebchatSession, type WebchatSessionDoc } from './session.model.js';

export interface CreatedSession {
  sessionId: string;
  token: string;
  conversationId: string;
}

const sha256 = (value: string): Buffer => createHash('sha256').update(value).digest();

export async function createSession(
  codec: SessionCodec,
  locale: Locale | undefined,
  country?: string,
): Promise<CreatedSession> {
  const sessionId = codec.newSessionId();
  const token = codec.newToken(sessionId);
  const contactId = await resolveContactId('webchat', sessionId, { locale, country });
  const conversation = await openConversation({
    channel: 'webchat',
    platformConversationId: sessionId,
    platformUserId: sessionId,
    contactId,
    locale,
  });
  await WebchatSession.create({
    _id: sessionId,
    sessionId,
    tokenHash: sha256(token).toString('hex'),
    conversationId: conversation._id,
    contactId,
    locale,
  });
  return { sessionId, token, conversationId: conversation._id.toHexString() };
}

/** The session, or null when the id is malformed or unknown. By `_id`: no scan on FerretDB. */
export async function findSession(sessionId: string): Promise<WebchatSessionDoc | null> {
  if (!SESSION_ID_PATTERN.test(sessionId)) return null;
  return WebchatSession.findById(sessionId).lean<WebchatSessionDoc>();
}

export function tokenMatches(
  session: Pick<WebchatSessionDoc, 'tokenHash'>,
  token: string,
): boolean {
  const expected = Buffer.from(session.tokenHash, 'hex');
  const given = sha256(token);
  return expected.length === given.length && timingSafeEqual(expected, given);
}
