/**
 * Web chat requests from chosen loopback source IPs (test/support/from-ip.ts), and well-formed
 * but forged credentials, for the abuse tests.
 */
import { randomBytes } from 'node:crypto';
import { expect } from 'vitest';
import type { TestApp } from '../../support/app.js';
import { requestFrom } from '../../support/from-ip.js';
import type { Session } from './client.js';

/** Small limits so that each one is reached in a few requests. */
export const ABUSE_LIMITS = {
  WEBCHAT_SESSIONS_PER_MINUTE: '3',
  WEBCHAT_MESSAGES_PER_MINUTE: '3',
  WEBCHAT_AUTH_FAILURES_PER_MINUTE: '5',
  WEBCHAT_STREAMS_PER_MINUTE: '8',
  // No background SLA sweep while database operations are being counted.
  ESCALATION_SLA_CHECK_SECONDS: '3600',
};

export const newSession = (app: TestApp, ip: string, headers: Record<string, string> = {}) =>
  requestFrom(ip, `${app.url}/api/webchat/sessions`, { method: 'POST', body: {}, headers });

export async function sessionFrom(app: TestApp, ip: string): Promise<Session> {
  const res = await newSession(app, ip);
  expect(res.status).toBe(201);
  return res.body as Session;
}

export const postMessage = (
  app: TestApp,
  ip: string,
  sessionId: string,
  token: string,
  text: string,
) =>
  requestFrom(ip, `${app.url}/api/webchat/sessions/${sessionId}/messages`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}` },
    body: { text },
  });

export const listMessages = (app: TestApp, ip: string, sessionId: string, token: string) =>
  requestFrom(ip, `${app.url}/api/webchat/sessions/${sessionId}/messages`, {
    headers: { authorization: `Bearer ${token}` },
  });

/** Right length and alphabet, no valid MAC. */
export const forgedId = () => randomBytes(28).toString('base64url');
export const forgedToken = () => randomBytes(40).toString('base64url');
