/**
 * Redis down (issue 24): a private redis-server on a free 127.0.0.1 port, a real Charla booted
 * against it, then the server killed. Requests that need Redis answer 503 {error:{code,message}}
 * with Retry-After at once instead of hanging until it is back (a web chat session POST used to
 * hang 11–13 s), no ioredis client emits an unhandled 'error' event ("[ioredis] Unhandled error
 * event" on stderr), the outage is logged once per client, not per reconnection attempt; then
 * Redis comes back on the same port and the same requests succeed again.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { freePort, waitForPort } from '../../src/app/infra/free-port.js';
import { createLogger } from '../../src/kernel/logger.js';
import { eventually, startTestApp, type TestApp } from '../support/app.js';

function startRedis(port: number): ChildProcess {
  return spawn(
    'redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
    { stdio: 'ignore' },
  );
}

async function kill(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGKILL');
  await exited;
}

const newSession = (app: TestApp) =>
  fetch(`${app.url}/api/webchat/sessions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ locale: 'en' }),
    // A bound so the old behaviour (hanging until Redis is back) fails the test instead of
    // hanging it; not a timing assertion.
    signal: AbortSignal.timeout(10_000),
  });

describe('Redis down', () => {
  let app: TestApp | undefined;
  let redis: ChildProcess;
  let port: number;
  const logLines: string[] = [];
  const sink = new Writable({
    write(chunk, _enc, done) {
      logLines.push(chunk.toString());
      done();
    },
  });
  const consoleError = vi.spyOn(console, 'error');
  const stderrWrite = vi.spyOn(process.stderr, 'write');

  beforeAll(async () => {
    port = await freePort();
    redis = startRedis(port);
    expect(await waitForPort(port, 10_000)).toBe(true);
    app = await startTestApp(
      { REDIS_URL: `redis://127.0.0.1:${port}` },
      { logger: createLogger('info', sink) },
    );
  });
  afterAll(async () => {
    // Redis is back (or brought back) so the app stops cleanly; its keys die with the server.
    if (redis.exitCode !== null || redis.signalCode !== null) {
      redis = startRedis(port);
      await waitForPort(port, 10_000);
    }
    await app?.charla.stop();
    await kill(redis);
    consoleError.mockRestore();
    stderrWrite.mockRestore();
  });

  it('answers 503 at once while Redis is down, emits no unhandled error event, and recovers', async () => {
    const before = await newSession(app!);
    expect(before.status).toBe(201);

    await kill(redis);
    await eventually(async () => app!.charla.services.redis.status !== 'ready');

    // A session POST, a staff sign-in and a staff read all need Redis: each answers 503 now.
    for (let i = 0; i < 3; i += 1) {
      const res = await newSession(app!);
      expect(res.status).toBe(503);
      expect(res.headers.get('retry-after')).toMatch(/^\d+$/);
      const body = (await res.json()) as { error: { code: string; message: string } };
      expect(body.error.code).toBe('redis_unavailable');
      expect(body.error.message).toMatch(/retry/i);
    }
    const login = await fetch(`${app!.url}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'nobody@example.com', password: 'not-the-password' }),
      signal: AbortSignal.timeout(10_000),
    });
    expect(login.status).toBe(503);
    // Liveness does not depend on Redis; readiness says it is down.
    expect((await fetch(`${app!.url}/healthz`)).status).toBe(200);
    const ready = await fetch(`${app!.url}/readyz`);
    expect(ready.status).toBe(503);
    expect(((await ready.json()) as { checks: { redis: boolean } }).checks.redis).toBe(false);

    // Several reconnection attempts pass (ioredis retries every 50 ms, growing to 2 s).
    await new Promise((r) => setTimeout(r, 2500));

    const unhandled = [
      ...consoleError.mock.calls.map((c) => c.map(String).join(' ')),
      ...stderrWrite.mock.calls.map((c) => String(c[0])),
    ].filter((line) => /Unhandled error event/i.test(line));
    expect(unhandled).toEqual([]);
    // Worker and queue connection errors are the clients' outage, logged there once.
    expect(logLines.filter((l) => l.includes('worker error'))).toEqual([]);
    const stderrLines = stderrWrite.mock.calls.map((c) => String(c[0]));
    expect(stderrLines.filter((l) => /ECONNREFUSED|ioredis/.test(l))).toEqual([]);
    expect(consoleError).not.toHaveBeenCalled();
    const outageLogs = logLines.filter((l) => l.includes('redis connection lost'));
    expect(outageLogs.length).toBeGreaterThan(0);
    // Once per client per outage, not once per reconnection attempt.
    const clients = new Set(outageLogs.map((l) => JSON.parse(l).redisClient as string));
    expect(outageLogs.length).toBe(clients.size);
    for (const line of outageLogs) expect(line).not.toContain(`:${port}`);

    redis = startRedis(port);
    expect(await waitForPort(port, 10_000)).toBe(true);
    const back = await eventually(async () => {
      const res = await newSession(app!);
      return res.status === 201 ? res : undefined;
    }, 20_000);
    expect(back.status).toBe(201);
  }, 60_000);
});
