/**
 * Liveness and readiness against a real Charla, and an admin API that stays closed when no
 * ADMIN_TOKEN is configured.
 */
import mongoose from 'mongoose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_TOKEN, eventually, startTestApp, type TestApp } from '../support/app.js';

describe('health and readiness', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp({ ADMIN_TOKEN: '' });
  });
  afterAll(async () => {
    const redis = app?.charla.services.redis;
    if (redis && redis.status === 'end') await redis.connect();
    await app?.stop();
  });

  const get = async (path: string, headers: Record<string, string> = {}) => {
    const res = await fetch(`${app.url}${path}`, { headers });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  };

  it('closes the admin API when ADMIN_TOKEN is not set', async () => {
    for (const token of [ADMIN_TOKEN, '', 'undefined']) {
      const res = await get('/api/leads', { authorization: `Bearer ${token}` });
      expect(res.status).toBe(401);
    }
  });

  it('talks to the database with majority writes, retried writes and reads, primary reads', () => {
    // What keeps an acknowledged message through a replica set's failover (REPLICA_SET_OPTIONS).
    const options = mongoose.connection.getClient().options;
    expect(options.writeConcern?.w).toBe('majority');
    expect(options.retryWrites).toBe(true);
    expect(options.retryReads).toBe(true);
    expect(options.readPreference.mode).toBe('primary');
  });

  it('GET /healthz answers 200 while the process and its database run', async () => {
    expect(await get('/healthz')).toEqual({
      status: 200,
      body: { status: 'ok', checks: { mongodb: true } },
    });
  });

  it('GET /readyz answers 200 when MongoDB and Redis are reachable', async () => {
    expect(await get('/readyz')).toEqual({
      status: 200,
      body: { status: 'ready', checks: { mongodb: true, redis: true } },
    });
  });

  it('GET /readyz answers 503 naming Redis when it is unreachable, and recovers', async () => {
    const redis = app.charla.services.redis;
    redis.disconnect();
    const down = await get('/readyz');
    expect(down.status).toBe(503);
    expect(down.body).toEqual({ status: 'unavailable', checks: { mongodb: true, redis: false } });
    // Liveness is not readiness: the process is still alive.
    expect((await get('/healthz')).status).toBe(200);

    await redis.connect();
    await eventually(async () => (await get('/readyz')).status === 200);
  });
});
