/**
 * Load and measurement helpers of bench:pipeline: Charla processes forked with IPC
 * (pipeline-node.ts), customers that write their next line when the previous one was answered,
 * the bare-fastify baseline, and the per-message figures.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import http from 'node:http';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Fastify from 'fastify';
import mongoose from 'mongoose';
import type { ChildMessage, ParentMessage } from './pipeline-node.js';

const HERE = dirname(fileURLToPath(import.meta.url));

/** The one HTTP client of every run (node:http with keep-alive: cheaper per request than fetch). */
const agent = new http.Agent({ keepAlive: true });

export function postJson(url: string, body: unknown): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      url,
      { method: 'POST', agent, headers: { 'content-type': 'application/json' } },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (d: string) => (text += d));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
      },
    );
    req.on('error', reject);
    req.end(JSON.stringify(body));
  });
}

/** A realistic mix: greeting, FAQ, a lead capture (name, email), thanks. */
export const SCRIPT = [
  'hola',
  '¿cuál es vuestro horario?',
  'quiero información para contratar vuestro servicio',
  'Ana García',
  'ana.garcia@example.com',
  'gracias',
];

export const percentile = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] ?? NaN;
};

interface Stats {
  cpuMs: number;
  mongoOps: number;
  redisTrips: number;
}

export class CharlaNode {
  url = '';
  private waiters: Array<(s: Stats) => void> = [];
  readonly exited: Promise<number | null>;

  constructor(
    readonly child: ChildProcess,
    onSent: (m: Extract<ChildMessage, { t: 'sent' }>) => void,
  ) {
    this.exited = new Promise((resolve) => child.once('exit', (code) => resolve(code)));
    child.on('message', (m: ChildMessage) => {
      if (m.t === 'sent') onSent(m);
      else if (m.t === 'stats') this.waiters.shift()?.(m);
    });
  }

  stats(): Promise<Stats> {
    return new Promise((resolve) => {
      this.waiters.push(resolve);
      this.child.send({ t: 'stats' } satisfies ParentMessage);
    });
  }

  async stop(): Promise<void> {
    if (this.child.exitCode !== null) return;
    this.child.send({ t: 'stop' } satisfies ParentMessage);
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 15_000);
    await this.exited;
    clearTimeout(timer);
  }
}

export async function startNode(
  env: Record<string, string>,
  onSent: (m: Extract<ChildMessage, { t: 'sent' }>) => void,
  nodeArgs: string[] = [],
): Promise<CharlaNode> {
  const child = fork(join(HERE, 'pipeline-node.ts'), [], {
    execArgv: ['--import', 'tsx', ...nodeArgs],
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      ADMIN_TOKEN: randomBytes(24).toString('hex'),
      ...(process.env.BENCH_TRACE_MONGO ? { BENCH_TRACE_MONGO: '1' } : {}),
      ...env,
    },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const node = new CharlaNode(child, onSent);
  node.url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('Charla did not start within 120 s')), 120_000);
    child.on('message', (m: ChildMessage) => {
      if (m.t === 'ready') {
        clearTimeout(timer);
        resolve(m.url);
      } else if (m.t === 'error') {
        clearTimeout(timer);
        reject(new Error(m.message));
      }
    });
    child.once('exit', (code) => reject(new Error(`Charla exited with ${code} while starting`)));
  });
  return node;
}

export interface RunFigures {
  customers: number;
  messages: number;
  seconds: number;
  messagesPerSecond: number;
  ingestP50Ms: number;
  ingestP99Ms: number;
  replyP50Ms: number;
  replyP99Ms: number;
  mongoOpsPerMessage: number;
  redisRoundTripsPerMessage: number;
  nodeCpuMsPerMessage: number;
  /** Inbound messages with no delivered reply once the queues drained (checked in MongoDB). */
  unanswered: number;
  /** Customers who gave up waiting (reply timeout) — slow, not necessarily lost. */
  timedOut: number;
  /** Replies handed to the channel more than once (must be 0). */
  duplicateDeliveries: number;
  conversationIds: string[];
}

/** Deliveries seen by the parent, across all Charla processes of a scenario. */
export class Deliveries {
  private lastAt = new Map<string, number>();
  private waiting = new Map<string, () => void>();
  readonly seen = new Set<string>();
  duplicates = 0;

  onSent = (m: Extract<ChildMessage, { t: 'sent' }>) => {
    if (this.seen.has(m.id)) this.duplicates += 1;
    this.seen.add(m.id);
    this.lastAt.set(m.conversationId, m.at);
    this.waiting.get(m.conversationId)?.();
  };

  /** Resolves with the time of the first delivery to `conversationId` after `since`. */
  async next(
    conversationId: string,
    since: number,
    timeoutMs: number,
  ): Promise<number | undefined> {
    const at = this.lastAt.get(conversationId);
    if (at !== undefined && at >= since) return at;
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.waiting.delete(conversationId);
        resolve(undefined);
      }, timeoutMs);
      this.waiting.set(conversationId, () => {
        const t = this.lastAt.get(conversationId)!;
        if (t < since) return;
        clearTimeout(timer);
        this.waiting.delete(conversationId);
        resolve(t);
      });
    });
  }
}

/** `customers` customers each send `messages` lines, the next once the previous was answered. */
export async function runCustomers(opts: {
  url: string;
  runId: string;
  customers: number;
  messages: number;
  deliveries: Deliveries;
  nodes: CharlaNode[];
  replyTimeoutMs?: number;
}): Promise<RunFigures> {
  const before = await Promise.all(opts.nodes.map((n) => n.stats()));
  const ingestMs: number[] = [];
  const replyMs: number[] = [];
  let timedOut = 0;
  let sent = 0;
  const conversationIds = new Set<string>();
  const duplicatesBefore = opts.deliveries.duplicates;
  const started = Date.now();
  await Promise.all(
    Array.from({ length: opts.customers }, async (_, c) => {
      for (let i = 0; i < opts.messages; i++) {
        const text = SCRIPT[i % SCRIPT.length]!.replace('ana.garcia', `ana.garcia${c}`);
        const t0 = Date.now();
        const res = await postJson(`${opts.url}/webhooks/bench`, {
          id: `${opts.runId}-${c}-${i}`,
          user: `${opts.runId}-${c}`,
          text,
        });
        if (res.status !== 202) throw new Error(`ingest answered ${res.status}: ${res.body}`);
        const { conversationId } = JSON.parse(res.body) as { conversationId: string };
        conversationIds.add(conversationId);
        ingestMs.push(Date.now() - t0);
        sent += 1;
        const at = await opts.deliveries.next(conversationId, t0, opts.replyTimeoutMs ?? 60_000);
        if (at === undefined) {
          timedOut += 1;
          return;
        }
        replyMs.push(at - t0);
      }
    }),
  );
  const seconds = (Date.now() - started) / 1000;
  const after = await Promise.all(opts.nodes.map((n) => n.stats()));
  const delta = (k: keyof Stats) =>
    after.reduce((sum, s, i) => sum + s[k] - before[i]![k], 0) / Math.max(1, sent);
  const round = (x: number, d = 1) => Number(x.toFixed(d));
  return {
    customers: opts.customers,
    messages: sent,
    seconds: round(seconds, 2),
    messagesPerSecond: round(sent / seconds),
    ingestP50Ms: percentile(ingestMs, 50),
    ingestP99Ms: percentile(ingestMs, 99),
    replyP50Ms: percentile(replyMs, 50),
    replyP99Ms: percentile(replyMs, 99),
    mongoOpsPerMessage: round(delta('mongoOps')),
    redisRoundTripsPerMessage: round(delta('redisTrips')),
    nodeCpuMsPerMessage: round(delta('cpuMs')),
    unanswered: 0,
    timedOut,
    duplicateDeliveries: opts.deliveries.duplicates - duplicatesBefore,
    conversationIds: [...conversationIds],
  };
}

/** Requests per second of a bare fastify server answering the same POST, same client. */
export async function fastifyEcho(concurrency: number, seconds = 3): Promise<number> {
  const app = Fastify();
  app.post('/webhooks/bench', async (_req, reply) =>
    reply.status(202).send({ conversationId: 'x' }),
  );
  const url = await app.listen({ port: 0, host: '127.0.0.1' });
  let done = 0;
  const until = Date.now() + seconds * 1000;
  const started = Date.now();
  await Promise.all(
    Array.from({ length: concurrency }, async (_, c) => {
      for (let i = 0; Date.now() < until; i++) {
        const res = await postJson(`${url}/webhooks/bench`, {
          id: `echo-${c}-${i}`,
          user: `echo-${c}`,
          text: 'hola',
        });
        JSON.parse(res.body);
        done += 1;
      }
    }),
  );
  const rate = done / ((Date.now() - started) / 1000);
  await app.close();
  return Math.round(rate);
}

/**
 * Once the queues drained (no inbound message of these conversations still unprocessed, up to
 * `timeoutMs`): how many inbound messages have no reply that reached the channel.
 */
export async function unansweredInDatabase(
  uri: string,
  conversationIds: string[],
  deliveries: Deliveries,
  timeoutMs = 180_000,
): Promise<number> {
  const client = await new mongoose.mongo.MongoClient(
    uri.replace(/monitorCommands=true&?/, ''),
  ).connect();
  try {
    const messages = client.db().collection('messages');
    const ids = conversationIds.map((id) => new mongoose.Types.ObjectId(id));
    const ofThese = { conversationId: { $in: ids } };
    const deadline = Date.now() + timeoutMs;
    while (
      Date.now() < deadline &&
      (await messages.countDocuments({
        ...ofThese,
        direction: 'in',
        status: { $ne: 'processed' },
      })) > 0
    ) {
      await new Promise((r) => setTimeout(r, 2000));
    }
    const inbound = await messages
      .find({ ...ofThese, direction: 'in' }, { projection: { _id: 1 } })
      .toArray();
    const replies = await messages
      .find({ ...ofThese, direction: 'out' }, { projection: { _id: 1, replyTo: 1 } })
      .toArray();
    const answered = new Set(
      replies.filter((r) => deliveries.seen.has(r._id.toHexString())).map((r) => String(r.replyTo)),
    );
    return inbound.filter((m) => !answered.has(m._id.toHexString())).length;
  } finally {
    await client.close();
  }
}
