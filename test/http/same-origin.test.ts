/**
 * Issue 24 item 3: login CSRF. Sign-in used to accept a form (the Slack form parser was app-wide),
 * so any page could sign a visiting staff member into an attacker's account. Now sign-in and
 * every cookie-authenticated change take same-origin JSON only: 415 for another body type, 403
 * `cross_site` for an Origin other than PUBLIC_URL or a cross-site Sec-Fetch-Site. Bearer-token
 * clients and Slack's form routes are unaffected.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/app.js';
import {
  asAdminToken,
  call,
  PASSWORD,
  sessionCookieOf,
  staffWithRole,
  type Staff,
} from '../features/auth/staff-client.js';

const PUBLIC_URL = 'http://charla.test:8080';

describe('same-origin JSON for sign-in and cookie-authenticated changes', () => {
  let app: TestApp;
  let admin: Staff;

  beforeAll(async () => {
    app = await startTestApp({ PUBLIC_URL });
    admin = await staffWithRole(app, 'admin');
  });
  afterAll(async () => {
    await app?.stop();
  });

  const login = (body: string, headers: Record<string, string>) =>
    fetch(`${app.url}/api/auth/login`, { method: 'POST', headers, body });
  const credentials = () => ({ email: admin.user.email, password: PASSWORD });

  it('refuses a form or text/plain sign-in with 415, setting no cookie', async () => {
    const form = new URLSearchParams(credentials()).toString();
    for (const [type, body] of [
      ['application/x-www-form-urlencoded', form],
      ['text/plain', JSON.stringify(credentials())],
      ['multipart/form-data; boundary=x', `--x\r\n\r\n${form}\r\n--x--`],
    ] as const) {
      const res = await login(body, { 'content-type': type });
      expect(res.status, type).toBe(415);
      expect(await res.json()).toMatchObject({ error: { code: 'unsupported_media_type' } });
      expect(res.headers.getSetCookie()).toEqual([]);
    }
  });

  it('refuses a JSON sign-in from another origin or a cross-site fetch with 403', async () => {
    const attempts: Array<Record<string, string>> = [
      { origin: 'https://evil.example' },
      { origin: 'null' },
      { 'sec-fetch-site': 'cross-site' },
      { 'sec-fetch-site': 'same-site' },
    ];
    for (const headers of attempts) {
      const res = await login(JSON.stringify(credentials()), {
        'content-type': 'application/json',
        ...headers,
      });
      expect(res.status, JSON.stringify(headers)).toBe(403);
      expect(await res.json()).toMatchObject({ error: { code: 'cross_site' } });
      expect(res.headers.getSetCookie()).toEqual([]);
    }
  });

  it('signs in from PUBLIC_URL (and from a client that sends no Origin)', async () => {
    const res = await login(JSON.stringify(credentials()), {
      'content-type': 'application/json; charset=utf-8',
      origin: PUBLIC_URL,
      'sec-fetch-site': 'same-origin',
    });
    expect(res.status).toBe(200);
    const plain = await call(app, 'POST', '/api/auth/login', { body: credentials() });
    expect(plain.status).toBe(200);
    expect(sessionCookieOf(plain)).toBeDefined();
  });

  it('a cookie-authenticated change: JSON from PUBLIC_URL only', async () => {
    const path = '/api/users';
    const user = (n: string) =>
      JSON.stringify({ email: `so-${n}@example.com`, name: n, role: 'viewer', password: PASSWORD });
    const session = { cookie: admin.cookie, 'x-csrf-token': admin.csrfToken };
    const post = (headers: Record<string, string>, body: string) =>
      fetch(`${app.url}${path}`, { method: 'POST', headers: { ...session, ...headers }, body });

    const asText = await post({ 'content-type': 'text/plain' }, user('text'));
    expect(asText.status).toBe(415);
    const crossSite = await post(
      { 'content-type': 'application/json', origin: 'https://evil.example' },
      user('evil'),
    );
    expect(crossSite.status).toBe(403);
    expect(await crossSite.json()).toMatchObject({ error: { code: 'cross_site' } });
    const sameOrigin = await post(
      { 'content-type': 'application/json', origin: PUBLIC_URL },
      user('ok'),
    );
    expect(sameOrigin.status).toBe(201);
    const users = await call(app, 'GET', '/api/users?limit=200', { headers: asAdminToken });
    const emails = (users.body.items as Array<{ email: string }>).map((u) => u.email);
    expect(emails).toContain('so-ok@example.com');
    expect(emails).not.toContain('so-text@example.com');
    expect(emails).not.toContain('so-evil@example.com');
  });

  it('the admin token is not a browser session: no Origin rule for it', async () => {
    const res = await fetch(`${app.url}/api/users`, {
      method: 'POST',
      headers: {
        ...asAdminToken,
        'content-type': 'application/json',
        origin: 'https://ops.example',
      },
      body: JSON.stringify({
        email: 'so-bearer@example.com',
        name: 'b',
        role: 'viewer',
        password: PASSWORD,
      }),
    });
    expect(res.status).toBe(201);
  });
});
