/**
 * POST /api/nlu/parse latency through a real Charla (ROLE=web) on the embedded default (FerretDB
 * on embedded PostgreSQL) with the shipped catalogue: the development set's messages
 * (bench/nlu-dev-set/, both languages, out-of-scope included) sent one after another, cycling
 * until N requests, after a warm-up; wall time per request as the client sees it (HTTP, JSON,
 * auth, schema validation and the parse); the server runs in its own process so the client's
 * work is not counted in it. Prints p50/p95/p99/max; target p99 ≤ 5 ms.
 *
 *   npm run bench:parse [-- --n=2000]
 *
 * Does not write BENCHMARKS.md (copy the figures by hand with the date, machine and load).
 * Own QUEUE_PREFIX and data directory, deleted at the end; listens on 127.0.0.1 only.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Redis } from 'ioredis';
import { createCharla } from '../src/app/charla.js';
import { startEmbeddedMongo } from '../src/app/infra/embedded-mongo.js';
import { loadConfig } from '../src/kernel/config/config.js';
import { createLogger } from '../src/kernel/logger.js';
import { machineLine } from './benchmarks-file.js';
import { loadDevSet } from './dev-set.js';
import { percentile } from './pipeline-load.js';

const N = Number(process.argv.find((a) => a.startsWith('--n='))?.slice(4) ?? 2_000);
const WARM_UP = 200;
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const PREFIX = `charla-bench-parse-${Date.now().toString(36)}`;
const TOKEN = 'bench-parse-admin-token-0123456789';

/** The server side: boots Charla, prints its base URL, serves until stdin closes. */
async function serve(): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), 'charla-bench-parse-'));
  const embedded = await startEmbeddedMongo({ dataDir, ferretdbBin: process.env.FERRETDB_BIN });
  const redis = new Redis(REDIS_URL);
  let charla: Awaited<ReturnType<typeof createCharla>> | undefined;
  try {
    const config = loadConfig({
      PORT: '0',
      HOST: '127.0.0.1',
      MONGODB_URI: embedded.uri,
      REDIS_URL,
      QUEUE_PREFIX: PREFIX,
      ADMIN_TOKEN: TOKEN,
      ROLE: 'web',
      LOG_LEVEL: 'silent',
      DATA_DIR: join(dataDir, 'charla'),
    });
    charla = await createCharla(config, { logger: createLogger('silent'), dbName: 'bench_parse' });
    const base = await charla.listen();
    process.stdout.write(`${base}\n`);
    await new Promise<void>((done) => {
      process.stdin.on('end', done).on('close', done).resume();
    });
  } finally {
    await charla?.stop();
    await embedded.stop();
    const keys = await redis.keys(`${PREFIX}:*`);
    if (keys.length > 0) await redis.del(...keys);
    redis.disconnect();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/** The client side: starts the server in its own process and times the requests. */
async function main(): Promise<void> {
  const messages = loadDevSet().map((m) => m.text);
  const t0 = performance.now();
  const server = spawn(
    process.execPath,
    [...process.execArgv, fileURLToPath(import.meta.url), '--serve'],
    {
      stdio: ['pipe', 'pipe', 'inherit'],
    },
  );
  const base = await new Promise<string>((ok, fail) => {
    let out = '';
    server.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString('utf8');
      if (out.includes('\n')) ok(out.trim());
    });
    server.on('exit', (code) => fail(new Error(`server exited (${code})`)));
  });
  try {
    console.log(`booted in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
    const url = `${base}/api/nlu/parse`;
    const once = async (text: string) => {
      const start = performance.now();
      const res = await fetch(url, {
        method: 'POST',
        headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
        body: JSON.stringify({ text }),
      });
      const body = (await res.json()) as { intent?: string | null };
      if (res.status !== 200) throw new Error(`parse: ${res.status} ${JSON.stringify(body)}`);
      return performance.now() - start;
    };
    for (let i = 0; i < WARM_UP; i++) await once(messages[i % messages.length]!);
    const load0 = loadavg()[0]!;
    const times: number[] = [];
    for (let i = 0; i < N; i++) times.push(await once(messages[i % messages.length]!));
    const load1 = loadavg()[0]!;
    const f = (p: number) => percentile(times, p).toFixed(2);
    console.log(machineLine());
    console.log(
      `${N} requests (${messages.length} dev-set messages cycled, ${WARM_UP} warm-up): ` +
        `p50 ${f(50)} ms, p95 ${f(95)} ms, p99 ${f(99)} ms, max ${Math.max(...times).toFixed(2)} ms; ` +
        `load average ${load0.toFixed(2)} → ${load1.toFixed(2)}`,
    );
  } finally {
    const exited = new Promise((done) => server.on('exit', done));
    server.stdin.end();
    await exited;
  }
}

(process.argv.includes('--serve') ? serve() : main()).catch((err) => {
  console.error(err);
  process.exit(1);
});
