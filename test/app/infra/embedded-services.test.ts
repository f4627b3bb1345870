import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Redis } from 'ioredis';
import mongoose from 'mongoose';
import { afterAll, describe, expect, it } from 'vitest';
import { startEmbeddedMongo } from '../../../src/app/infra/embedded-mongo.js';
import {
  redactUrl,
  resolveRedis,
  startRedisServer,
} from '../../../src/app/infra/embedded-redis.js';
import { freePort } from '../../../src/app/infra/free-port.js';

const dirs: string[] = [];
const tempDir = () => {
  const d = mkdtempSync(path.join(tmpdir(), 'charla-infra-'));
  dirs.push(d);
  return d;
};
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

describe('embedded MongoDB-compatible server', () => {
  it('starts FerretDB under DATA_DIR and keeps data across restarts', async () => {
    const dataDir = tempDir();
    const first = await startEmbeddedMongo({ dataDir, ferretdbBin: undefined });
    expect(first.kind).toBe('ferretdb');
    expect(first.backend).toBe('postgresql');
    const conn = await mongoose.createConnection(first.uri).asPromise();
    await conn.collection('probe').insertOne({ kept: true });
    await conn.close();
    await first.stop();

    const second = await startEmbeddedMongo({ dataDir, ferretdbBin: undefined });
    const conn2 = await mongoose.createConnection(second.uri).asPromise();
    expect(await conn2.collection('probe').countDocuments({ kept: true })).toBe(1);
    await conn2.close();
    await second.stop();
  });

  it('fails fast naming the ways out when no server can be found', async () => {
    const started = Date.now();
    await expect(
      startEmbeddedMongo({ dataDir: tempDir(), ferretdbBin: '/nonexistent/ferretdb' }),
    ).rejects.toThrow(/MONGODB_URI.*FERRETDB_BIN/s);
    expect(Date.now() - started).toBeLessThan(10_000);
  });
});

describe('redis resolution', () => {
  it('starts redis-server from PATH under DATA_DIR', async () => {
    const endpoint = await startRedisServer(tempDir());
    const client = new Redis(endpoint.url);
    expect(await client.ping()).toBe('PONG');
    client.disconnect();
    await endpoint.stop();
  });

  it('rejects a REDIS_URL that does not answer, without leaking its password', async () => {
    const port = await freePort();
    const url = `redis://user:s3cret@127.0.0.1:${port}`;
    const err = await resolveRedis({ redisUrl: url, dataDir: tempDir() }).catch((e: Error) => e);
    expect(err).toBeInstanceOf(Error);
    expect((err as Error).message).toMatch(/REDIS_URL does not answer/);
    expect((err as Error).message).not.toContain('s3cret');
    expect(redactUrl(url)).not.toContain('s3cret');
  });
});
