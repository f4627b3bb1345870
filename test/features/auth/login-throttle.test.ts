/**
 * The login throttle against a real Charla and Redis: 10 failures for one email, or from one IP,
 * within the window → 429 (even with the right password) until the window passes (shown with a
 * shortened window); a failed sign-in is audited with the email masked and the IP hashed, and no
 * password reaches the audit log or the application log. Clients come from different loopback addresses (127.0.0.x), so
 * req.ip differs per "client" without trusting X-Forwarded-For.
 */
import { request } from 'node:http';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuditEntry } from '../../../src/kernel/db/models/audit-entry.js';
import { createLogger } from '../../../src/kernel/logger.js';
import { startTestApp, type TestApp } from '../../support/app.js';
import { asAdminToken, call, PASSWORD, type Json } from './staff-client.js';

const waitOut = (retryAfterSeconds: string | undefined) =>
  new Promise((r) => setTimeout(r, Number(retryAfterSeconds) * 1000 + 300));

/** POST /api/auth/login from a given loopback source address. */
function loginFrom(
  app: TestApp,
  localAddress: string,
  email: string,
  password: string,
): Promise<{ status: number; body: Json; retryAfter?: string }> {
  const url = new URL('/api/auth/login', app.url);
  const body = JSON.stringify({ email, password });
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: url.hostname,
        port: url.port,
        path: url.pathname,
        method: 'POST',
        localAddress,
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
      },
      (res) => {
        let text = '';
        res.on('data', (d: Buffer) => (text += d.toString()));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            body: JSON.parse(text),
            retryAfter: res.headers['retry-after'] as string | undefined,
          }),
        );
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

describe('login throttle', () => {
  let app: TestApp;
  const logLines: string[] = [];

  beforeAll(async () => {
    const sink = new Writable({
      write(chunk, _enc, done) {
        logLines.push(chunk.toString());
        done();
      },
    });
    // The production throttle: 10 failures in 15 minutes.
    app = await startTestApp({}, { logger: createLogger('debug', sink) });
    for (const email of ['eva@example.com', 'ivan@example.com']) {
      const res = await call(app, 'POST', '/api/users', {
        body: { email, name: email.split('@')[0], role: 'agent', password: PASSWORD },
        headers: asAdminToken,
      });
      expect(res.status).toBe(201);
    }
  });
  afterAll(async () => app?.stop());

  it('locks one email after 10 failures, from any IP', async () => {
    for (let i = 0; i < 10; i++) {
      // Each failure from another address: only the email's count reaches 10.
      const res = await loginFrom(app, `127.0.0.${10 + i}`, 'eva@example.com', `wrong ${i}`);
      expect(res.status).toBe(401);
    }
    const locked = await loginFrom(app, '127.0.0.50', 'eva@example.com', PASSWORD);
    expect(locked.status).toBe(429);
    expect(locked.body.error.code).toBe('login_throttled');
    expect(Number(locked.retryAfter)).toBeGreaterThan(0);
    expect(Number(locked.retryAfter)).toBeLessThanOrEqual(15 * 60);
    expect(Number(locked.retryAfter)).toBeGreaterThan(14 * 60);
    // Another account from the same addresses is not affected.
    expect((await loginFrom(app, '127.0.0.10', 'ivan@example.com', PASSWORD)).status).toBe(200);
  });

  it('locks one IP after 10 failures, for every email', async () => {
    const ip = '127.0.0.77';
    for (let i = 0; i < 10; i++) {
      const res = await loginFrom(app, ip, `nobody${i}@example.com`, 'whatever password');
      expect(res.status).toBe(401);
    }
    expect((await loginFrom(app, ip, 'ivan@example.com', PASSWORD)).status).toBe(429);
    // Other addresses still sign in.
    expect((await loginFrom(app, '127.0.0.78', 'ivan@example.com', PASSWORD)).status).toBe(200);
  });

  it('audits failed sign-ins with the email masked and the IP hashed, never the password', async () => {
    await loginFrom(app, '127.0.0.90', 'ivan@example.com', 'secret-guess-123');
    const entry = await AuditEntry.findOne({ action: 'auth.login_failed' })
      .sort({ createdAt: -1, _id: -1 })
      .lean();
    expect(entry).toMatchObject({
      actor: expect.stringMatching(/^ip:[0-9a-f]{16}$/),
      targetType: 'user',
      details: { email: 'i***@example.com', reason: 'wrong_password' },
    });
    const all = JSON.stringify(await AuditEntry.find().lean());
    expect(all).not.toContain('secret-guess-123');
    expect(all).not.toContain(PASSWORD);
    expect(all).not.toContain('127.0.0.90');
    expect(all).not.toContain('ivan@example.com');
    const successes = await AuditEntry.countDocuments({ action: 'auth.login' });
    expect(successes).toBe(2); // ivan from 127.0.0.10 and 127.0.0.78

    const log = logLines.join('');
    expect(log.length).toBeGreaterThan(0);
    expect(log).not.toContain('secret-guess-123');
    expect(log).not.toContain(PASSWORD);
    expect(log).not.toContain('ivan@example.com');
  });
});

describe('login throttle window', () => {
  let app: TestApp;
  beforeAll(async () => {
    // The same throttle with a short window and a low count (options of createCharla), so the
    // test can see the window pass.
    app = await startTestApp({}, { auth: { throttle: { maxFailures: 2, windowMs: 3000 } } });
    for (const email of ['olga@example.com', 'pia@example.com']) {
      const res = await call(app, 'POST', '/api/users', {
        body: { email, name: 'Staff', role: 'viewer', password: PASSWORD },
        headers: asAdminToken,
      });
      expect(res.status).toBe(201);
    }
  });
  afterAll(async () => app?.stop());

  it('lets an email and an IP in again once the window has passed', async () => {
    await loginFrom(app, '127.0.0.21', 'olga@example.com', 'wrong one');
    await loginFrom(app, '127.0.0.22', 'olga@example.com', 'wrong two');
    const emailLocked = await loginFrom(app, '127.0.0.23', 'olga@example.com', PASSWORD);
    expect(emailLocked.status).toBe(429);
    await loginFrom(app, '127.0.0.31', 'x@example.com', 'wrong');
    await loginFrom(app, '127.0.0.31', 'y@example.com', 'wrong');
    const ipLocked = await loginFrom(app, '127.0.0.31', 'pia@example.com', PASSWORD);
    expect(ipLocked.status).toBe(429);
    // pia's own email has no failures: the IP is what is locked.
    expect((await loginFrom(app, '127.0.0.32', 'pia@example.com', PASSWORD)).status).toBe(200);

    // Both windows opened within the last moments: wait out the later one, then both are open.
    const later = Math.max(Number(emailLocked.retryAfter), Number(ipLocked.retryAfter));
    await waitOut(String(later));
    expect((await loginFrom(app, '127.0.0.23', 'olga@example.com', PASSWORD)).status).toBe(200);
    expect((await loginFrom(app, '127.0.0.31', 'pia@example.com', PASSWORD)).status).toBe(200);
  });
});
