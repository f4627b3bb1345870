/**
 * Redis for BullMQ and pub/sub: REDIS_URL, else 127.0.0.1:6379 when it answers, else a
 * `redis-server` from PATH started under DATA_DIR.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { Redis } from 'ioredis';
import { freePort, waitForPort } from './free-port.js';

export interface RedisEndpoint {
  url: string;
  kind: 'configured' | 'local' | 'embedded';
  stop(): Promise<void>;
}

/** Drops credentials from a URL before it is shown. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    if (u.username) u.username = '***';
    return u.toString();
  } catch {
    return '(unparseable URL)';
  }
}

async function answersPing(url: string): Promise<boolean> {
  const client = new Redis(url, {
    lazyConnect: true,
    connectTimeout: 1000,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
  });
  client.on('error', () => undefined);
  try {
    await client.connect();
    return (await client.ping()) === 'PONG';
  } catch {
    return false;
  } finally {
    client.disconnect();
  }
}

export async function resolveRedis(opts: {
  redisUrl: string | undefined;
  dataDir: string;
}): Promise<RedisEndpoint> {
  const noop = async () => undefined;
  if (opts.redisUrl) {
    if (!(await answersPing(opts.redisUrl))) {
      throw new Error(
        `REDIS_URL does not answer (${redactUrl(opts.redisUrl)}). Ways out: start that Redis, fix ` +
          'REDIS_URL, or unset it to use 127.0.0.1:6379 or a redis-server started under DATA_DIR.',
      );
    }
    return { url: opts.redisUrl, kind: 'configured', stop: noop };
  }
  const local = 'redis://127.0.0.1:6379';
  if (await answersPing(local)) return { url: local, kind: 'local', stop: noop };

  return startRedisServer(opts.dataDir);
}

/** Starts `redis-server` from PATH on a free port, persisting under DATA_DIR/redis. */
export async function startRedisServer(dataDir: string): Promise<RedisEndpoint> {
  if (spawnSync('redis-server', ['--version'], { stdio: 'ignore' }).status !== 0) {
    throw new Error(
      'No Redis available. Ways out: set REDIS_URL; start Redis on 127.0.0.1:6379; or install ' +
        'redis-server (e.g. `apt-get install redis-server`) so Charla can start one under DATA_DIR.',
    );
  }
  const dir = path.join(dataDir, 'redis');
  mkdirSync(dir, { recursive: true });
  const port = await freePort();
  const child = spawn(
    'redis-server',
    [
      '--port',
      String(port),
      '--bind',
      '127.0.0.1',
      '--dir',
      dir,
      '--save',
      '60 1',
      '--appendonly',
      'yes',
    ],
    { stdio: 'ignore' },
  );
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  if (!(await waitForPort(port, 10_000))) {
    child.kill('SIGKILL');
    throw new Error('redis-server did not start within 10 s');
  }
  return {
    url: `redis://127.0.0.1:${port}`,
    kind: 'embedded',
    async stop() {
      if (child.exitCode !== null) return;
      child.kill('SIGTERM');
      await exited;
    },
  };
}
