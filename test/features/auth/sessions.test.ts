/**
 * Staff sign-in against a real Charla (FerretDB + Redis): login, the same 401 for a wrong email
 * or password, me/logout, the cookie's attributes, CSRF on cookie writes (not on bearer), idle
 * expiry, and a disabled or deleted user's session ending at once.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../support/app.js';
import {
  asAdminToken,
  call,
  PASSWORD,
  sessionCookieOf,
  signIn,
  staffWithRole,
} from './staff-client.js';

describe('staff sessions', () => {
  let app: TestApp;
  beforeAll(async () => {
    // 0.001 h = 3.6 s idle expiry, so the test can watch a session expire.
    app = await startTestApp({ SESSION_HOURS: '0.001' });
  });
  afterAll(async () => app?.stop());

  it('signs in with email and password: user, CSRF token and an HttpOnly Lax cookie', async () => {
    const created = await call(app, 'POST', '/api/users', {
      body: { email: ' Ana@Example.com ', name: 'Ana', role: 'marketer', password: PASSWORD },
      headers: asAdminToken,
    });
    expect(created.status).toBe(201);
    expect(created.body).toEqual({
      id: expect.stringMatching(/^[0-9a-f]{24}$/),
      email: 'ana@example.com',
      name: 'Ana',
      role: 'marketer',
      // A password was given: no invitation, no temporary password.
      invitation: 'none',
      invitationExpiresAt: null,
      temporaryPassword: null,
    });

    const res = await call(app, 'POST', '/api/auth/login', {
      body: { email: 'ANA@example.com', password: PASSWORD },
    });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      user: {
        id: created.body.id,
        email: 'ana@example.com',
        name: 'Ana',
        role: 'marketer',
        mustChangePassword: false,
      },
      csrfToken: expect.stringMatching(/^[\w-]{40,}$/),
    });
    const setCookie = res.headers.getSetCookie().find((c) => c.startsWith('charla_session='))!;
    expect(setCookie).toMatch(/HttpOnly/i);
    expect(setCookie).toMatch(/SameSite=Lax/i);
    expect(setCookie).toMatch(/Path=\//);
    expect(setCookie).not.toMatch(/Secure/i); // PUBLIC_URL is not https here
    expect(sessionCookieOf(res)!.length).toBeGreaterThan('charla_session='.length + 40);

    const me = await call(app, 'GET', '/api/auth/me', {
      headers: { cookie: sessionCookieOf(res)! },
    });
    expect(me.status).toBe(200);
    expect(me.body).toEqual(res.body);
  });

  it('answers a wrong password and an unknown email with the same 401', async () => {
    await staffWithRole(app, 'viewer').then((s) => s); // an account exists
    const wrongPassword = await call(app, 'POST', '/api/auth/login', {
      body: { email: 'ana@example.com', password: 'not the password' },
    });
    const unknownEmail = await call(app, 'POST', '/api/auth/login', {
      body: { email: 'nobody@example.com', password: PASSWORD },
    });
    expect(wrongPassword.status).toBe(401);
    expect(unknownEmail.status).toBe(401);
    expect(wrongPassword.body).toEqual(unknownEmail.body);
    expect(wrongPassword.body.error.code).toBe('invalid_credentials');
    expect(sessionCookieOf(wrongPassword)).toBeUndefined();
  });

  it('GET /api/auth/me is 401 without a session, and logout ends the session', async () => {
    expect((await call(app, 'GET', '/api/auth/me')).status).toBe(401);
    expect(
      (await call(app, 'GET', '/api/auth/me', { headers: { cookie: 'charla_session=forged' } }))
        .status,
    ).toBe(401);

    const staff = await staffWithRole(app, 'agent');
    expect((await staff.call('GET', '/api/auth/me')).status).toBe(200);
    const noCsrf = await staff.call('POST', '/api/auth/logout', undefined, { csrf: false });
    expect(noCsrf.status).toBe(403);
    expect(noCsrf.body.error.code).toBe('csrf');
    const out = await staff.call('POST', '/api/auth/logout');
    expect(out.status).toBe(204);
    expect(out.headers.getSetCookie().join()).toMatch(/charla_session=;/);
    expect((await staff.call('GET', '/api/auth/me')).status).toBe(401);
    expect((await staff.call('GET', '/api/leads')).status).toBe(401);
  });

  it('needs x-csrf-token on cookie writes, and not on bearer writes', async () => {
    const admin = await staffWithRole(app, 'admin');
    const body = {
      email: `csrf-${Date.now()}@example.com`,
      name: 'C',
      role: 'viewer',
      password: PASSWORD,
    };
    const without = await admin.call('POST', '/api/users', body, { csrf: false });
    expect(without.status).toBe(403);
    expect(without.body.error.code).toBe('csrf');
    const wrong = await call(app, 'POST', '/api/users', {
      body,
      headers: { cookie: admin.cookie, 'x-csrf-token': `${admin.csrfToken}x` },
    });
    expect(wrong.status).toBe(403);
    // Nothing was created by the refused requests.
    const list = await call(app, 'GET', '/api/users?limit=200', { headers: asAdminToken });
    expect(list.body.items.map((u: { email: string }) => u.email)).not.toContain(body.email);

    expect((await admin.call('POST', '/api/users', body)).status).toBe(201);
    // Reads need no CSRF token.
    expect((await admin.call('GET', '/api/users', undefined, { csrf: false })).status).toBe(200);
    // The bearer needs none either.
    const bearer = await call(app, 'POST', '/api/users', {
      body: { ...body, email: `b-${body.email}` },
      headers: asAdminToken,
    });
    expect(bearer.status).toBe(201);
  });

  it('expires a session after SESSION_HOURS without use; use renews it', async () => {
    const staff = await staffWithRole(app, 'viewer');
    // 3.6 s idle limit: five uses 1 s apart keep it alive past 3.6 s in total...
    for (let i = 0; i < 5; i++) {
      await new Promise((r) => setTimeout(r, 1000));
      expect((await staff.call('GET', '/api/auth/me')).status).toBe(200);
    }
    // ...then 4.2 s of silence end it.
    await new Promise((r) => setTimeout(r, 4200));
    expect((await staff.call('GET', '/api/auth/me')).status).toBe(401);
    expect((await staff.call('GET', '/api/leads')).status).toBe(401);
  });

  it("ends a user's sessions at once when they are disabled or deleted", async () => {
    const disabled = await staffWithRole(app, 'agent');
    expect((await disabled.call('GET', '/api/auth/me')).status).toBe(200);
    const patch = await call(app, 'PATCH', `/api/users/${disabled.user.id}`, {
      body: { disabled: true },
      headers: asAdminToken,
    });
    expect(patch.status).toBe(200);
    expect(patch.body.disabled).toBe(true);
    expect((await disabled.call('GET', '/api/auth/me')).status).toBe(401);
    // Re-enabling does not bring the old session back; a disabled user cannot sign in.
    await expect(signIn(app, disabled.user.email, PASSWORD)).rejects.toThrow(/login 401/);
    await call(app, 'PATCH', `/api/users/${disabled.user.id}`, {
      body: { disabled: false },
      headers: asAdminToken,
    });
    expect((await disabled.call('GET', '/api/auth/me')).status).toBe(401);
    expect((await signIn(app, disabled.user.email, PASSWORD)).user.id).toBe(disabled.user.id);

    const deleted = await staffWithRole(app, 'marketer');
    expect((await deleted.call('GET', '/api/leads')).status).toBe(200);
    const del = await call(app, 'DELETE', `/api/users/${deleted.user.id}`, {
      headers: asAdminToken,
    });
    expect(del.status).toBe(204);
    expect((await deleted.call('GET', '/api/leads')).status).toBe(401);
    await expect(signIn(app, deleted.user.email, PASSWORD)).rejects.toThrow(/login 401/);
  });

  it('applies a role change to the next request of an open session', async () => {
    const staff = await staffWithRole(app, 'viewer');
    expect((await staff.call('GET', '/api/users')).status).toBe(403);
    await call(app, 'PATCH', `/api/users/${staff.user.id}`, {
      body: { role: 'admin' },
      headers: asAdminToken,
    });
    expect((await staff.call('GET', '/api/users')).status).toBe(200);
  });
});
