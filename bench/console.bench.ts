/**
 * The console's read routes on the embedded default (FerretDB on embedded PostgreSQL) with a
 * seeded database: N contacts, one conversation each with its denormalised last message (as the
 * engine writes it), a tenth of them queued. Measures the latency of GET /api/conversations
 * (default, by status, by language + intent, free text), GET /api/conversations/:id and
 * GET /api/contacts?q= through a real Charla (ROLE=web), sequential requests after a warm-up.
 *
 *   npx tsx bench/console.bench.ts [--quick]
 *
 * Off the hot path: FerretDB scans every non-_id filter, so these figures grow with the data;
 * on MongoDB the lastMessageAt/status indexes serve the same queries. Own QUEUE_PREFIX, deleted
 * at the end; listens on 127.0.0.1 only.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Redis } from 'ioredis';
import mongoose from 'mongoose';
import { createCharla } from '../src/app/charla.js';
import { loadConfig } from '../src/kernel/config/config.js';
import { startEmbeddedMongo } from '../src/app/infra/embedded-mongo.js';
import { createLogger } from '../src/kernel/logger.js';
import { Contact, ContactIdentity } from '../src/kernel/db/models/contact.js';
import { Conversation } from '../src/kernel/db/models/conversation.js';
import { machineLine, writeBenchmarkSection } from './benchmarks-file.js';
import { percentile } from './pipeline-load.js';

const REPO = join(dirname(fileURLToPath(import.meta.url)), '..');
const QUICK = process.argv.includes('--quick');
const N = QUICK ? 2_000 : 10_000;
const RUNS = QUICK ? 10 : 30;
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const PREFIX = `charla-bench-console-${Date.now().toString(36)}`;
const TOKEN = 'bench-console-admin-token-0123456789';
const BATCH = 1000;
const { ObjectId } = mongoose.Types;

async function seed(uri: string, db: string): Promise<string> {
  const client = await new mongoose.mongo.MongoClient(uri).connect();
  let sampleId = '';
  try {
    const d = client.db(db);
    const now = Date.now();
    for (let i = 0; i < N; i += BATCH) {
      const contacts = [];
      const identities = [];
      const conversations = [];
      for (let j = i; j < Math.min(N, i + BATCH); j++) {
        const contactId = new ObjectId();
        const conversationId = new ObjectId();
        if (!sampleId) sampleId = conversationId.toHexString();
        const en = j % 2 === 0;
        const at = new Date(now - j * 60_000);
        contacts.push({
          _id: contactId,
          name: `Cliente ${j}`,
          emails: [`cliente${j}@example.com`],
          phones: [],
          tags: j % 10 === 0 ? ['vip'] : [],
          identities: [{ channel: 'webchat', platformUserId: `bench-${j}` }],
          marketingConsent: { granted: false },
          createdAt: at,
          updatedAt: at,
        });
        identities.push({
          key: `webchat:bench-${j}`,
          channel: 'webchat',
          platformUserId: `bench-${j}`,
          contactId,
        });
        conversations.push({
          _id: conversationId,
          contactId,
          channel: 'webchat',
          platformConversationId: `bench-${j}`,
          platformUserId: `bench-${j}`,
          status: j % 10 === 3 ? 'queued' : 'bot',
          statusHistory: [{ status: 'bot', at }],
          locale: en ? 'en' : 'es',
          intentsSeen: [en ? 'pricing' : 'greeting'],
          lastIntent: en ? 'pricing' : 'greeting',
          lastMessageAt: at,
          lastMessageText: en ? `how much is plan ${j}?` : `hola, soy el cliente ${j}`,
          createdAt: at,
          updatedAt: at,
        });
      }
      await d.collection(Contact.collection.collectionName).insertMany(contacts);
      await d.collection(ContactIdentity.collection.collectionName).insertMany(identities);
      await d.collection(Conversation.collection.collectionName).insertMany(conversations);
    }
  } finally {
    await client.close();
  }
  return sampleId;
}

async function timeRoute(url: string): Promise<{ p50: number; p95: number; total: number }> {
  const once = async () => {
    const t0 = performance.now();
    const res = await fetch(url, { headers: { authorization: `Bearer ${TOKEN}` } });
    const body = (await res.json()) as { total?: number };
    if (res.status !== 200) throw new Error(`${url}: ${res.status} ${JSON.stringify(body)}`);
    return { ms: performance.now() - t0, total: body.total ?? 1 };
  };
  for (let i = 0; i < 3; i++) await once();
  const times: number[] = [];
  let total = 0;
  for (let i = 0; i < RUNS; i++) {
    const r = await once();
    times.push(r.ms);
    total = r.total;
  }
  return { p50: percentile(times, 50), p95: percentile(times, 95), total };
}

async function main() {
  const dataDir = mkdtempSync(join(tmpdir(), 'charla-bench-console-'));
  const embedded = await startEmbeddedMongo({ dataDir, ferretdbBin: process.env.FERRETDB_BIN });
  const db = 'bench_console';
  const redis = new Redis(REDIS_URL);
  let charla: Awaited<ReturnType<typeof createCharla>> | undefined;
  try {
    const t0 = performance.now();
    const sampleId = await seed(embedded.uri, db);
    console.log(`seeded ${N} contacts + conversations in ${Math.round(performance.now() - t0)} ms`);
    const config = loadConfig({
      PORT: '0',
      HOST: '127.0.0.1',
      MONGODB_URI: embedded.uri,
      REDIS_URL,
      QUEUE_PREFIX: PREFIX,
      ADMIN_TOKEN: TOKEN,
      ROLE: 'web',
      LOG_LEVEL: 'silent',
    });
    charla = await createCharla(config, { logger: createLogger('silent'), dbName: db });
    const base = await charla.listen();
    const routes: Array<[string, string]> = [
      ['conversations, first page (50)', '/api/conversations'],
      ['conversations ?status=queued', '/api/conversations?status=queued'],
      [
        'conversations ?language=en&intent=pricing',
        '/api/conversations?language=en&intent=pricing',
      ],
      ['conversations ?q=cliente 42 (text)', '/api/conversations?q=cliente%2042'],
      ['conversation page (detail)', `/api/conversations/${sampleId}`],
      ['contacts ?q=cliente42@', '/api/contacts?q=cliente42%40'],
    ];
    const rows: string[] = [];
    for (const [name, path] of routes) {
      const r = await timeRoute(`${base}${path}`);
      console.log(
        `${name}: p50 ${r.p50.toFixed(1)} ms, p95 ${r.p95.toFixed(1)} ms (total ${r.total})`,
      );
      rows.push(`| ${name} | ${r.total} | ${r.p50.toFixed(1)} | ${r.p95.toFixed(1)} |`);
    }
    writeBenchmarkSection(
      REPO,
      'console',
      `## Console reads (\`npx tsx bench/console.bench.ts\`)

${machineLine()}. Embedded FerretDB 1.24 on embedded PostgreSQL, ${N.toLocaleString('en')} contacts
with one conversation each (a tenth queued), one Charla process (ROLE=web), ${RUNS} sequential
requests per route after 3 warm-ups, through HTTP with the admin bearer.

| route | matches | p50 ms | p95 ms |
| --- | ---: | ---: | ---: |
${rows.join('\n')}

FerretDB scans every filter but \`{_id}\`, so list and search times grow with the collection;
these routes are off the customer's path, and on MongoDB the \`lastMessageAt\` and
\`status + lastMessageAt\` indexes serve the list. The detail route reads by \`_id\` and the
conversation's messages.`,
    );
  } finally {
    await charla?.stop();
    await embedded.stop();
    const keys = await redis.keys(`${PREFIX}:*`);
    if (keys.length > 0) await redis.del(...keys);
    redis.disconnect();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
