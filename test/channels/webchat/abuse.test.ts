/**
 * The web chat API under abuse, against a real Charla: client IPs come from distinct loopback
 * source addresses (127.0.0.x), never from headers a client could invent.
 *   - X-Forwarded-For is ignored unless TRUST_PROXY names the proxy;
 *   - wrong tokens are charged to the sender's IP, never to the session they target;
 *   - forged session ids and tokens are refused without a single database operation
 *     (forged-sessions.test.ts);
 *   - WebSocket connects are limited per IP, and forged ones count as failures too.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { AuditEntry } from '../../../src/kernel/db/models/audit-entry.js';
import { Contact } from '../../../src/kernel/db/models/contact.js';
import { startTestApp, type TestApp } from '../../support/app.js';
import {
  ABUSE_LIMITS,
  forgedId,
  forgedToken,
  listMessages,
  newSession,
  postMessage,
  sessionFrom,
} from './ip-client.js';

let direct: TestApp; // TRUST_PROXY unset

beforeAll(async () => {
  direct = await startTestApp(ABUSE_LIMITS);
});
afterAll(async () => {
  await direct?.stop();
});

describe('proxy trust', () => {
  // With TRUST_PROXY set, see trusted-proxy.test.ts.
  it('ignores X-Forwarded-For when TRUST_PROXY is unset', async () => {
    const statuses = [];
    for (let i = 0; i < 4; i++) {
      const res = await newSession(direct, '127.0.0.2', { 'x-forwarded-for': `198.51.100.${i}` });
      statuses.push(res.status);
    }
    expect(statuses).toEqual([201, 201, 201, 429]);
  });
});

describe('failed tokens', () => {
  it("charges wrong-token posts to the sender's IP, never to the session they target", async () => {
    const owner = await sessionFrom(direct, '127.0.0.4');
    const other = await sessionFrom(direct, '127.0.0.4');
    const attempts = [];
    for (let i = 0; i < 30; i++) {
      const token = i % 2 === 0 ? forgedToken() : other.token;
      attempts.push((await postMessage(direct, '127.0.0.5', owner.sessionId, token, 'x')).status);
    }
    expect(attempts.slice(0, 5)).toEqual([401, 401, 401, 401, 401]);
    expect(new Set(attempts.slice(5))).toEqual(new Set([429]));
    // The owner's whole quota (3 per minute) is still there, and still enforced.
    const own = [];
    for (let i = 0; i < 4; i++) {
      own.push(
        (await postMessage(direct, '127.0.0.4', owner.sessionId, owner.token, `m${i}`)).status,
      );
    }
    expect(own).toEqual([202, 202, 202, 429]);
    expect((await listMessages(direct, '127.0.0.4', owner.sessionId, owner.token)).status).toBe(
      200,
    );
  });

  it('serves a visitor their own valid session from an IP that used up its failures', async () => {
    // An attacker and a visitor behind one IP (a shared proxy or NAT).
    const visitor = await sessionFrom(direct, '127.0.0.13');
    const victim = await sessionFrom(direct, '127.0.0.14');
    const attempts = [];
    for (let i = 0; i < 7; i++) {
      attempts.push(
        (await postMessage(direct, '127.0.0.13', victim.sessionId, forgedToken(), 'x')).status,
      );
    }
    expect(attempts).toEqual([401, 401, 401, 401, 401, 429, 429]);
    // The visitor's own session is served from that IP, reading and writing…
    expect(
      (await postMessage(direct, '127.0.0.13', visitor.sessionId, visitor.token, 'hola')).status,
    ).toBe(202);
    expect(
      (await listMessages(direct, '127.0.0.13', visitor.sessionId, visitor.token)).status,
    ).toBe(200);
    // …while wrong credentials from it stay refused, and the block was audited once, by a hash.
    expect((await listMessages(direct, '127.0.0.13', forgedId(), visitor.token)).status).toBe(429);
    const blocks = await AuditEntry.countDocuments({
      action: 'throttle.blocked',
      targetId: 'webchat-auth',
      actor: { $regex: /^ip:[0-9a-f]{16}$/ },
    });
    expect(blocks).toBeGreaterThanOrEqual(1);
    const all = JSON.stringify(await AuditEntry.find({ action: 'throttle.blocked' }).lean());
    expect(all).not.toContain('127.0.0.13');
    expect(all).not.toContain(visitor.token);
  });

  it('creates nothing for a refused request', async () => {
    const before = await Contact.countDocuments();
    const res = await postMessage(direct, '127.0.0.8', forgedId(), forgedToken(), 'hola');
    expect(res.status).toBe(404);
    expect(res.body).toEqual({ error: { code: 'not_found', message: expect.any(String) } });
    expect(await Contact.countDocuments()).toBe(before);
  });
});

describe('stream connects', () => {
  const sockets: WebSocket[] = [];
  afterAll(() => {
    for (const s of sockets) s.terminate();
  });

  /** Resolves with how the connect ended: 'open', a close code, or the refused upgrade's status. */
  function connect(ip: string, sessionId: string, token: string): Promise<string | number> {
    const base = direct.url.replace(/^http/, 'ws');
    const url = `${base}/api/webchat/sessions/${sessionId}/stream?token=${encodeURIComponent(token)}`;
    const socket = new WebSocket(url, { localAddress: ip });
    sockets.push(socket);
    return new Promise((resolve) => {
      socket.on('error', () => undefined);
      socket.on('unexpected-response', (_req, res) => resolve(`http ${res.statusCode}`));
      socket.on('open', () => setTimeout(() => resolve('open'), 100));
      socket.on('close', (code) => resolve(code));
    });
  }

  it('limits WebSocket connects per client IP', async () => {
    const s = await sessionFrom(direct, '127.0.0.9');
    const outcomes = [];
    for (let i = 0; i < 10; i++) outcomes.push(await connect('127.0.0.9', s.sessionId, s.token));
    expect(outcomes.slice(0, 8)).toEqual(Array(8).fill('open'));
    expect(outcomes.slice(8)).toEqual(['http 429', 'http 429']);
    // Another client is not affected.
    expect(await connect('127.0.0.10', s.sessionId, s.token)).toBe('open');
  });

  it("counts forged connects against the IP's failures (close 4404/4401, then 4429)", async () => {
    const s = await sessionFrom(direct, '127.0.0.11');
    const outcomes = [];
    for (let i = 0; i < 3; i++) outcomes.push(await connect('127.0.0.12', forgedId(), s.token));
    for (let i = 0; i < 2; i++) outcomes.push(await connect('127.0.0.12', s.sessionId, 'forged'));
    outcomes.push(await connect('127.0.0.12', s.sessionId, forgedToken()));
    outcomes.push(await connect('127.0.0.12', forgedId(), s.token));
    expect(outcomes).toEqual([4404, 4404, 4404, 4401, 4401, 4429, 4429]);
    // A valid session still connects from that IP.
    expect(await connect('127.0.0.12', s.sessionId, s.token)).toBe('open');
    expect(await connect('127.0.0.11', s.sessionId, s.token)).toBe('open');
  });
});
