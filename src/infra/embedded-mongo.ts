/**
 * The MongoDB-compatible server used when MONGODB_URI is unset: FerretDB (SQLite backend) under
 * DATA_DIR, else mongodb-memory-server when it is installed. Production points MONGODB_URI at MongoDB.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort, waitForPort } from './free-port.js';

export interface EmbeddedMongo {
  uri: string;
  kind: 'ferretdb' | 'mongodb-memory-server';
  stop(): Promise<void>;
}

const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

/** Finds a FerretDB binary: explicit path, the one scripts/ensure-ferretdb.mjs builds, or PATH. */
export function findFerretDb(explicit: string | undefined): string | undefined {
  if (explicit) return existsSync(explicit) ? explicit : undefined;
  const built = path.join(projectRoot, '.tools', 'bin', 'ferretdb');
  if (existsSync(built)) return built;
  const onPath = spawnSync('ferretdb', ['--version'], { stdio: 'ignore' });
  return onPath.status === 0 ? 'ferretdb' : undefined;
}

export async function startFerretDb(binary: string, dataDir: string): Promise<EmbeddedMongo> {
  const stateDir = path.join(dataDir, 'ferretdb');
  mkdirSync(stateDir, { recursive: true });
  const port = await freePort();
  const child: ChildProcess = spawn(
    binary,
    [
      '--handler=sqlite',
      `--sqlite-url=file:${stateDir}/`,
      `--state-dir=${stateDir}`,
      `--listen-addr=127.0.0.1:${port}`,
      '--debug-addr=-',
      '--telemetry=disable',
      '--log-level=error',
    ],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => {
    stderr = (stderr + d.toString()).slice(-2000);
  });
  const exited = new Promise<number | null>((resolve) =>
    child.once('exit', (code) => resolve(code)),
  );
  const up = await Promise.race([waitForPort(port, 15_000), exited.then(() => false)]);
  if (!up) {
    child.kill('SIGKILL');
    throw new Error(`FerretDB did not start (${binary}): ${stderr.trim() || 'no output'}`);
  }
  return {
    uri: `mongodb://127.0.0.1:${port}/charla`,
    kind: 'ferretdb',
    async stop() {
      if (child.exitCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(timer);
    },
  };
}

async function startMemoryServer(): Promise<EmbeddedMongo | undefined> {
  const moduleName = 'mongodb-memory-server';
  let mod: {
    MongoMemoryServer: { create(): Promise<{ getUri(): string; stop(): Promise<boolean> }> };
  };
  try {
    mod = (await import(moduleName)) as typeof mod;
  } catch {
    return undefined;
  }
  const server = await mod.MongoMemoryServer.create();
  return {
    uri: `${server.getUri().replace(/\/$/, '')}/charla`,
    kind: 'mongodb-memory-server',
    async stop() {
      await server.stop();
    },
  };
}

/** Starts an embedded server or throws an error naming the ways out. */
export async function startEmbeddedMongo(opts: {
  dataDir: string;
  ferretdbBin: string | undefined;
}): Promise<EmbeddedMongo> {
  const binary = findFerretDb(opts.ferretdbBin);
  if (binary) return startFerretDb(binary, opts.dataDir);
  const memory = await startMemoryServer();
  if (memory) return memory;
  throw new Error(
    'No MongoDB available. Ways out: set MONGODB_URI to a MongoDB server; or install Go and run ' +
      '`node scripts/ensure-ferretdb.mjs` (builds FerretDB into .tools/bin); or set FERRETDB_BIN to a ' +
      'ferretdb binary; or `npm install mongodb-memory-server` where it can download MongoDB.',
  );
}
