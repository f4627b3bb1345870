/**
 * bench:floor — the Node CPU that the parts of one message turn cost on their own, measured with
 * nothing else in the process: one MongoDB command through the driver (against the instant wire
 * fake, which runs in a separate process so its CPU is not counted), one ioredis round trip, one
 * BullMQ job (add + process + complete) and one fastify JSON POST (server and client in this
 * process). `npm run bench:floor [-- --json]`. It answers "how low can Node CPU per message go
 * with this stack", which bench:pipeline's per-message figure is compared against.
 */
import { randomUUID } from 'node:crypto';
import { execSync, fork } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Queue, Worker } from 'bullmq';
import fastify from 'fastify';
import { Redis } from 'ioredis';
import mongoose from 'mongoose';
import { machineLine, writeBenchmarkSection } from './benchmarks-file.js';
import { InstantMongo } from './instant-mongo.js';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const N = Number(process.env.FLOOR_N ?? 4000);

/** CPU ms (user + system) of this process per iteration of `body`, after a warm-up. */
async function cpuPer(n: number, body: (i: number) => Promise<unknown>): Promise<number> {
  for (let i = 0; i < Math.min(500, n); i++) await body(-i - 1);
  const start = process.cpuUsage();
  for (let i = 0; i < n; i++) await body(i);
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1000 / n;
}

async function mongoCommand(uri: string): Promise<number> {
  const client = await new mongoose.mongo.MongoClient(uri).connect();
  const coll = client.db(`floor-${randomUUID().slice(0, 8)}`).collection('messages');
  const ids: mongoose.mongo.ObjectId[] = [];
  // One third each: insert, find by _id, update by _id — the hot path's kinds of command.
  const perCommand = await cpuPer(N, async (i) => {
    const k = ((i % 3) + 3) % 3;
    if (k === 0 || ids.length === 0) {
      const _id = new mongoose.mongo.ObjectId();
      ids.push(_id);
      await coll.insertOne({ _id, text: 'hola, quiero información', status: 'received' });
    } else if (k === 1) await coll.findOne({ _id: ids[ids.length - 1] });
    else await coll.updateOne({ _id: ids[ids.length - 1] }, { $set: { status: 'processed' } });
  });
  await client.close();
  return perCommand;
}

async function redisRoundTrip(prefix: string): Promise<number> {
  const redis = new Redis(REDIS_URL);
  const per = await cpuPer(N, (i) =>
    i % 2 === 0 ? redis.set(`${prefix}:k`, String(i), 'PX', 60_000) : redis.get(`${prefix}:k`),
  );
  await redis.del(`${prefix}:k`);
  redis.disconnect();
  return per;
}

async function bullmqJob(prefix: string): Promise<number> {
  const connection = { url: REDIS_URL, maxRetriesPerRequest: null };
  const queue = new Queue('floor', { connection, prefix });
  let resolveDone: (() => void) | undefined;
  const worker = new Worker(
    'floor',
    async () => {
      resolveDone?.();
    },
    { connection, prefix, concurrency: 1 },
  );
  await worker.waitUntilReady();
  const per = await cpuPer(Math.min(N, 1500), async () => {
    const done = new Promise<void>((r) => (resolveDone = r));
    await queue.add('job', { messageId: randomUUID() }, { removeOnComplete: true });
    await done;
  });
  await worker.close();
  await queue.obliterate({ force: true });
  await queue.close();
  return per;
}

async function fastifyPost(): Promise<number> {
  const app = fastify();
  app.post('/webhook', async (req) => ({ ok: true, echo: (req.body as { id: string }).id }));
  const url = await app.listen({ port: 0, host: '127.0.0.1' });
  const per = await cpuPer(N, async (i) => {
    const res = await fetch(`${url}/webhook`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ id: String(i), text: 'hola, quiero información' }),
    });
    await res.json();
  });
  await app.close();
  return per;
}

async function measure(uri: string) {
  const prefix = `floor-bench-${randomUUID().slice(0, 8)}`;
  const mongoMs = await mongoCommand(uri);
  const redisMs = await redisRoundTrip(prefix);
  const bullmqMs = await bullmqJob(prefix);
  const httpMs = await fastifyPost();
  // The issue's own budget for a turn: 6 MongoDB operations, 10 Redis round trips; plus the
  // message's one queue job and one HTTP request.
  const budgetFloorMs = 6 * mongoMs + 10 * redisMs + bullmqMs + httpMs;
  return {
    mongoCommandMs: mongoMs,
    redisRoundTripMs: redisMs,
    bullmqJobMs: bullmqMs,
    httpPostMs: httpMs,
    budgetFloorMs,
  };
}

const round = (x: number) => Math.round(x * 1000) / 1000;

if (process.argv[2] === 'client') {
  const result = await measure(process.argv[3]!);
  process.send?.(result);
  process.exit(0);
} else {
  const instant = new InstantMongo();
  const uri = await instant.listen();
  const child = fork(fileURLToPath(import.meta.url), ['client', uri], {
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const result = await new Promise<Awaited<ReturnType<typeof measure>>>((resolve, reject) => {
    child.once('message', (m) => resolve(m as Awaited<ReturnType<typeof measure>>));
    child.once('exit', (code) => code !== 0 && reject(new Error(`client exited ${code}`)));
  });
  await instant.close();
  const rows = Object.entries(result).map(([k, v]) => `${k.padEnd(18)} ${round(v)} ms`);
  writeFloorSection(result);
  console.log(`Node CPU per operation (N=${N}):\n${rows.join('\n')}`);
  if (process.argv.includes('--json')) {
    console.log(
      JSON.stringify(Object.fromEntries(Object.entries(result).map(([k, v]) => [k, round(v)]))),
    );
  }
}

function writeFloorSection(r: Awaited<ReturnType<typeof measure>>): void {
  const repo = join(dirname(fileURLToPath(import.meta.url)), '..');
  writeBenchmarkSection(
    repo,
    'floor',
    `## The Node CPU floor of a message turn (\`npm run bench:floor\`)

${machineLine()}; load at the start: \`${execSync('uptime').toString().trim()}\`. Each part alone in
one process, ${N} iterations after a warm-up, CPU time (user + system) of the measuring process:

| part | Node CPU per operation |
| --- | --: |
| one MongoDB command through the driver (insert / find by _id / update by _id, against the instant wire fake in another process) | ${round(r.mongoCommandMs)} ms |
| one ioredis round trip (SET / GET) | ${round(r.redisRoundTripMs)} ms |
| one BullMQ job: add, process, complete | ${round(r.bullmqJobMs)} ms |
| one fastify JSON POST, server and fetch client both counted | ${round(r.httpPostMs)} ms |
| **the issue's own turn budget: 6 MongoDB ops + 10 Redis round trips + 1 job + 1 POST** | **${round(r.budgetFloorMs)} ms** |

So a turn that does no work at all besides its budgeted I/O already costs about ${round(r.budgetFloorMs)} ms of
Node CPU here: the ≤ 3 ms target sits at (or below) the floor of this stack (MongoDB driver,
ioredis, BullMQ, fastify) before any NLU, engine or serialisation work, and the whole pipeline's
figure (bench:pipeline) should be read against this floor, not against zero.`,
  );
}
