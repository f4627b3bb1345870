/**
 * npm run check:traces (and CI, after check:signals): Charla's traces reach a real OpenTelemetry
 * Collector. Starts the collector built by scripts/ensure-otelcol.mjs (the collector's own service
 * with its OTLP receiver and the contrib file exporter, tools/otelcol) on 127.0.0.1, then Charla
 * as an operator runs it (`node --import tsx src/main.ts`, a child process, on its own embedded
 * FerretDB and the Redis of REDIS_URL under a fresh queue prefix) with
 * OTEL_EXPORTER_OTLP_ENDPOINT pointing at the collector; sends one web chat message and waits for
 * the reply to be sent. Then reads what the collector wrote and checks that one trace holds the
 * message's way through Charla, each span the child of the one before:
 *   POST /api/webchat/sessions/:id/messages (server) → ingest → inbound job (consumer; the context
 *   rode inside the BullMQ job's data) → turn → the engine's stages (children of the turn) and
 *   delivery → send (client)
 * and that Charla's log lines written inside it carry its trace id (and a span id of it).
 * Prints the trace as a tree. Not in `npm test`: the first run builds the collector (minutes).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Redis } from 'ioredis';
import { startEmbeddedMongo } from '../src/app/infra/embedded-mongo.js';
import { freePort, waitForPort } from '../src/app/infra/free-port.js';
import { startChildCharla, withDatabase, type ChildCharla } from '../test/support/child-charla.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const COLLECTOR = path.join(ROOT, '.tools', 'bin', 'otelcol-charla');
const SERVICE = 'charla-check-traces';
const POST_ROUTE = 'POST /api/webchat/sessions/:id/messages';

interface OtlpSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  kind: number;
  startTimeUnixNano: string;
  endTimeUnixNano: string;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until<T>(what: string, fn: () => Promise<T | undefined | null | false>) {
  const deadline = Date.now() + 90_000;
  while (Date.now() < deadline) {
    const got = await fn();
    if (got) return got;
    await sleep(200);
  }
  throw new Error(`check:traces: ${what} did not happen within 90 s`);
}

/** Every span the collector's file exporter wrote (one OTLP JSON export request per line). */
function readSpans(file: string): { spans: OtlpSpan[]; services: Set<string> } {
  const spans: OtlpSpan[] = [];
  const services = new Set<string>();
  if (!existsSync(file)) return { spans, services };
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    if (!line.trim()) continue;
    let request: {
      resourceSpans?: Array<{
        resource?: { attributes?: Array<{ key: string; value: { stringValue?: string } }> };
        scopeSpans?: Array<{ spans?: OtlpSpan[] }>;
      }>;
    };
    try {
      request = JSON.parse(line);
    } catch {
      continue; // a line being written
    }
    for (const rs of request.resourceSpans ?? []) {
      for (const a of rs.resource?.attributes ?? []) {
        if (a.key === 'service.name' && a.value.stringValue) services.add(a.value.stringValue);
      }
      for (const ss of rs.scopeSpans ?? []) spans.push(...(ss.spans ?? []));
    }
  }
  return { spans, services };
}

async function startCollector(
  dir: string,
): Promise<{ url: string; file: string; stop(): Promise<void> }> {
  if (!existsSync(COLLECTOR)) {
    throw new Error(`${COLLECTOR} is missing: run node scripts/ensure-otelcol.mjs first`);
  }
  const [httpPort, grpcPort] = [await freePort(), await freePort()];
  const file = path.join(dir, 'traces.jsonl');
  const config = path.join(dir, 'collector.yaml');
  writeFileSync(
    config,
    [
      'receivers:',
      '  otlp:',
      '    protocols:',
      `      http: { endpoint: "127.0.0.1:${httpPort}" }`,
      `      grpc: { endpoint: "127.0.0.1:${grpcPort}" }`,
      'exporters:',
      `  file: { path: ${JSON.stringify(file)}, flush_interval: 200ms }`,
      'service:',
      '  telemetry: { metrics: { level: none } }',
      '  pipelines:',
      '    traces: { receivers: [otlp], exporters: [file] }',
      '',
    ].join('\n'),
  );
  const child: ChildProcess = spawn(COLLECTOR, ['--config', config], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-8000)));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  if (!(await waitForPort(httpPort, 60_000))) {
    child.kill('SIGKILL');
    throw new Error(`the collector did not listen on :${httpPort}; its log:\n${stderr}`);
  }
  console.log(`collector (OTLP/HTTP) on 127.0.0.1:${httpPort}, writing ${file}`);
  return {
    url: `http://127.0.0.1:${httpPort}`,
    file,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}

async function webchatMessage(url: string, text: string): Promise<string> {
  const created = await fetch(`${url}/api/webchat/sessions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ locale: 'es' }),
  });
  if (created.status !== 201) throw new Error(`web chat session answered ${created.status}`);
  const s = (await created.json()) as { sessionId: string; token: string };
  const posted = await fetch(`${url}/api/webchat/sessions/${s.sessionId}/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${s.token}` },
    body: JSON.stringify({ text }),
  });
  if (posted.status !== 202) throw new Error(`web chat message answered ${posted.status}`);
  // The widget's own poll: the bot's reply is there once it was sent.
  await until('the reply', async () => {
    const listed = await fetch(`${url}/api/webchat/sessions/${s.sessionId}/messages`, {
      headers: { authorization: `Bearer ${s.token}` },
    });
    const body = (await listed.json()) as { messages?: Array<{ direction: string }> };
    return body.messages?.some((m) => m.direction === 'out');
  });
  return ((await posted.json()) as { messageId: string }).messageId;
}

function check(condition: unknown, message: string): asserts condition {
  if (!condition) throw new Error(`check:traces: ${message}`);
}

/** The trace as an indented tree: name, kind, duration. */
function printTree(spans: OtlpSpan[]): void {
  const kinds = ['unspecified', 'internal', 'server', 'client', 'producer', 'consumer'];
  const ms = (s: OtlpSpan) =>
    (Number(BigInt(s.endTimeUnixNano) - BigInt(s.startTimeUnixNano)) / 1e6).toFixed(1);
  const walk = (parent: string, depth: number) => {
    const children = spans
      .filter((s) => (s.parentSpanId ?? '') === parent)
      .sort((a, b) => (BigInt(a.startTimeUnixNano) < BigInt(b.startTimeUnixNano) ? -1 : 1));
    for (const s of children) {
      console.log(`${'  '.repeat(depth + 1)}${s.name} (${kinds[s.kind] ?? s.kind}, ${ms(s)} ms)`);
      walk(s.spanId, depth + 1);
    }
  };
  walk('', 0);
}

async function main(): Promise<void> {
  const work = mkdtempSync(path.join(tmpdir(), 'charla-traces-'));
  const prefix = `charla-traces-${randomUUID().slice(0, 8)}`;
  const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
  let mongo: Awaited<ReturnType<typeof startEmbeddedMongo>> | undefined;
  let collector: Awaited<ReturnType<typeof startCollector>> | undefined;
  let charla: ChildCharla | undefined;
  try {
    collector = await startCollector(work);
    mongo = process.env.MONGODB_URI
      ? undefined
      : await startEmbeddedMongo({
          dataDir: path.join(work, 'data'),
          ferretdbBin: process.env.FERRETDB_BIN,
          backend: 'sqlite',
        });
    charla = await startChildCharla({
      MONGODB_URI: withDatabase(process.env.MONGODB_URI ?? mongo!.uri, prefix.replaceAll('-', '_')),
      REDIS_URL: redisUrl,
      QUEUE_PREFIX: prefix,
      ADMIN_TOKEN: `traces-${randomUUID()}`,
      LOG_LEVEL: 'debug',
      OTEL_EXPORTER_OTLP_ENDPOINT: collector.url,
      OTEL_SERVICE_NAME: SERVICE,
      NLU_CACHE_DIR: path.join(tmpdir(), 'charla-test-nlu-cache'),
    });
    const messageId = await webchatMessage(charla.url, 'hola');
    console.log(`web chat message ${messageId} answered; waiting for its spans at the collector`);

    // The SDK exports every second, the collector's file exporter flushes every 200 ms.
    const post = await until('the POST span', async () =>
      readSpans(collector!.file).spans.find((s) => s.name === POST_ROUTE),
    );
    await until('the send span', async () =>
      readSpans(collector!.file).spans.some((s) => s.traceId === post.traceId && s.name === 'send'),
    );
    const { spans: all, services } = readSpans(collector.file);
    const spans = all.filter((s) => s.traceId === post.traceId);
    const one = (name: string) => {
      const found = spans.filter((s) => s.name === name);
      check(found.length === 1, `${found.length} spans named "${name}" in the trace, not 1`);
      return found[0]!;
    };
    const ingest = one('ingest');
    const job = one('inbound job');
    const turn = one('turn');
    const delivery = one('delivery');
    const send = one('send');
    check(!post.parentSpanId, 'the POST span has a parent');
    for (const [child, parent] of [
      [ingest, post],
      [job, ingest],
      [turn, job],
      [delivery, turn],
      [send, delivery],
    ] as const) {
      check(
        child.parentSpanId === parent.spanId,
        `"${child.name}" is not the child of "${parent.name}"`,
      );
    }
    const stages = spans.filter((s) => s.name.startsWith('stage '));
    check(stages.length >= 2, `${stages.length} engine stage spans, expected at least 2`);
    for (const s of stages)
      check(s.parentSpanId === turn.spanId, `"${s.name}" is not under the turn`);
    check(
      post.kind === 2 && job.kind === 5 && send.kind === 3,
      'span kinds (server, consumer, client)',
    );
    check(
      services.has(SERVICE),
      `service.name ${SERVICE} missing (got ${[...services].join(', ')})`,
    );

    const spanIds = new Set(spans.map((s) => s.spanId));
    const traced = charla.logs.filter((l) => l.trace_id === post.traceId);
    check(traced.length > 0, 'no log line of Charla carries the trace id');
    for (const line of traced) {
      check(
        spanIds.has(String(line.span_id)),
        `a log line names span ${line.span_id}, not of the trace`,
      );
    }
    console.log(`\ntrace ${post.traceId}: ${spans.length} spans`);
    printTree(spans);
    console.log(`${traced.length} of Charla's log lines carry trace_id ${post.traceId}`);
    console.log('check:traces: ok');
  } finally {
    await charla?.stop();
    await collector?.stop();
    await mongo?.stop();
    rmSync(work, { recursive: true, force: true });
    const redis = new Redis(redisUrl);
    const keys = await redis.keys(`${prefix}:*`);
    if (keys.length > 0) await redis.del(...keys);
    redis.disconnect();
  }
}

await main();
