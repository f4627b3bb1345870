/**
 * End-to-end pipeline benchmark: many customers writing at once through the real ingest →
 * inbound queue → engine (NLU + flows) → outbound queue path, on embedded FerretDB and local
 * Redis, with an in-process adapter that records deliveries. Reports ingest latency (what a
 * platform webhook waits for), reply latency (customer message → reply handed to the channel)
 * and throughput. `--json` prints one JSON object as the last line.
 *
 *   npm run bench:pipeline [-- --conversations 20 --messages 6 --json]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createCharla } from '../src/app.js';
import { loadConfig } from '../src/config.js';
import type { ChannelAdapter } from '../src/contracts/channel-adapter.js';
import type { OutboundMessage } from '../src/contracts/messages.js';
import { createLogger } from '../src/logger.js';
import { machineLine, writeBenchmarkSection } from './benchmarks-file.js';

const REPO = join(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const arg = (name: string, fallback: number) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) : fallback;
};
const CONVERSATIONS = arg('conversations', 20);
const MESSAGES = arg('messages', 6);
const JSON_OUT = args.includes('--json');
const log = (...m: unknown[]) => {
  if (!JSON_OUT) console.log(...m);
};

/** A realistic mix: greeting, FAQ, a lead capture, thanks. */
const SCRIPT = [
  'hola',
  '¿cuál es vuestro horario?',
  'quiero información para contratar vuestro servicio',
  'Ana García',
  'ana.garcia@example.com',
  'gracias',
];

const percentile = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] ?? NaN;
};

async function main() {
  const dataDir = mkdtempSync(join(tmpdir(), 'charla-bench-'));
  const firstReplyAt = new Map<string, number>();
  const adapter: ChannelAdapter = {
    id: 'slack',
    capabilities: { buttons: true, media: false, typing: false, maxTextLength: 4000 },
    mount: () => undefined,
    async send(m: OutboundMessage) {
      if (!firstReplyAt.has(m.conversationId)) firstReplyAt.set(m.conversationId, Date.now());
      return { platformMessageId: m.id };
    },
  };
  const config = loadConfig({
    PORT: '0',
    HOST: '127.0.0.1',
    DATA_DIR: dataDir,
    QUEUE_PREFIX: `charla-bench-${Date.now()}`,
    LOG_LEVEL: 'silent',
  });
  const charla = await createCharla(config, {
    logger: createLogger('silent'),
    extraAdapters: [adapter],
  });
  const { ingest } = charla.services;

  const ingestMs: number[] = [];
  const replyMs: number[] = [];
  const started = Date.now();
  let sent = 0;
  // Each customer writes their next line only after the bot answered the previous one.
  // Whatever happens, the embedded FerretDB child and the queue keys are cleaned up.
  const run = Promise.all(
    Array.from({ length: CONVERSATIONS }, async (_, c) => {
      for (let i = 0; i < MESSAGES; i++) {
        const text = SCRIPT[i % SCRIPT.length]!.replace('ana.garcia', `ana.garcia${c}`);
        const t0 = Date.now();
        const { conversationId } = await ingest.ingest({
          channel: 'slack',
          platformMessageId: `bench-${c}-${i}`,
          platformUserId: `U${c}`,
          platformConversationId: `D${c}`,
          text,
        });
        ingestMs.push(Date.now() - t0);
        firstReplyAt.delete(conversationId);
        sent += 1;
        const deadline = Date.now() + 120_000;
        while (!firstReplyAt.has(conversationId) && Date.now() < deadline) {
          await new Promise((r) => setTimeout(r, 2));
        }
        if (!firstReplyAt.has(conversationId)) throw new Error('no reply within 120 s');
        replyMs.push(firstReplyAt.get(conversationId)! - t0);
      }
    }),
  );
  let seconds = 0;
  try {
    await run;
    seconds = (Date.now() - started) / 1000;
  } finally {
    const keys = await charla.services.redis.keys(`${config.queuePrefix}:*`);
    if (keys.length > 0) await charla.services.redis.del(...keys);
    await charla.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }

  const result = {
    conversations: CONVERSATIONS,
    messages: sent,
    seconds: Number(seconds.toFixed(2)),
    messagesPerSecond: Number((sent / seconds).toFixed(1)),
    ingestP50Ms: percentile(ingestMs, 50),
    ingestP99Ms: percentile(ingestMs, 99),
    replyP50Ms: percentile(replyMs, 50),
    replyP99Ms: percentile(replyMs, 99),
  };
  const table = [
    '| customers at once | messages | msg/s | ingest p50 / p99 | reply p50 / p99 |',
    '| --- | --- | --- | --- | --- |',
    `| ${result.conversations} | ${result.messages} | ${result.messagesPerSecond} | ${result.ingestP50Ms} / ${result.ingestP99Ms} ms | ${result.replyP50Ms} / ${result.replyP99Ms} ms |`,
  ].join('\n');
  log(table);
  writeBenchmarkSection(
    REPO,
    'pipeline',
    `## Message pipeline (\`npm run bench:pipeline\`)

Machine: ${machineLine()}. Embedded FerretDB 1.24 (SQLite) and local Redis, one Charla process
(HTTP + workers). Each customer sends the next line of a six-line script (greeting, FAQ, lead
capture with name and email, thanks) as soon as the bot answered the previous one. *Ingest* is what
a platform webhook waits for (contact, conversation and message stored, job queued); *reply* is
from ingest to the first reply handed to the channel adapter.

Read these as the embedded default's figures, not MongoDB's: FerretDB 1.24's SQLite backend pushes
down only filters of the exact form \`{_id: value}\`; every other query scans its collection
(measured here: a unique-indexed field lookup takes 9.5 ms with 200 documents and 63 ms with
2,000), and Charla runs one connection per process on FerretDB to avoid its lost updates (see
docs/ARCHITECTURE.md). So latency grows with the data the bench itself writes. On MongoDB the same
queries use the declared indexes.

${table}`,
  );
  if (JSON_OUT) console.log(JSON.stringify(result));
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
