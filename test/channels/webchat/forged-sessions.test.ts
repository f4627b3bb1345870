/**
 * Forged web chat credentials cost no database lookup: session ids and tokens carry a MAC checked
 * before any lookup, and each refusal is charged to the client IP (then 429, audited once). Counted with a
 * mongoose debug hook on a web-only instance (no workers, so nothing else touches the database).
 */
import mongoose from 'mongoose';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createSessionCodec } from '../../../channels/webchat/session-codec.js';
import { startTestApp, type TestApp } from '../../support/app.js';
import {
  ABUSE_LIMITS,
  forgedId,
  forgedToken,
  listMessages,
  postMessage,
  sessionFrom,
} from './ip-client.js';

let web: TestApp;

beforeAll(async () => {
  web = await startTestApp({ ...ABUSE_LIMITS, ROLE: 'web' });
});
afterAll(async () => {
  await web?.stop();
});

it('refuses forged session ids and tokens without a database operation', async () => {
  const real = await sessionFrom(web, '127.0.0.6');
  const operations: string[] = [];
  mongoose.set('debug', (collection: string, method: string) => {
    operations.push(`${collection}.${method}`);
  });
  try {
    const results = [];
    for (let i = 0; i < 12; i++) {
      const kind = i % 4;
      if (kind === 0) {
        results.push((await postMessage(web, '127.0.0.7', forgedId(), forgedToken(), 'x')).status);
      } else if (kind === 1) {
        results.push((await listMessages(web, '127.0.0.7', forgedId(), real.token)).status);
      } else if (kind === 2) {
        results.push(
          (await postMessage(web, '127.0.0.7', real.sessionId, forgedToken(), 'x')).status,
        );
      } else {
        const malformed = 'AAAAAAAAAAAAAAAAAAAAAA';
        results.push((await listMessages(web, '127.0.0.7', malformed, real.token)).status);
      }
    }
    expect(results.slice(0, 5)).toEqual([404, 404, 401, 404, 404]);
    expect(new Set(results.slice(5))).toEqual(new Set([429]));
    // No lookup: the one write is the audit entry of the IP's block (once per window).
    expect(operations).toEqual(['auditentries.insertOne']);

    // Control: the hook does see the lookups of a genuine request.
    expect((await listMessages(web, '127.0.0.6', real.sessionId, real.token)).status).toBe(200);
    expect(operations.some((op) => op.startsWith('webchatsessions.'))).toBe(true);
  } finally {
    mongoose.set('debug', false);
  }
});

it('signs with one secret per install: generated once, stored, read back by every instance', async () => {
  const { resolveSessionSecret } = await import('../../../channels/webchat/session-secret.js');
  const [a, b] = await Promise.all([
    resolveSessionSecret(undefined),
    resolveSessionSecret(undefined),
  ]);
  expect(a).toBe(b);
  expect(a.length).toBeGreaterThanOrEqual(32);
  expect(await resolveSessionSecret('x'.repeat(40))).toBe('x'.repeat(40));
  // The running app signs with that stored secret: its sessions verify under it.
  const codec = createSessionCodec(a);
  const s = await sessionFrom(web, '127.0.0.8');
  expect(codec.isSessionId(s.sessionId)).toBe(true);
  expect(codec.isTokenOf(s.sessionId, s.token)).toBe(true);
});
