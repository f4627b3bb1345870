/**
 * Two-factor sign-in against a real Charla, Redis and database, with codes from a real TOTP
 * generator (otpauth): enrolment (secret + otpauth URI, confirm with a code, ten recovery codes),
 * sign-in in two steps (no session until the code), a code used once (no replay), a recovery code
 * used once, wrong codes counting against the login throttle, the admin's "require two-factor for
 * all staff" (enrolment after the password), an admin's reset, audit entries, and no secret in the
 * application log.
 */
import { Writable } from 'node:stream';
import { Secret, TOTP } from 'otpauth';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Types } from 'mongoose';
import { AuditEntry } from '../../../src/kernel/db/models/audit-entry.js';
import { StaffTwoFactor } from '../../../src/kernel/db/models/staff-two-factor.js';
import { createLogger } from '../../../src/kernel/logger.js';
import { startTestApp, type TestApp } from '../../support/app.js';
import { requestFrom } from '../../support/from-ip.js';
import {
  asAdminToken,
  call,
  PASSWORD,
  sessionCookieOf,
  signIn,
  staffOf,
  type Answer,
  type Staff,
} from './staff-client.js';

const codeAt = (secret: string, timestamp: number) =>
  new TOTP({ secret: Secret.fromBase32(secret), digits: 6, period: 30 }).generate({ timestamp });

let counter = 0;
async function newUser(app: TestApp, role = 'agent'): Promise<{ email: string; id: string }> {
  counter += 1;
  const email = `tf-${counter}-${Date.now()}@example.com`;
  const res = await call(app, 'POST', '/api/users', {
    body: { email, name: `Two Factor ${counter}`, role, password: PASSWORD },
    headers: asAdminToken,
  });
  expect(res.status).toBe(201);
  return { email, id: res.body.id };
}

const login = (app: TestApp, email: string, password = PASSWORD) =>
  call(app, 'POST', '/api/auth/login', { body: { email, password } });

const verify = (app: TestApp, pendingToken: string, code: string) =>
  call(app, 'POST', '/api/auth/two-factor/verify', { body: { pendingToken, code } });

/** A JSON POST from a given loopback source address (its own client IP for the throttle). */
const postFrom = (app: TestApp, localAddress: string, path: string, body: unknown) =>
  requestFrom(localAddress, `${app.url}${path}`, { method: 'POST', body });

const staffFrom = (app: TestApp, res: Answer): Staff =>
  staffOf(app, sessionCookieOf(res)!, res.body.csrfToken, res.body.user);

/** Signs in and turns two-factor on; answers the secret, the recovery codes and the time used. */
async function enrolled(app: TestApp, email: string) {
  const staff = await signIn(app, email, PASSWORD);
  const start = await staff.call('POST', '/api/auth/two-factor/enrolment');
  expect(start.status).toBe(200);
  const t0 = Date.now();
  const confirm = await staff.call('POST', '/api/auth/two-factor/enrolment/confirm', {
    code: codeAt(start.body.secret, t0),
  });
  expect(confirm.status).toBe(200);
  return { staff, secret: start.body.secret as string, codes: confirm.body.recoveryCodes, t0 };
}

describe('two-factor sign-in', () => {
  let app: TestApp;
  const logLines: string[] = [];
  const sink = new Writable({
    write(chunk, _enc, done) {
      logLines.push(chunk.toString());
      done();
    },
  });

  beforeAll(async () => {
    app = await startTestApp(
      {},
      {
        logger: createLogger('debug', sink),
        auth: { throttle: { freeFailures: 3, baseDelayMs: 60_000 } },
      },
    );
  });
  afterAll(async () => app?.stop());

  it('enrols with a secret and otpauth URI, a wrong code refused, then ten recovery codes', async () => {
    const { email, id } = await newUser(app);
    const staff = await signIn(app, email, PASSWORD);
    const start = await staff.call('POST', '/api/auth/two-factor/enrolment');
    expect(start.status).toBe(200);
    expect(start.body.secret).toMatch(/^[A-Z2-7]{32}$/);
    const uri = new URL(start.body.uri);
    expect(uri.protocol).toBe('otpauth:');
    expect(uri.searchParams.get('secret')).toBe(start.body.secret);
    expect(uri.searchParams.get('issuer')).toBe('Charla');

    const wrong = await staff.call('POST', '/api/auth/two-factor/enrolment/confirm', {
      code: codeAt(start.body.secret, Date.now() - 10 * 60_000),
    });
    expect(wrong.status).toBe(400);
    expect(wrong.body.error.code).toBe('two_factor_code_invalid');
    expect((await staff.call('GET', '/api/auth/two-factor')).body.enabled).toBe(false);

    const confirm = await staff.call('POST', '/api/auth/two-factor/enrolment/confirm', {
      code: codeAt(start.body.secret, Date.now()),
    });
    expect(confirm.status).toBe(200);
    expect(confirm.body.recoveryCodes).toHaveLength(10);
    expect(new Set(confirm.body.recoveryCodes).size).toBe(10);
    const status = await staff.call('GET', '/api/auth/two-factor');
    expect(status.body).toEqual({ enabled: true, recoveryCodesLeft: 10, required: false });
    expect(
      await AuditEntry.countDocuments({ action: 'auth.two_factor_enabled', targetId: id }),
    ).toBe(1);
    // Neither the secret nor a recovery code reaches the log.
    const log = logLines.join('');
    expect(log).not.toContain(start.body.secret);
    expect(log).not.toContain(confirm.body.recoveryCodes[0]);
  });

  it('signs in in two steps; a TOTP code is good once, a wrong one is refused', async () => {
    const { email } = await newUser(app);
    const { secret, t0 } = await enrolled(app, email);

    const first = await login(app, email);
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ twoFactor: 'verify', expiresInSeconds: 300 });
    expect(first.body.user).toBeUndefined();
    expect(sessionCookieOf(first)).toBeUndefined();

    // The code that confirmed the enrolment is spent: replaying it fails.
    const replay = await verify(app, first.body.pendingToken, codeAt(secret, t0));
    expect(replay.status).toBe(401);
    expect(replay.body.error.code).toBe('two_factor_code_invalid');

    const ok = await verify(app, first.body.pendingToken, codeAt(secret, t0 + 30_000));
    expect(ok.status).toBe(200);
    expect(ok.body.user.email).toBe(email);
    const staff = staffFrom(app, ok);
    expect((await staff.call('GET', '/api/auth/me')).status).toBe(200);
    // The pending token is spent with the sign-in.
    expect((await verify(app, first.body.pendingToken, codeAt(secret, t0 + 30_000))).status).toBe(
      401,
    );
    // The same code in a new sign-in: replay refused.
    const again = await login(app, email);
    expect((await verify(app, again.body.pendingToken, codeAt(secret, t0 + 30_000))).status).toBe(
      401,
    );
    const failures = await AuditEntry.countDocuments({
      action: 'auth.login_failed',
      'details.reason': 'two_factor_code',
      targetId: staff.user.id,
    });
    expect(failures).toBe(2);
  });

  it('accepts each recovery code once', async () => {
    const { email } = await newUser(app);
    const { codes } = await enrolled(app, email);
    const first = await login(app, email);
    const ok = await verify(app, first.body.pendingToken, codes[3].toUpperCase());
    expect(ok.status).toBe(200);
    const status = await staffFrom(app, ok).call('GET', '/api/auth/two-factor');
    expect(status.body.recoveryCodesLeft).toBe(9);
    const second = await login(app, email);
    expect((await verify(app, second.body.pendingToken, codes[3])).status).toBe(401);
    expect((await verify(app, second.body.pendingToken, codes[4])).status).toBe(200);
    const audit = await AuditEntry.findOne({
      action: 'auth.login',
      targetId: ok.body.user.id,
      'details.twoFactor': 'recovery',
    }).lean();
    expect(audit).not.toBeNull();
  });

  it('counts wrong codes against the login throttle (then even the password is refused)', async () => {
    // From a client address of its own, so the other tests' failures do not count here.
    const from = '127.0.0.3';
    const { email } = await newUser(app);
    const { secret } = await enrolled(app, email);
    const first = await postFrom(app, from, '/api/auth/login', { email, password: PASSWORD });
    expect(first.body.twoFactor).toBe('verify');
    const pendingToken = first.body.pendingToken;
    for (let i = 0; i < 4; i++) {
      const wrong = await postFrom(app, from, '/api/auth/two-factor/verify', {
        pendingToken,
        code: `12345${i}`,
      });
      expect(wrong.status).toBe(401);
    }
    const blocked = await postFrom(app, from, '/api/auth/two-factor/verify', {
      pendingToken,
      code: codeAt(secret, Date.now() + 30_000),
    });
    expect(blocked.status).toBe(429);
    expect(Number(blocked.headers['retry-after'])).toBeGreaterThan(0);
    const password = await postFrom(app, from, '/api/auth/login', { email, password: PASSWORD });
    expect(password.status).toBe(429);
  });

  it('rejects bad input with 4xx and changes nothing', async () => {
    expect((await verify(app, 'x'.repeat(40), '123456')).status).toBe(401);
    expect((await verify(app, 'short', '123456')).status).toBe(400);
    const { email } = await newUser(app);
    const first = await login(app, email);
    expect(first.body.user.email).toBe(email); // no two-factor: one step
    const staff = staffFrom(app, first);
    expect((await staff.call('POST', '/api/auth/two-factor/enrolment/confirm', {})).status).toBe(
      400,
    );
    const notStarted = await staff.call('POST', '/api/auth/two-factor/enrolment/confirm', {
      code: '123456',
    });
    expect(notStarted.status).toBe(409);
    expect(
      (await call(app, 'POST', '/api/auth/two-factor/enrolment', { headers: asAdminToken })).status,
    ).toBe(403);
  });

  it('admins require two-factor: staff without it enrol after the password, then get a session', async () => {
    const { email } = await newUser(app, 'marketer');
    const marketer = await signIn(app, email, PASSWORD);
    expect(
      (await marketer.call('PUT', '/api/auth/two-factor/policy', { required: true })).status,
    ).toBe(403);
    const set = await call(app, 'PUT', '/api/auth/two-factor/policy', {
      body: { required: true },
      headers: asAdminToken,
    });
    expect(set.status).toBe(200);
    try {
      const first = await login(app, email);
      expect(first.body).toMatchObject({ twoFactor: 'enrol' });
      expect(sessionCookieOf(first)).toBeUndefined();
      // The enrolment token is not a verify token.
      expect((await verify(app, first.body.pendingToken, '123456')).status).toBe(409);
      const start = await call(app, 'POST', '/api/auth/two-factor/pending-enrolment', {
        body: { pendingToken: first.body.pendingToken },
      });
      expect(start.status).toBe(200);
      const done = await call(app, 'POST', '/api/auth/two-factor/pending-enrolment/confirm', {
        body: {
          pendingToken: first.body.pendingToken,
          code: codeAt(start.body.secret, Date.now()),
        },
      });
      expect(done.status).toBe(200);
      expect(done.body.recoveryCodes).toHaveLength(10);
      const staff = staffFrom(app, done);
      expect((await staff.call('GET', '/api/auth/me')).body.user.email).toBe(email);
      // While required, it cannot be turned off.
      const off = await staff.call('POST', '/api/auth/two-factor/disable', {
        code: done.body.recoveryCodes[0],
      });
      expect(off.status).toBe(409);
      expect((await login(app, email)).body.twoFactor).toBe('verify');
      const policyAudit = await AuditEntry.findOne({ action: 'auth.two_factor_policy' }).lean();
      expect(policyAudit?.after).toEqual({ required: true });
    } finally {
      await call(app, 'PUT', '/api/auth/two-factor/policy', {
        body: { required: false },
        headers: asAdminToken,
      });
    }
  });

  it("an admin resets a user's two-factor (audited); a user turns their own off with a code", async () => {
    const { email, id } = await newUser(app);
    await enrolled(app, email);
    expect((await login(app, email)).body.twoFactor).toBe('verify');
    const agent = await signIn(app, (await newUser(app)).email, PASSWORD);
    expect((await agent.call('DELETE', `/api/users/${id}/two-factor`)).status).toBe(403);
    const reset = await call(app, 'DELETE', `/api/users/${id}/two-factor`, {
      headers: asAdminToken,
    });
    expect(reset.status).toBe(204);
    expect(await AuditEntry.countDocuments({ action: 'auth.two_factor_reset', targetId: id })).toBe(
      1,
    );
    expect((await login(app, email)).body.user.email).toBe(email);
    expect(
      (
        await call(app, 'DELETE', `/api/users/${'0'.repeat(24)}/two-factor`, {
          headers: asAdminToken,
        })
      ).status,
    ).toBe(404);

    const other = await newUser(app);
    const { staff, codes } = await enrolled(app, other.email);
    expect(
      (await staff.call('POST', '/api/auth/two-factor/disable', { code: '000000' })).status,
    ).toBe(400);
    expect(
      (await staff.call('POST', '/api/auth/two-factor/disable', { code: codes[0] })).status,
    ).toBe(204);
    expect((await login(app, other.email)).body.user.email).toBe(other.email);
  });

  it('keeps the TOTP secret encrypted at rest; a plaintext one from before still works and is sealed on use', async () => {
    const { email, id } = await newUser(app);
    const { secret, t0 } = await enrolled(app, email);
    const userId = new Types.ObjectId(id);
    const stored = await StaffTwoFactor.collection.findOne({ userId });
    expect(stored).not.toBeNull();
    const raw = JSON.stringify(stored);
    expect(raw).not.toContain(secret);
    expect(raw).not.toContain(secret.toLowerCase());
    expect(String(stored!.secret)).toMatch(/^enc:v1:/);

    // A row written before encryption (the plain base32 secret) signs in and is then sealed.
    await StaffTwoFactor.collection.updateOne({ userId }, { $set: { secret, lastStep: 0 } });
    const first = await login(app, email);
    expect(first.body.twoFactor).toBe('verify');
    const ok = await verify(app, first.body.pendingToken, codeAt(secret, t0 + 30_000));
    expect(ok.status).toBe(200);
    const resealed = await StaffTwoFactor.collection.findOne({ userId });
    expect(String(resealed!.secret)).toMatch(/^enc:v1:/);
    expect(JSON.stringify(resealed)).not.toContain(secret);
  });
});
