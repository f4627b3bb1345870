/**
 * The chaos suite's own services on 127.0.0.1: a redis-server without persistence on a port of
 * its own (never the machine's shared 6379, which is never restarted or flushed), and a FerretDB
 * server for the scenarios that do not kill the database. Everything started here is stopped by
 * its own handle.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Redis } from 'ioredis';
import { findFerretDb } from '../src/app/infra/embedded-mongo.js';
import { freePort, waitForPort } from '../src/app/infra/free-port.js';

export interface OwnedRedis {
  url: string;
  /** Stops the server the hard way and starts an empty one on the same port (no persistence). */
  restart(): Promise<void>;
  stop(): Promise<void>;
}

async function waitForRedis(url: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const client = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0 });
    client.on('error', () => undefined);
    try {
      await client.connect();
      if ((await client.ping()) === 'PONG') return;
    } catch {
      if (Date.now() > deadline) throw new Error(`redis-server at ${url} did not start`);
    } finally {
      client.disconnect();
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** A redis-server of our own: `--save "" --appendonly no`, as many installs run it. */
export async function startOwnedRedis(bin = process.env.REDIS_SERVER_BIN ?? 'redis-server') {
  const port = await freePort();
  const url = `redis://127.0.0.1:${port}`;
  let child: ChildProcess | undefined;
  const start = async () => {
    child = spawn(
      bin,
      ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
      { stdio: 'ignore' },
    );
    await waitForRedis(url);
  };
  const kill = async () => {
    const c = child;
    if (!c || c.exitCode !== null || c.signalCode !== null) return;
    const exited = new Promise((r) => c.once('exit', r));
    c.kill('SIGKILL');
    await exited;
  };
  await start();
  return {
    url,
    async restart() {
      await kill();
      await start();
    },
    stop: kill,
  } satisfies OwnedRedis;
}

export interface OwnedFerretDb {
  uri: string;
  stop(): Promise<void>;
}

/** A FerretDB (SQLite handler) in a temporary directory, for scenarios that keep the database. */
export async function startOwnedFerretDb(): Promise<OwnedFerretDb> {
  const bin = findFerretDb(process.env.FERRETDB_BIN);
  if (!bin) throw new Error('no FerretDB binary: run `node scripts/ensure-ferretdb.mjs` first');
  const dir = mkdtempSync(path.join(tmpdir(), 'charla-chaos-db-'));
  const port = await freePort();
  const child = spawn(
    bin,
    [
      '--handler=sqlite',
      `--sqlite-url=file:${dir}/`,
      `--state-dir=${dir}`,
      `--listen-addr=127.0.0.1:${port}`,
      '--debug-addr=-',
      '--telemetry=disable',
      '--log-level=error',
    ],
    { stdio: 'ignore' },
  );
  const exited = new Promise((r) => child.once('exit', r));
  if (!(await waitForPort(port, 15_000))) {
    child.kill('SIGKILL');
    throw new Error('FerretDB did not start');
  }
  return {
    uri: `mongodb://127.0.0.1:${port}/charla`,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await exited;
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
