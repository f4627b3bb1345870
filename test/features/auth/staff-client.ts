/** A tiny staff HTTP client for the auth tests: keeps the session cookie like a browser would. */
import { ADMIN_TOKEN, type TestApp } from '../../support/app.js';

export type Json = any; // eslint-disable-line @typescript-eslint/no-explicit-any

export interface Answer {
  status: number;
  body: Json;
  headers: Headers;
}

export async function call(
  app: TestApp,
  method: string,
  path: string,
  opts: { body?: unknown; headers?: Record<string, string> } = {},
): Promise<Answer> {
  const headers: Record<string, string> = { ...opts.headers };
  if (opts.body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(`${app.url}${path}`, {
    method,
    headers,
    body: opts.body === undefined ? undefined : JSON.stringify(opts.body),
  });
  const text = await res.text();
  let body: Json = text;
  try {
    body = text ? JSON.parse(text) : null;
  } catch {
    // not JSON (metrics, docs)
  }
  return { status: res.status, body, headers: res.headers };
}

export const asAdminToken = { authorization: `Bearer ${ADMIN_TOKEN}` };

/** A signed-in staff member: the cookie and CSRF token of their session. */
export interface Staff {
  cookie: string;
  csrfToken: string;
  user: { id: string; email: string; name: string; role: string };
  /** Sends with the cookie; `csrf: false` leaves the CSRF header out. */
  call(method: string, path: string, body?: unknown, opts?: { csrf?: boolean }): Promise<Answer>;
}

export function sessionCookieOf(res: Answer): string | undefined {
  const set = res.headers.getSetCookie().find((c) => c.startsWith('charla_session='));
  return set?.split(';')[0];
}

export async function signIn(app: TestApp, email: string, password: string): Promise<Staff> {
  const res = await call(app, 'POST', '/api/auth/login', { body: { email, password } });
  if (res.status !== 200) throw new Error(`login ${res.status} ${JSON.stringify(res.body)}`);
  const cookie = sessionCookieOf(res);
  if (!cookie) throw new Error('no session cookie');
  return staffOf(app, cookie, res.body.csrfToken, res.body.user);
}

export function staffOf(
  app: TestApp,
  cookie: string,
  csrfToken: string,
  user: Staff['user'],
): Staff {
  return {
    cookie,
    csrfToken,
    user,
    call: (method, path, body, opts = {}) =>
      call(app, method, path, {
        body,
        headers: {
          cookie,
          ...(opts.csrf === false ? {} : { 'x-csrf-token': csrfToken }),
        },
      }),
  };
}

let counter = 0;
export const PASSWORD = 'correct horse battery';

/** Creates a user with the admin token and signs them in. */
export async function staffWithRole(app: TestApp, role: string): Promise<Staff> {
  counter += 1;
  const email = `${role}-${counter}-${Date.now()}@example.com`;
  const res = await call(app, 'POST', '/api/users', {
    body: { email, name: `${role} ${counter}`, role, password: PASSWORD },
    headers: asAdminToken,
  });
  if (res.status !== 201) throw new Error(`create ${res.status} ${JSON.stringify(res.body)}`);
  return signIn(app, email, PASSWORD);
}
