/**
 * Real Redis topologies on 127.0.0.1 for tests and the chaos suite, each server in its own
 * temporary directory on free ports, stopped by its own handle (never the shared 6379):
 *   - a Cluster: 3 primaries + 3 replicas (`redis-cli --cluster create … --cluster-replicas 1`);
 *   - Sentinel: 1 primary + 1 replica + 3 sentinels (`redis-server … --sentinel`).
 * `env` is what Charla needs to reach it; `killPrimary` SIGKILLs a primary (the one holding
 * `key`'s slot on a Cluster) and resolves once a replica has taken over.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Redis } from 'ioredis';
import { freePort, waitForPort } from '../../src/app/infra/free-port.js';

const BIN = process.env.REDIS_SERVER_BIN ?? 'redis-server';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Server {
  port: number;
  child: ChildProcess;
}

async function spawnServer(args: string[], port: number): Promise<Server> {
  const child = spawn(BIN, args, { stdio: 'ignore' });
  if (!(await waitForPort(port, 10_000))) {
    child.kill('SIGKILL');
    throw new Error(`redis-server on ${port} did not start`);
  }
  return { port, child };
}

async function killServer(s: Server): Promise<void> {
  const c = s.child;
  if (c.exitCode !== null || c.signalCode !== null) return;
  const exited = new Promise((r) => c.once('exit', r));
  c.kill('SIGKILL');
  await exited;
}

/** Asks one server a command, once (no retries). */
async function ask(port: number, ...command: string[]): Promise<unknown> {
  const client = new Redis({ host: '127.0.0.1', port, lazyConnect: true, maxRetriesPerRequest: 0 });
  client.on('error', () => undefined);
  try {
    await client.connect();
    return await client.call(command[0]!, ...command.slice(1));
  } finally {
    client.disconnect();
  }
}

async function until(what: string, check: () => Promise<boolean>, timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      if (await check()) return;
    } catch {
      // not yet
    }
    if (Date.now() > deadline) throw new Error(`${what}: not within ${timeoutMs / 1000} s`);
    await sleep(200);
  }
}

export interface RedisTopologyHandle {
  kind: 'cluster' | 'sentinel';
  /** The Charla environment that reaches it. */
  env: Record<string, string>;
  /** SIGKILLs the primary (on a Cluster, the one serving `key`); resolves after the takeover. */
  killPrimary(key?: string): Promise<{ killedPort: number; newPrimaryPort: number }>;
  stop(): Promise<void>;
}

const serverArgs = (port: number, dir: string) => [
  '--port',
  String(port),
  '--bind',
  '127.0.0.1',
  '--dir',
  dir,
  '--save',
  '',
  '--appendonly',
  'no',
  '--repl-diskless-sync-delay',
  '0',
  '--logfile',
  path.join(dir, 'redis.log'),
];

export async function startRedisCluster(): Promise<RedisTopologyHandle> {
  const root = mkdtempSync(path.join(tmpdir(), 'charla-redis-cluster-'));
  const servers: Server[] = [];
  const stop = async () => {
    await Promise.all(servers.map(killServer));
    if (!process.env.KEEP_REDIS_DIRS) rmSync(root, { recursive: true, force: true });
  };
  try {
    for (let i = 0; i < 6; i++) {
      const port = await freePort();
      const dir = path.join(root, String(port));
      mkdirSync(dir, { recursive: true });
      servers.push(
        await spawnServer(
          [
            ...serverArgs(port, dir),
            '--cluster-enabled',
            'yes',
            '--cluster-config-file',
            'nodes.conf',
            '--cluster-node-timeout',
            '1500',
          ],
          port,
        ),
      );
    }
    const created = spawnSync(
      'redis-cli',
      [
        '--cluster',
        'create',
        ...servers.map((s) => `127.0.0.1:${s.port}`),
        '--cluster-replicas',
        '1',
        '--cluster-yes',
      ],
      { encoding: 'utf8', timeout: 60_000 },
    );
    if (created.status !== 0) throw new Error(`redis-cli --cluster create: ${created.stdout}`);
    await until('cluster ok on every node', async () => {
      for (const s of servers) {
        const info = String(await ask(s.port, 'cluster', 'info'));
        if (!info.includes('cluster_state:ok')) return false;
        // A replica that never synced cannot take over: wait for every link.
        const replication = String(await ask(s.port, 'info', 'replication'));
        if (replication.includes('role:slave') && !replication.includes('master_link_status:up')) {
          return false;
        }
      }
      return true;
    });
  } catch (err) {
    await stop();
    throw err;
  }
  const alive = () => servers.filter((s) => s.child.exitCode === null && !s.child.signalCode);
  return {
    kind: 'cluster',
    env: { REDIS_CLUSTER_NODES: servers.map((s) => `127.0.0.1:${s.port}`).join(',') },
    async killPrimary(key = 'x') {
      const slot = Number(await ask(alive()[0]!.port, 'cluster', 'keyslot', key));
      const owner = async () => {
        const slots = (await ask(alive()[0]!.port, 'cluster', 'slots')) as Array<
          [number, number, [string, number]]
        >;
        const range = slots.find(([from, to]) => slot >= from && slot <= to);
        return range?.[2][1];
      };
      const killedPort = await owner();
      const victim = servers.find((s) => s.port === killedPort);
      if (!victim) throw new Error(`no primary serves slot ${slot}`);
      await killServer(victim);
      let newPrimaryPort = 0;
      await until('a replica took over the slot', async () => {
        const port = await owner();
        if (!port || port === killedPort) return false;
        const info = String(await ask(port, 'cluster', 'info'));
        newPrimaryPort = port;
        return info.includes('cluster_state:ok');
      });
      return { killedPort: victim.port, newPrimaryPort };
    },
    stop,
  };
}

export async function startRedisSentinel(name = 'charla'): Promise<RedisTopologyHandle> {
  const root = mkdtempSync(path.join(tmpdir(), 'charla-redis-sentinel-'));
  const servers: Server[] = [];
  const stop = async () => {
    await Promise.all(servers.map(killServer));
    if (!process.env.KEEP_REDIS_DIRS) rmSync(root, { recursive: true, force: true });
  };
  const sentinelPorts: number[] = [];
  let primary: Server;
  let replica: Server;
  try {
    const primaryPort = await freePort();
    const replicaPort = await freePort();
    for (const port of [primaryPort, replicaPort])
      mkdirSync(path.join(root, String(port)), { recursive: true });
    primary = await spawnServer(
      serverArgs(primaryPort, path.join(root, String(primaryPort))),
      primaryPort,
    );
    servers.push(primary);
    replica = await spawnServer(
      [
        ...serverArgs(replicaPort, path.join(root, String(replicaPort))),
        '--replicaof',
        '127.0.0.1',
        String(primaryPort),
      ],
      replicaPort,
    );
    servers.push(replica);
    await until('the replica in sync', async () =>
      String(await ask(replicaPort, 'info', 'replication')).includes('master_link_status:up'),
    );
    for (let i = 0; i < 3; i++) {
      const port = await freePort();
      const conf = path.join(root, `sentinel-${port}.conf`);
      writeFileSync(
        conf,
        [
          `port ${port}`,
          'bind 127.0.0.1',
          `dir ${root}`,
          `sentinel monitor ${name} 127.0.0.1 ${primaryPort} 2`,
          `sentinel down-after-milliseconds ${name} 1000`,
          `sentinel failover-timeout ${name} 5000`,
          `sentinel parallel-syncs ${name} 1`,
          '',
        ].join('\n'),
      );
      servers.push(await spawnServer([conf, '--sentinel'], port));
      sentinelPorts.push(port);
    }
    await until('the sentinels see the replica and each other', async () => {
      for (const port of sentinelPorts) {
        const replicas = (await ask(port, 'sentinel', 'replicas', name)) as unknown[];
        const peers = (await ask(port, 'sentinel', 'sentinels', name)) as unknown[];
        if (replicas.length < 1 || peers.length < 2) return false;
      }
      return true;
    });
  } catch (err) {
    await stop();
    throw err;
  }
  return {
    kind: 'sentinel',
    env: {
      REDIS_SENTINELS: sentinelPorts.map((p) => `127.0.0.1:${p}`).join(','),
      REDIS_SENTINEL_NAME: name,
    },
    async killPrimary() {
      const current = async () =>
        Number(
          (
            (await ask(sentinelPorts[0]!, 'sentinel', 'get-master-addr-by-name', name)) as string[]
          )[1],
        );
      const killedPort = await current();
      const victim = servers.find((s) => s.port === killedPort)!;
      await killServer(victim);
      let newPrimaryPort = 0;
      await until(
        'a sentinel failover',
        async () => {
          newPrimaryPort = await current();
          if (newPrimaryPort === killedPort) return false;
          return String(await ask(newPrimaryPort, 'info', 'replication')).includes('role:master');
        },
        60_000,
      );
      return { killedPort, newPrimaryPort };
    },
    stop,
  };
}
