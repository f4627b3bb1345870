/**
 * `npm run bench:analytics` — the analytics summary over 1 million messages' worth of rollups on
 * the embedded default (FerretDB 1.24 on embedded PostgreSQL).
 *
 * 1. The real write path, per message: a few conversations of 20 messages (10 in, 10 out) are
 *    stored as the pipeline stores them and rolled up by the real job (`runRollup`); the job's
 *    time divided by the messages gives its cost per message.
 * 2. 1,000,000 messages' worth: 50,000 conversations of 20 messages over 90 days, 7 channels,
 *    2 languages, written as the job writes them (one contribution per conversation, then every
 *    day's cells recomputed from them by the job's own `recomputeDay`).
 * 3. GET /api/analytics/summary (30 and 90 days) and /timeseries over HTTP (fastify inject of the
 *    real route), 50 requests each: p50 / p99. Writes its BENCHMARKS.md section. Not a test.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { execSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Fastify from 'fastify';
import { serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import { Redis } from 'ioredis';
import mongoose, { Types } from 'mongoose';
import { ANALYTICS_CHANNELS, dayOf, zeroCounts } from '../src/features/analytics/definitions.js';
import { recomputeDay } from '../src/features/analytics/days.js';
import { runRollup } from '../src/features/analytics/rollup.js';
import { touch } from '../src/features/analytics/touches.js';
import { startEmbeddedMongo } from '../src/app/infra/embedded-mongo.js';
import { mountAnalyticsRoutes } from '../src/features/analytics/routes.js';
import { AnalyticsConversation } from '../src/features/analytics/model.js';
import { Conversation } from '../src/kernel/db/models/conversation.js';
import { Message } from '../src/kernel/db/models/message.js';
import { machineLine, writeBenchmarkSection } from './benchmarks-file.js';

const REPO = join(dirname(fileURLToPath(import.meta.url)), '..');
const CONVERSATIONS = Number(process.env.CONVERSATIONS ?? 50_000);
const PER_CONVERSATION = 20;
const DAYS = 90;
const REQUESTS = 50;
const DAY_MS = 86_400_000;

async function realPath(redis: Redis, prefix: string, n: number) {
  const ids: string[] = [];
  for (let i = 0; i < n; i++) {
    const contactId = new Types.ObjectId();
    const conv = await Conversation.create({
      contactId,
      channel: 'webchat',
      platformConversationId: `bench-${i}`,
      platformUserId: `u${i}`,
      locale: i % 2 ? 'en' : 'es',
      statusHistory: [{ status: 'bot', at: new Date() }],
    });
    const messages = Array.from({ length: PER_CONVERSATION }, (_, k) => ({
      conversationId: conv._id,
      contactId,
      channel: 'webchat',
      direction: k % 2 ? 'out' : 'in',
      author: k % 2 ? 'bot' : 'customer',
      text: k % 2 ? 'Abrimos de 9 a 18.' : '¿A qué hora abrís?',
      dedupeKey: `bench-${i}-${k}`,
      status: k % 2 ? 'sent' : 'processed',
      ...(k % 2
        ? {}
        : { nlu: { intent: k % 4 ? null : 'business_hours', confidence: 0.9, language: 'es' } }),
    }));
    await Message.insertMany(messages);
    ids.push(String(conv._id));
  }
  await redis.hset(`${prefix}:analytics:state`, 'backfilled', '1', 'sweptAt', String(Date.now()));
  await touch(redis, prefix, ids, 0);
  const t = performance.now();
  const report = await runRollup({ redis, prefix, settleMs: 0 });
  const ms = performance.now() - t;
  return { ms, messages: n * PER_CONVERSATION, conversations: report.conversations };
}

function contribution(i: number, start: number) {
  const escalated = i % 5 === 0 ? 1 : 0;
  const lead = i % 7 === 0 ? 1 : 0;
  return {
    _id: new Types.ObjectId(),
    day: dayOf(new Date(start + (i % DAYS) * DAY_MS)),
    channel: ANALYTICS_CHANNELS[i % ANALYTICS_CHANNELS.length]!,
    language: i % 3 ? 'es' : 'en',
    ...zeroCounts(),
    conversations: 1,
    messagesIn: 10,
    messagesOut: 10,
    botMessagesIn: 10 - escalated,
    noIntent: i % 4,
    escalated,
    leads: lead,
    qualifiedLeads: lead && i % 2,
    wonLeads: lead && i % 4 === 0 ? 1 : 0,
    cases: i % 11 === 0 ? 1 : 0,
    queueWaits: escalated ? [30 + (i % 300)] : [],
    firstReplies: escalated ? [60 + (i % 600)] : [],
    intents: [
      { intent: ['pricing', 'business_hours', 'lead_interest', 'open_case'][i % 4]!, count: 5 },
    ],
    unanswered: [],
  };
}

async function seedRollups(start: number) {
  for (let i = 0; i < CONVERSATIONS; i += 2000) {
    const batch = Array.from({ length: Math.min(2000, CONVERSATIONS - i) }, (_, k) =>
      contribution(i + k, start),
    );
    await AnalyticsConversation.collection.insertMany(batch, { ordered: false });
  }
  for (let d = 0; d < DAYS; d++) await recomputeDay(dayOf(new Date(start + d * DAY_MS)));
}

async function latencies(app: ReturnType<typeof Fastify>, url: string) {
  const times: number[] = [];
  for (let i = 0; i < REQUESTS; i++) {
    const t = performance.now();
    const res = await app.inject({ method: 'GET', url });
    times.push(performance.now() - t);
    if (res.statusCode !== 200) throw new Error(`${url}: ${res.statusCode} ${res.body}`);
  }
  times.sort((a, b) => a - b);
  return {
    p50: times[Math.floor(times.length * 0.5)]!,
    p99: times[Math.floor(times.length * 0.99)]!,
  };
}

async function main() {
  const dataDir = mkdtempSync(join(tmpdir(), 'charla-bench-analytics-'));
  const embedded = await startEmbeddedMongo({ dataDir, ferretdbBin: process.env.FERRETDB_BIN });
  const redis = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
  const prefix = `charla-bench-analytics-${Date.now()}`;
  try {
    const uri = new URL(embedded.uri);
    uri.pathname = '/bench_analytics';
    await mongoose.connect(uri.toString());
    await Promise.all([AnalyticsConversation.init(), Message.init(), Conversation.init()]);
    const real = await realPath(redis, prefix, 20);
    console.log(`real write path: ${real.messages} messages rolled up in ${real.ms.toFixed(0)} ms`);
    const start = Date.now() - (DAYS - 1) * DAY_MS;
    const t = performance.now();
    await seedRollups(start);
    const seedS = (performance.now() - t) / 1000;
    console.log(
      `seeded ${CONVERSATIONS * PER_CONVERSATION} messages' worth in ${seedS.toFixed(0)} s`,
    );
    const app = Fastify();
    app.setValidatorCompiler(validatorCompiler);
    app.setSerializerCompiler(serializerCompiler);
    app.decorate('staffAuthenticator', async () => ({
      kind: 'token' as const,
      id: 'admin-token',
      role: 'admin' as const,
    }));
    mountAnalyticsRoutes(app, { baseCurrency: 'EUR' });
    await app.ready();
    const to = dayOf(new Date());
    const from30 = dayOf(new Date(Date.now() - 29 * DAY_MS));
    const from90 = dayOf(new Date(start));
    const rows: string[] = [];
    for (const [label, url] of [
      ['summary, 30 days', `/api/analytics/summary?from=${from30}&to=${to}`],
      ['summary, 90 days', `/api/analytics/summary?from=${from90}&to=${to}`],
      [
        'summary, 90 days, one channel + language',
        `/api/analytics/summary?from=${from90}&to=${to}&channel=telegram&language=en`,
      ],
      [
        'timeseries (conversations, by day), 90 days',
        `/api/analytics/timeseries?metric=conversations&from=${from90}&to=${to}`,
      ],
    ] as const) {
      const l = await latencies(app, url);
      console.log(label, l);
      rows.push(`| ${label} | ${l.p50.toFixed(0)} | ${l.p99.toFixed(0)} |`);
    }
    await app.close();
    const perMessage = real.ms / real.messages;
    writeBenchmarkSection(
      REPO,
      'analytics',
      `## Analytics summary over 1M messages (\`npm run bench:analytics\`)

${machineLine()}; load at the start: \`${execSync('uptime').toString().trim()}\` (other sessions
share the 2 cores). FerretDB 1.24 on embedded PostgreSQL. ${(CONVERSATIONS * PER_CONVERSATION).toLocaleString('en')}
messages' worth of rollups: ${CONVERSATIONS.toLocaleString('en')} conversations of ${PER_CONVERSATION} messages over ${DAYS}
days, 7 channels × 2 languages — one contribution per conversation and each day's cells
recomputed from them by the job's own \`recomputeDay\` (seeding took ${seedS.toFixed(0)} s). The
summary reads only the day cells (one indexed \`month\` equality per month), so its cost follows
days × channels × languages, not messages.

| request (${REQUESTS} each, over HTTP via fastify inject) | p50 ms | p99 ms |
|---|---:|---:|
${rows.join('\n')}

Real write path: ${real.conversations} conversations of ${PER_CONVERSATION} messages stored as the pipeline stores them,
rolled up by the job (\`runRollup\`: conversation by \`_id\`, messages/cases/leads by indexed
equality, one contribution write, the day recomputed) in ${real.ms.toFixed(0)} ms —
${perMessage.toFixed(2)} ms of background job time per message, none on the turn (the turn pays no
MongoDB operation and no Redis round trip: touches ride on the console event stream).`,
    );
  } finally {
    await mongoose.disconnect();
    await embedded.stop();
    const keys = await redis.keys(`${prefix}:*`);
    if (keys.length) await redis.del(...keys);
    redis.disconnect();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

await main();
