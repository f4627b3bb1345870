/**
 * Web chat sessions: creation (contact + conversation + hashed token) and bearer-token checks.
 * Tokens are compared as SHA-256 digests in constant time.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Locale } from '../../src/contracts/messages.js';
import { resolveContactId } from '../../src/store/contacts.js';
import { openConversation } from '../../src/store/conversations.js';
import { WebchatSession, type WebchatSessionDoc } from './session.model.js';

/** Session ids are 16 random bytes in base64url (22 characters). */
const SESSION_ID_PATTERN = /^[A-Za-z0-9_-]{22}$/;

export interface CreatedSession {
  sessionId: string;
  token: string;
  conversationId: string;
}

const sha256 = (value: string): Buffer => createHash('sha256').update(value).digest();

export async function createSession(locale: Locale | undefined): Promise<CreatedSession> {
  const sessionId = randomBytes(16).toString('base64url');
  const token = randomBytes(32).toString('base64url');
  const contactId = await resolveContactId('webchat', sessionId, { locale });
  const conversation = await openConversation({
    channel: 'webchat',
    platformConversationId: sessionId,
    platformUserId: sessionId,
    contactId,
    locale,
  });
  await WebchatSession.create({
    sessionId,
    tokenHash: sha256(token).toString('hex'),
    conversationId: conversation._id,
    contactId,
    locale,
  });
  return { sessionId, token, conversationId: conversation._id.toHexString() };
}

/** The session, or null when the id is malformed or unknown. */
export async function findSession(sessionId: string): Promise<WebchatSessionDoc | null> {
  if (!SESSION_ID_PATTERN.test(sessionId)) return null;
  return WebchatSession.findOne({ sessionId }).lean<WebchatSessionDoc>();
}

export function tokenMatches(
  session: Pick<WebchatSessionDoc, 'tokenHash'>,
  token: string,
): boolean {
  const expected = Buffer.from(session.tokenHash, 'hex');
  const given = sha256(token);
  return expected.length === given.length && timingSafeEqual(expected, given);
}
