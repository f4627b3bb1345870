/**
 * The login throttle against a real Charla and Redis (issue 24, item 2). Clients come from
 * different loopback addresses (127.0.0.x), so req.ip differs per "client" without trusting
 * X-Forwarded-For; a browser's device cookie is the `charla_device` a sign-in set.
 *   - An attacker's wrong passwords delay only the attacker's client: the owner signs in with the
 *     right password from any other client (the repro: 12 failures from one IP, then 429 for the
 *     owner everywhere), and from the attacker's IP too with their own device cookie.
 *   - Delays double per failure past the free ones; an account failing from many sources is
 *     locked for unknown devices only; an IP spraying many accounts waits, known devices do not.
 *   - Every throttle event is audited, with the email masked and the IP hashed, and no password
 *     reaches the audit log or the application log.
 */
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuditEntry } from '../../../src/kernel/db/models/audit-entry.js';
import { createLogger } from '../../../src/kernel/logger.js';
import { startTestApp, type TestApp } from '../../support/app.js';
import { requestFrom } from '../../support/from-ip.js';
import { asAdminToken, call, PASSWORD, type Json } from './staff-client.js';

interface LoginAnswer {
  status: number;
  body: Json;
  retryAfter?: string;
  /** The device cookie's value, when the answer set one. */
  device?: string;
}

/** POST /api/auth/login from a given loopback source address, with a device cookie or none. */
async function loginFrom(
  app: TestApp,
  ip: string,
  email: string,
  password: string,
  device?: string,
): Promise<LoginAnswer> {
  const res = await requestFrom(ip, `${app.url}/api/auth/login`, {
    method: 'POST',
    body: { email, password },
    headers: device ? { cookie: `charla_device=${device}` } : {},
  });
  const cookies = [res.headers['set-cookie'] ?? []].flat();
  const deviceCookie = cookies.find((c) => c.startsWith('charla_device='));
  return {
    status: res.status,
    body: res.body,
    retryAfter: res.headers['retry-after'] as string | undefined,
    device: deviceCookie ? /^charla_device=([^;]*)/.exec(deviceCookie)?.[1] : undefined,
  };
}

async function createStaff(app: TestApp, emails: string[]) {
  for (const email of emails) {
    const res = await call(app, 'POST', '/api/users', {
      body: { email, name: email.split('@')[0], role: 'agent', password: PASSWORD },
      headers: asAdminToken,
    });
    expect(res.status).toBe(201);
  }
}

const waitOut = (retryAfterSeconds: string | undefined) =>
  new Promise((r) => setTimeout(r, Number(retryAfterSeconds) * 1000 + 300));

describe('login throttle: nobody else can lock you out', () => {
  let app: TestApp;
  const logLines: string[] = [];

  beforeAll(async () => {
    const sink = new Writable({
      write(chunk, _enc, done) {
        logLines.push(chunk.toString());
        done();
      },
    });
    // The production throttle, with a long first delay so that no delay runs out mid-test.
    app = await startTestApp(
      {},
      { logger: createLogger('debug', sink), auth: { throttle: { baseDelayMs: 60_000 } } },
    );
    await createStaff(app, ['eva@example.com', 'ivan@example.com']);
  });
  afterAll(async () => app?.stop());

  it("signs the owner in with the right password after 12 of an attacker's failures", async () => {
    // Before the attack, eva signed in from her laptop: it holds a device cookie.
    const laptop = await loginFrom(app, '127.0.0.9', 'eva@example.com', PASSWORD);
    expect(laptop.status).toBe(200);
    expect(laptop.device).toMatch(/^[A-Za-z0-9_-]{43}$/);

    const attacker = [];
    for (let i = 0; i < 12; i++) {
      attacker.push((await loginFrom(app, '127.0.0.10', 'eva@example.com', `wrong ${i}`)).status);
    }
    // Five free failures, the sixth starts a delay; during it the attacker's client gets 429.
    expect(attacker).toEqual([...Array(6).fill(401), ...Array(6).fill(429)]);
    const delayed = await loginFrom(app, '127.0.0.10', 'eva@example.com', PASSWORD);
    expect(delayed.status).toBe(429);
    expect(delayed.body.error.code).toBe('login_throttled');
    expect(Number(delayed.retryAfter)).toBeGreaterThan(0);
    expect(Number(delayed.retryAfter)).toBeLessThanOrEqual(60);

    // The owner, from any other address, with the email as typed in any case: signed in.
    expect((await loginFrom(app, '127.0.0.11', 'eva@example.com', PASSWORD)).status).toBe(200);
    expect((await loginFrom(app, '127.0.0.12', 'EVA@Example.com', PASSWORD)).status).toBe(200);
    // From the attacker's own IP (a shared proxy), the laptop's device cookie is her client.
    const behindProxy = await loginFrom(
      app,
      '127.0.0.10',
      'eva@example.com',
      PASSWORD,
      laptop.device,
    );
    expect(behindProxy.status).toBe(200);
    expect(behindProxy.device).toBe(laptop.device);
    // Another staff member behind that IP is not affected either.
    expect((await loginFrom(app, '127.0.0.10', 'ivan@example.com', PASSWORD)).status).toBe(200);
  });

  it('gives a made-up device cookie no standing', async () => {
    const forged = 'A'.repeat(43);
    const res = await loginFrom(app, '127.0.0.10', 'eva@example.com', PASSWORD, forged);
    expect(res.status).toBe(429); // still the attacker's IP as a client, still delayed
  });

  it('audits failures and delays with the email masked and the IP hashed, never a secret', async () => {
    const failed = await AuditEntry.countDocuments({ action: 'auth.login_failed' });
    expect(failed).toBe(6); // the refused attempts during the delay cost no verification
    const throttled = await AuditEntry.find({ action: 'auth.login_throttled' }).lean();
    expect(throttled).toHaveLength(1);
    expect(throttled[0]).toMatchObject({
      actor: expect.stringMatching(/^ip:[0-9a-f]{16}$/),
      targetType: 'user',
      details: { scope: 'client', failures: 6, delaySeconds: 60 },
    });
    const entry = await AuditEntry.findOne({ action: 'auth.login_failed' }).lean();
    expect(entry).toMatchObject({
      details: { email: 'e***@example.com', reason: 'wrong_password' },
    });

    const all = JSON.stringify(await AuditEntry.find().lean());
    for (const secret of ['wrong 0', PASSWORD, '127.0.0.10', 'eva@example.com', 'charla_device']) {
      expect(all).not.toContain(secret);
    }
    const log = logLines.join('');
    expect(log.length).toBeGreaterThan(0);
    for (const secret of ['wrong 0', PASSWORD, 'eva@example.com']) {
      expect(log).not.toContain(secret);
    }
  });
});

describe('login throttle: delays, account lock, sprays', () => {
  let app: TestApp;
  beforeAll(async () => {
    // Small numbers (options of createCharla) so that each rule is reached in a few requests.
    app = await startTestApp(
      {},
      {
        auth: {
          throttle: { freeFailures: 1, baseDelayMs: 1000, lockSources: 3, ipMaxFailures: 4 },
        },
      },
    );
    await createStaff(app, ['olga@example.com', 'pia@example.com', 'rui@example.com']);
  });
  afterAll(async () => app?.stop());

  it('doubles the delay with each failure past the free ones, then lets the client in', async () => {
    expect((await loginFrom(app, '127.0.0.20', 'rui@example.com', 'wrong a')).status).toBe(401);
    expect((await loginFrom(app, '127.0.0.20', 'rui@example.com', 'wrong b')).status).toBe(401);
    const first = await loginFrom(app, '127.0.0.20', 'rui@example.com', PASSWORD);
    expect([first.status, first.retryAfter]).toEqual([429, '1']);
    await waitOut(first.retryAfter);
    expect((await loginFrom(app, '127.0.0.20', 'rui@example.com', 'wrong c')).status).toBe(401);
    const second = await loginFrom(app, '127.0.0.20', 'rui@example.com', PASSWORD);
    expect([second.status, second.retryAfter]).toEqual([429, '2']);
    await waitOut(second.retryAfter);
    expect((await loginFrom(app, '127.0.0.20', 'rui@example.com', PASSWORD)).status).toBe(200);
  });

  it('locks an account failing from many sources for unknown devices only, and says so', async () => {
    const office = await loginFrom(app, '127.0.0.30', 'olga@example.com', PASSWORD);
    expect(office.status).toBe(200);
    for (const ip of ['127.0.0.31', '127.0.0.32', '127.0.0.33']) {
      expect((await loginFrom(app, ip, 'olga@example.com', 'guess')).status).toBe(401);
    }
    // A fresh client is refused while the account is locked…
    const fresh = await loginFrom(app, '127.0.0.34', 'olga@example.com', PASSWORD);
    expect(fresh.status).toBe(429);
    expect(fresh.body.error.code).toBe('login_throttled');
    // …her own browser is not, from anywhere.
    expect(
      (await loginFrom(app, '127.0.0.35', 'olga@example.com', PASSWORD, office.device)).status,
    ).toBe(200);
    const locked = await AuditEntry.find({ action: 'auth.account_locked' }).lean();
    expect(locked).toHaveLength(1);
    expect(locked[0]).toMatchObject({
      targetType: 'user',
      targetId: expect.stringMatching(/^[0-9a-f]{24}$/),
      details: { email: 'o***@example.com', sources: 3, minutes: 30 },
    });
  });

  it('makes an IP spraying many accounts wait, except for known devices', async () => {
    const desk = await loginFrom(app, '127.0.0.40', 'pia@example.com', PASSWORD);
    expect(desk.status).toBe(200);
    for (let i = 0; i < 4; i++) {
      const res = await loginFrom(app, '127.0.0.41', `nobody${i}@example.com`, 'whatever');
      expect(res.status).toBe(401);
    }
    expect((await loginFrom(app, '127.0.0.41', 'pia@example.com', PASSWORD)).status).toBe(429);
    expect(
      (await loginFrom(app, '127.0.0.41', 'pia@example.com', PASSWORD, desk.device)).status,
    ).toBe(200);
    expect(await AuditEntry.countDocuments({ 'details.scope': 'ip' })).toBe(1);
  });
});
