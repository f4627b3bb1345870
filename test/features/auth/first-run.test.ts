/**
 * First run against a real Charla: with no account the log shows one setup link; the link's
 * token creates the first admin once (and signs them in), is refused when wrong, spent or
 * expired; ADMIN_EMAIL + ADMIN_PASSWORD create the admin unattended and print no link.
 */
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../../src/kernel/logger.js';
import { AuditEntry } from '../../../src/kernel/db/models/audit-entry.js';
import { startTestApp, type TestApp } from '../../support/app.js';
import { call, PASSWORD, sessionCookieOf, signIn } from './staff-client.js';

function capturingLogger() {
  const lines: string[] = [];
  const sink = new Writable({
    write(chunk, _enc, done) {
      lines.push(...chunk.toString().split('\n').filter(Boolean));
      done();
    },
  });
  return { lines, logger: createLogger('info', sink) };
}

const setupLinks = (lines: string[]) => lines.filter((l) => l.includes('/console/setup?token='));
const tokenOf = (line: string) => /\/console\/setup\?token=([\w-]+)/.exec(line)![1]!;

describe('first run: the setup link', () => {
  let app: TestApp;
  const log = capturingLogger();

  beforeAll(async () => {
    app = await startTestApp({ PUBLIC_URL: 'https://crm.example.com' }, { logger: log.logger });
  });
  afterAll(async () => app?.stop());

  it('logs exactly one setup link under PUBLIC_URL', () => {
    const links = setupLinks(log.lines);
    expect(links).toHaveLength(1);
    expect(links[0]).toContain('https://crm.example.com/console/setup?token=');
    expect(tokenOf(links[0]!).length).toBeGreaterThanOrEqual(40);
  });

  it('creates the first admin once with the token and signs them in', async () => {
    expect((await call(app, 'GET', '/api/auth/setup-status')).body).toEqual({
      setupRequired: true,
    });
    const token = tokenOf(setupLinks(log.lines)[0]!);
    const admin = { email: 'Root@Example.com', name: 'Root', password: PASSWORD };

    const wrong = await call(app, 'POST', '/api/auth/setup', {
      body: { ...admin, token: `${token}x` },
    });
    expect(wrong.status).toBe(403);
    expect(wrong.body.error.code).toBe('setup_token_invalid');
    const short = await call(app, 'POST', '/api/auth/setup', {
      body: { ...admin, token, password: 'short' },
    });
    expect(short.status).toBe(400);
    expect(short.body.error.details[0].path).toBe('password');
    expect((await call(app, 'GET', '/api/auth/setup-status')).body.setupRequired).toBe(true);

    const done = await call(app, 'POST', '/api/auth/setup', { body: { ...admin, token } });
    expect(done.status).toBe(201);
    expect(done.body.user).toMatchObject({
      email: 'root@example.com',
      name: 'Root',
      role: 'admin',
    });
    // Signed in: the cookie works, with the CSRF token it came with.
    const cookie = sessionCookieOf(done)!;
    // Secure, since PUBLIC_URL is https (this test sends it back by hand over http).
    expect(done.headers.getSetCookie().join()).toMatch(/Secure/);
    const me = await call(app, 'GET', '/api/auth/me', { headers: { cookie } });
    expect(me.body).toEqual(done.body);

    const again = await call(app, 'POST', '/api/auth/setup', {
      body: { ...admin, email: 'other@example.com', token },
    });
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('setup_done');
    expect((await call(app, 'GET', '/api/auth/setup-status')).body.setupRequired).toBe(false);
    // The token is gone from Redis (only hashes were ever stored under the prefix).
    const redis = app.charla.services.redis;
    const keys = await redis.keys(`${app.charla.services.config.queuePrefix}:setup-token:*`);
    expect(keys).toEqual([]);

    const audited = await AuditEntry.find({ action: { $in: ['user.create', 'auth.setup'] } })
      .sort({ createdAt: 1, _id: 1 })
      .lean();
    expect(audited.map((e) => [e.action, e.actor.split(':')[0]])).toEqual([
      ['user.create', 'system'],
      ['auth.setup', 'user'],
    ]);
    expect(audited[0]!.after).toEqual({ email: 'r***@example.com', name: '***', role: 'admin' });
  });
});

describe('first run: an expired setup link', () => {
  let app: TestApp;
  const log = capturingLogger();
  beforeAll(async () => {
    app = await startTestApp({}, { logger: log.logger, auth: { setupTokenTtlMs: 300 } });
  });
  afterAll(async () => app?.stop());

  it('refuses the token once its lifetime has passed', async () => {
    const token = tokenOf(setupLinks(log.lines)[0]!);
    await new Promise((r) => setTimeout(r, 500));
    const res = await call(app, 'POST', '/api/auth/setup', {
      body: { token, email: 'late@example.com', name: 'Late', password: PASSWORD },
    });
    expect(res.status).toBe(403);
    expect(res.body.error.code).toBe('setup_token_invalid');
    expect((await call(app, 'GET', '/api/auth/setup-status')).body.setupRequired).toBe(true);
  });
});

describe('first run: ADMIN_EMAIL + ADMIN_PASSWORD', () => {
  let app: TestApp;
  const log = capturingLogger();
  const password = 'unattended admin password';
  beforeAll(async () => {
    app = await startTestApp(
      { ADMIN_EMAIL: 'Ops@Example.com', ADMIN_PASSWORD: password, LOG_LEVEL: 'info' },
      { logger: log.logger },
    );
  });
  afterAll(async () => app?.stop());

  it('creates the first admin unattended, prints no link and logs no secret', async () => {
    expect(setupLinks(log.lines)).toEqual([]);
    expect((await call(app, 'GET', '/api/auth/setup-status')).body.setupRequired).toBe(false);
    const admin = await signIn(app, 'ops@example.com', password);
    expect(admin.user.role).toBe('admin');
    expect((await admin.call('GET', '/api/users')).body.total).toBe(1);
    const created = await AuditEntry.findOne({ action: 'user.create' }).lean();
    expect(created).toMatchObject({ actor: 'system', details: { via: 'ADMIN_EMAIL' } });
    const text = log.lines.join('\n');
    expect(text).toContain('created the first admin from ADMIN_EMAIL');
    expect(text).not.toContain(password);
    expect(text.toLowerCase()).not.toContain('ops@example.com');
  });

  it('refuses a bootstrap password under 12 characters at start-up', async () => {
    await expect(
      startTestApp({ ADMIN_EMAIL: 'a@example.com', ADMIN_PASSWORD: 'too-short' }),
    ).rejects.toThrow(/ADMIN_PASSWORD: must be at least 12 characters/);
    await expect(startTestApp({ ADMIN_EMAIL: 'a@example.com' })).rejects.toThrow(
      /ADMIN_EMAIL and ADMIN_PASSWORD/,
    );
  });
});
