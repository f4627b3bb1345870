/**
 * The chaos suite (issue 12 item 11): real Charla processes, real faults, every acknowledged
 * customer message counted afterwards. Not part of `npm test` (minutes, not seconds).
 *
 *   npm run chaos [-- --only kill9,redis-restart] [--visitors 30] [--no-write]
 *
 * Scenarios (bounded: 30 visitors × 7 lines, or 20 customers × 6 lines × 5 copies; 127.0.0.1 only):
 *   kill9          kill -9 of the Charla process under 30 web chat visitors in lead capture, restart
 *   redis-restart  our own redis-server (no persistence) killed and restarted empty under traffic
 *   ferretdb-kill  the embedded FerretDB (Charla's own child) killed under traffic
 *   two-installs   two installs (two databases) on one Redis, default QUEUE_PREFIX
 *   copies         5 concurrent copies of every Telegram message of 20 new customers
 *   email          a burst of 100 mails into the SMTP receiver, kill -9 and restart mid-burst;
 *                  answers read from an SMTP sink (also `npm run chaos:email`, its own section)
 *   cluster-failover   two instances on a Redis Cluster (3+3), the install's primary killed
 *   sentinel-failover  two instances on Sentinel (1+1+3 sentinels), the primary killed
 * (the last two are `npm run chaos:redis`, with their own section in RELIABILITY.md)
 *   campaign       an email campaign to 1,000 consenting contacts, kill -9 of the sender twice
 *                  mid-send and Redis emptied once; each recipient at most one mail, every one
 *                  sent or failed with a reason (`npm run chaos:campaign`, its own section)
 *   abuse          issue 24's attacker repros against a booted Charla (chaos/abuse.ts): U+0000 in
 *                  web chat and Telegram, an owner lockout attempt, login CSRF, SSRF webhook
 *                  targets, an oversized catalogue intent; each check passes or fails
 *                  (`npm run chaos:abuse`, its own section in RELIABILITY.md)
 * Each prints sent / acknowledged / answered once / twice / never / wrong step, and the run is
 * written to RELIABILITY.md with the machine and date. Every visitor who gave up is described
 * (where, when after the fault, what MongoDB holds for its last line). Diagnostics for the two
 * Redis failover scenarios: CHAOS_SAMPLE_QUEUES=1 prints the install's BullMQ queue sizes every
 * 5 s, CHAOS_LOG_DIR=dir keeps each instance's last log lines there, CHAOS_SKIP_FAULT=1 runs the
 * same traffic without killing anything (the control run). An instance that does not exit within
 * 30 s of SIGTERM is noted and killed.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Cluster, Redis } from 'ioredis';
import mongoose from 'mongoose';
import { parseHostPorts } from '../src/kernel/redis/topology.js';
import { machineLine } from '../bench/benchmarks-file.js';
import { startChildCharla, withDatabase, type ChildCharla } from '../test/support/child-charla.js';
import { freePort } from '../src/app/infra/free-port.js';
import { startEmbeddedMongo } from '../src/app/infra/embedded-mongo.js';
import { writeReliabilitySection } from './reliability-file.js';
import type { ScenarioResult } from './scenario.js';
import { startOwnedFerretDb, startOwnedRedis } from './services.js';
import { startRedisCluster, startRedisSentinel } from '../test/support/redis-topologies.js';
import { runCopiesScenario } from './telegram-copies.js';
import { runAbuseScenario, type AbuseCheck } from './abuse.js';
import { runEmailScenario } from './email.js';
import { runCampaignScenario } from './campaign.js';
import { findDescendant } from './processes.js';
import {
  account,
  addTallies,
  learnExpectedSteps,
  planVisitor,
  runVisitor,
  type Tally,
  type VisitorOutcome,
} from './visitors.js';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const argValue = (name: string) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};
const ONLY = argValue('--only')?.split(',');
const VISITORS = Number(argValue('--visitors') ?? 30);
const WRITE = !args.includes('--no-write');
const RUN = Date.now().toString(36);
const ADMIN_TOKEN = 'chaos-admin-token-0123456789abcdef';

const baseEnv = (redisUrl: string) => ({
  REDIS_URL: redisUrl,
  ADMIN_TOKEN,
  LOG_LEVEL: 'info',
  WEBCHAT_SESSIONS_PER_MINUTE: '10000',
  WEBCHAT_MESSAGES_PER_MINUTE: '10000',
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * One warm-up visitor without faults (teaches the expected step of each reply), then `count`
 * visitors at once with `fault` fired `faultAfterMs` in; waits for them and a settling pause.
 */
async function driveVisitors(opts: {
  baseUrl: () => string;
  /** Where visitor `i` (0-based) talks, when not `baseUrl` (several instances). */
  baseUrlOf?: (i: number) => () => string;
  mongoUri: string;
  count: number;
  firstIndex?: number;
  faultAfterMs?: number;
  fault?: () => Promise<void>;
}): Promise<Tally> {
  const warm = await runVisitor(planVisitor(RUN, 9000 + (opts.firstIndex ?? 0)), {
    baseUrl: opts.baseUrl,
  });
  if (warm.stalled) throw new Error('the fault-free warm-up visitor did not get through');
  const expected = await learnExpectedSteps(opts.mongoUri, warm);
  const plans = Array.from({ length: opts.count }, (_, i) =>
    planVisitor(RUN, (opts.firstIndex ?? 0) + i),
  );
  const visitors = Promise.all(
    plans.map((p, i) => runVisitor(p, { baseUrl: opts.baseUrlOf?.(i) ?? opts.baseUrl })),
  );
  let faultAt = Date.now();
  if (opts.fault) {
    await sleep(opts.faultAfterMs ?? 4000);
    faultAt = Date.now();
    await opts.fault();
  }
  const outcomes = await visitors;
  await sleep(5000); // late duplicates show up after the visitors are done
  await describeGaveUp(opts.mongoUri, outcomes, faultAt);
  return account(opts.mongoUri, outcomes, expected);
}

/**
 * Prints, for each visitor who gave up, where (session, a line's acknowledgement or its answer),
 * when (seconds after the fault), and what MongoDB holds now for its last acknowledged line.
 */
async function describeGaveUp(mongoUri: string, outcomes: VisitorOutcome[], faultAt: number) {
  const gaveUp = outcomes.filter((o) => o.stalledAt);
  if (gaveUp.length === 0) return;
  const db = await mongoose.createConnection(mongoUri).asPromise();
  try {
    for (const o of gaveUp) {
      const at = o.stalledAt!;
      const last = o.acked.at(-1);
      let state = 'nothing acknowledged';
      if (last) {
        const id = new mongoose.Types.ObjectId(last);
        const msg = await db.collection('messages').findOne({ _id: id });
        const replies = await db.collection('messages').find({ replyTo: id }).toArray();
        // A sent reply's last update is its sending.
        const lateReply = replies
          .map((r) => (r.status === 'sent' && r.updatedAt instanceof Date ? r.updatedAt : null))
          .find((t) => t !== null)
          ?.getTime();
        state = `last acknowledged line ${msg?.status ?? 'missing'}, replies [${replies.map((r) => r.status).join(', ')}]${lateReply ? `, first sent ${((lateReply - faultAt) / 1000).toFixed(0)} s after the fault` : ''}`;
      }
      console.log(
        `  gave up at ${at.step} of line ${at.line}, ${((at.at - faultAt) / 1000).toFixed(0)} s after the fault: ${state}`,
      );
    }
  } finally {
    await db.close();
  }
}

async function scenarioKill9(): Promise<ScenarioResult> {
  const db = await startOwnedFerretDb();
  const redis = await startOwnedRedis();
  const port = String(await freePort());
  const env = {
    ...baseEnv(redis.url),
    MONGODB_URI: withDatabase(db.uri, `chaos_kill9_${RUN}`),
    PORT: port,
  };
  let app: ChildCharla | undefined;
  const notes: string[] = [];
  try {
    app = await startChildCharla(env);
    const url = app.url;
    const tally = await driveVisitors({
      baseUrl: () => url,
      mongoUri: env.MONGODB_URI,
      count: VISITORS,
      faultAfterMs: 5000,
      fault: async () => {
        await app!.kill();
        const t = Date.now();
        app = await startChildCharla(env);
        notes.push(`restarted in ${((Date.now() - t) / 1000).toFixed(1)} s`);
      },
    });
    return { name: 'kill9', fault: 'kill -9 of the Charla process, then restart', tally, notes };
  } finally {
    await app?.stop();
    await redis.stop();
    await db.stop();
  }
}

async function scenarioRedisRestart(): Promise<ScenarioResult> {
  const db = await startOwnedFerretDb();
  const redis = await startOwnedRedis();
  const env = { ...baseEnv(redis.url), MONGODB_URI: withDatabase(db.uri, `chaos_redis_${RUN}`) };
  let app: ChildCharla | undefined;
  try {
    app = await startChildCharla(env);
    const started = app;
    const tally = await driveVisitors({
      baseUrl: () => started.url,
      mongoUri: env.MONGODB_URI,
      count: VISITORS,
      faultAfterMs: 5000,
      fault: () => redis.restart(),
    });
    return {
      name: 'redis-restart',
      fault: 'Redis (no persistence) killed and restarted empty',
      tally,
      notes: [],
    };
  } finally {
    await app?.stop();
    await redis.stop();
    await db.stop();
  }
}

async function scenarioFerretDbKill(): Promise<ScenarioResult> {
  const redis = await startOwnedRedis();
  const dataDir = mkdtempSync(path.join(tmpdir(), 'charla-chaos-embedded-'));
  const env = { ...baseEnv(redis.url), DATA_DIR: dataDir };
  const notes: string[] = [];
  let started: ChildCharla | undefined;
  try {
    const app = (started = await startChildCharla(env));
    const ferret = findDescendant(app.pid, /ferretdb/);
    const addr = /--listen-addr=(\S+)/.exec(ferret?.args ?? '')?.[1];
    if (!ferret || !addr) throw new Error('no embedded FerretDB under the Charla process');
    const mongoUri = `mongodb://${addr}/charla`;
    const tally = await driveVisitors({
      baseUrl: () => app.url,
      mongoUri,
      count: VISITORS,
      faultAfterMs: 5000,
      fault: async () => {
        process.kill(ferret.pid, 'SIGKILL');
        notes.push(`killed FerretDB pid ${ferret.pid}`);
        await sleep(1000);
        const again = findDescendant(app.pid, /ferretdb/);
        notes.push(
          again && again.pid !== ferret.pid
            ? `a new FerretDB (pid ${again.pid}) was running 1 s later`
            : 'no new FerretDB 1 s later',
        );
      },
    });
    return {
      name: 'ferretdb-kill',
      fault: "the embedded FerretDB (Charla's child) killed",
      tally,
      notes,
    };
  } finally {
    await started?.stop();
    await redis.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

async function scenarioTwoInstalls(): Promise<ScenarioResult> {
  const db = await startOwnedFerretDb();
  const redis = await startOwnedRedis();
  const uriA = withDatabase(db.uri, `chaos_install_a_${RUN}`);
  const uriB = withDatabase(db.uri, `chaos_install_b_${RUN}`);
  // QUEUE_PREFIX unset on both: the default is what is under test.
  const apps: ChildCharla[] = [];
  try {
    for (const uri of [uriA, uriB]) {
      apps.push(await startChildCharla({ ...baseEnv(redis.url), MONGODB_URI: uri }));
    }
    const [a, b] = apps as [ChildCharla, ChildCharla];
    const half = Math.ceil(VISITORS / 2);
    const [ta, tb] = await Promise.all([
      driveVisitors({ baseUrl: () => a.url, mongoUri: uriA, count: half }),
      driveVisitors({ baseUrl: () => b.url, mongoUri: uriB, count: half, firstIndex: 500 }),
    ]);
    const refused = [a, b].reduce(
      (n, c) => n + c.logs.filter((l) => String(l.msg).startsWith('refused a job')).length,
      0,
    );
    return {
      name: 'two-installs',
      fault: 'two installs (databases) on one Redis, default QUEUE_PREFIX',
      tally: addTallies(ta, tb),
      notes: [`foreign jobs refused: ${refused}`],
    };
  } finally {
    await Promise.all(apps.map((app) => app.stop()));
    await redis.stop();
    await db.stop();
  }
}

async function scenarioCopies(): Promise<ScenarioResult> {
  const db = await startOwnedFerretDb();
  const redis = await startOwnedRedis();
  try {
    return await runCopiesScenario({
      env: baseEnv(redis.url),
      mongoUri: withDatabase(db.uri, `chaos_copies_${RUN}`),
      run: RUN,
    });
  } finally {
    await redis.stop();
    await db.stop();
  }
}

async function scenarioEmail(): Promise<ScenarioResult> {
  const db = await startOwnedFerretDb();
  const redis = await startOwnedRedis();
  try {
    return await runEmailScenario({
      env: baseEnv(redis.url),
      mongoUri: withDatabase(db.uri, `chaos_email_${RUN}`),
      run: RUN,
    });
  } finally {
    await redis.stop();
    await db.stop();
  }
}

/**
 * On the embedded default (FerretDB on PostgreSQL), owned by this process so it outlives the
 * kills: the SQLite FerretDB of the other scenarios scans every collection even by `_id`, which
 * made a 1,000-recipient send take most of an hour on the shared machine.
 */
async function scenarioCampaign(): Promise<ScenarioResult> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'charla-chaos-campaign-'));
  const db = await startEmbeddedMongo({ dataDir, ferretdbBin: process.env.FERRETDB_BIN });
  const redis = await startOwnedRedis();
  try {
    return await runCampaignScenario({
      env: baseEnv(redis.url),
      mongoUri: withDatabase(db.uri, `chaos_campaign_${RUN}`),
      redis,
      run: RUN,
    });
  } finally {
    await redis.stop();
    await db.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/**
 * Two Charla instances (one install) on a Redis Cluster or Sentinel setup of our own, visitors
 * split between them, and the Redis primary serving the install killed mid-traffic; the replica
 * takes over (Cluster failover, Sentinel election) and the clients follow it.
 */
async function scenarioRedisFailover(kind: 'cluster' | 'sentinel'): Promise<ScenarioResult> {
  const db = await startOwnedFerretDb();
  const redis = kind === 'cluster' ? await startRedisCluster() : await startRedisSentinel();
  const prefix = `chaos-${kind}-${RUN}`;
  const env = {
    ...baseEnv(''),
    REDIS_URL: undefined,
    ...redis.env,
    QUEUE_PREFIX: prefix,
    MONGODB_URI: withDatabase(db.uri, `chaos_${kind}_${RUN}`),
  };
  const apps: ChildCharla[] = [];
  const notes: string[] = [];
  let stopSampling: (() => void) | undefined;
  try {
    for (let i = 0; i < 2; i++) apps.push(await startChildCharla(env));
    if (process.env.CHAOS_SAMPLE_QUEUES) stopSampling = sampleQueues(redis.env, prefix);
    const urls = apps.map((a) => a.url);
    const tally = await driveVisitors({
      baseUrl: () => urls[0]!,
      baseUrlOf: (i) => () => urls[i % 2]!,
      mongoUri: env.MONGODB_URI,
      count: VISITORS,
      faultAfterMs: 5000,
      fault: async () => {
        if (process.env.CHAOS_SKIP_FAULT) return void notes.push('no fault (control run)');
        const t = Date.now();
        // On a Cluster, the primary of the install's slot (its prefix is one hash tag).
        const { killedPort, newPrimaryPort } = await redis.killPrimary(`{${prefix}}`);
        notes.push(
          `primary :${killedPort} killed, :${newPrimaryPort} primary ${((Date.now() - t) / 1000).toFixed(1)} s later`,
        );
      },
    });
    return {
      name: `${kind}-failover`,
      fault:
        kind === 'cluster'
          ? "Redis Cluster (3 primaries + 3 replicas): the primary of the install's slot killed (SIGKILL) under two Charla instances"
          : 'Redis with Sentinel (1 primary + 1 replica + 3 sentinels): the primary killed (SIGKILL) under two Charla instances',
      tally,
      notes,
    };
  } finally {
    stopSampling?.();
    const logDir = process.env.CHAOS_LOG_DIR;
    if (logDir) {
      mkdirSync(logDir, { recursive: true });
      apps.forEach((app, i) =>
        writeFileSync(
          path.join(logDir, `${kind}-app${i}.jsonl`),
          app.logs.map((l) => JSON.stringify(l)).join('\n'),
        ),
      );
    }
    // A clean stop (SIGTERM) is part of the test: one that hangs is noted, then killed.
    await Promise.all(
      apps.map(async (app, i) => {
        const t = Date.now();
        const stopped = await Promise.race([app.stop().then(() => true), sleep(30_000)]);
        if (!stopped) {
          notes.push(`instance ${i + 1} did not exit within 30 s of SIGTERM and was killed`);
          await app.kill();
        } else
          console.log(`  instance ${i + 1} stopped in ${((Date.now() - t) / 1000).toFixed(1)} s`);
      }),
    );
    await redis.stop();
    await db.stop();
  }
}

/** Diagnostics (CHAOS_SAMPLE_QUEUES=1): the install's BullMQ queue sizes every 5 s. */
function sampleQueues(env: Record<string, string>, prefix: string): () => void {
  const client: Redis = env.REDIS_CLUSTER_NODES
    ? (new Cluster(parseHostPorts('nodes', env.REDIS_CLUSTER_NODES), {
        retryDelayOnFailover: 300,
      }) as unknown as Redis)
    : new Redis({
        sentinels: parseHostPorts('sentinels', env.REDIS_SENTINELS!),
        name: env.REDIS_SENTINEL_NAME,
      });
  client.on('error', () => undefined);
  const t0 = Date.now();
  const base = env.REDIS_CLUSTER_NODES ? `{${prefix}}` : prefix;
  const timer = setInterval(() => {
    void (async () => {
      const parts: string[] = [];
      for (const q of ['inbound', 'outbound']) {
        const k = `${base}:${q}`;
        const [wait, active, delayed, prioritized] = await Promise.all([
          client.llen(`${k}:wait`),
          client.llen(`${k}:active`),
          client.zcard(`${k}:delayed`),
          client.zcard(`${k}:prioritized`),
        ]);
        parts.push(`${q} wait ${wait} active ${active} delayed ${delayed} prio ${prioritized}`);
      }
      console.log(`  [${((Date.now() - t0) / 1000).toFixed(0)} s] ${parts.join(' | ')}`);
    })().catch((err: Error) => console.log(`  sample failed: ${err.message}`));
  }, 5000);
  timer.unref();
  return () => {
    clearInterval(timer);
    client.disconnect();
  };
}

const SCENARIOS: Record<string, () => Promise<ScenarioResult>> = {
  kill9: scenarioKill9,
  'redis-restart': scenarioRedisRestart,
  'ferretdb-kill': scenarioFerretDbKill,
  'two-installs': scenarioTwoInstalls,
  copies: scenarioCopies,
  email: scenarioEmail,
  campaign: scenarioCampaign,
  'cluster-failover': () => scenarioRedisFailover('cluster'),
  'sentinel-failover': () => scenarioRedisFailover('sentinel'),
};

/** The Redis failover scenarios: `npm run chaos:redis`, their own section of RELIABILITY.md. */
const REDIS_SCENARIOS = ['cluster-failover', 'sentinel-failover'];

const pct = (t: Tally) =>
  t.acknowledged === 0 ? 'n/a' : `${((100 * t.answeredOnce) / t.acknowledged).toFixed(1)} %`;

function row(r: ScenarioResult | { name: string; error: string }): string {
  if ('error' in r) return `| ${r.name} | did not run: ${r.error} | | | | | | | | |`;
  const t = r.tally;
  return `| ${r.name} | ${t.sent} | ${t.acknowledged} | ${t.answeredOnce} | ${t.answeredTwice} | ${t.never} | ${t.wrongStep} | ${t.leadsRight}/${t.visitors} | ${t.gaveUp} | ${pct(t)} |`;
}

/**
 * The abuse set: pass/fail checks rather than counted messages, so its own table and section.
 * Returns false when a check failed or the set did not run.
 */
async function runAbuse(): Promise<boolean> {
  console.log('\n== abuse');
  const started = Date.now();
  let checks: AbuseCheck[];
  try {
    checks = await runAbuseScenario({ run: RUN, adminToken: ADMIN_TOKEN });
  } catch (err) {
    console.log(
      `abuse: did not run: ${err instanceof Error ? err.message.split('\n')[0]! : String(err)}`,
    );
    return false;
  }
  const seconds = ((Date.now() - started) / 1000).toFixed(0);
  const cell = (s: string) => s.replace(/\|/g, '\\|');
  const table = [
    '| check | attack | expected | got | result |',
    '| --- | --- | --- | --- | --- |',
    ...checks.map(
      (c) =>
        `| ${c.name} | ${cell(c.attack)} | ${cell(c.expected)} | ${cell(c.got)} | ${c.ok ? 'holds' : '**FAILS**'} |`,
    ),
  ].join('\n');
  console.log(`\n${table}`);
  const passed = checks.filter((c) => c.ok).length;
  console.log(`abuse: ${passed}/${checks.length} hold (${seconds} s)`);
  if (WRITE) {
    writeReliabilitySection(
      REPO,
      'abuse',
      `## npm run chaos:abuse\n\n${machineLine()}. Issue 24's attacker repros against one booted Charla (a child process on its own FerretDB and Redis, no TRUST_PROXY; the clients are distinct loopback addresses), ${passed}/${checks.length} hold, ${seconds} s.\n\n${table}\n`,
    );
    console.log('RELIABILITY.md updated');
  }
  return passed === checks.length;
}

async function main(): Promise<void> {
  let names = ONLY ?? [...Object.keys(SCENARIOS), 'abuse'];
  let abuseHeld = true;
  if (names.includes('abuse')) {
    abuseHeld = await runAbuse();
    names = names.filter((n) => n !== 'abuse');
    if (names.length === 0) {
      if (!abuseHeld) process.exitCode = 1;
      return;
    }
  }
  const results: Array<ScenarioResult | { name: string; error: string }> = [];
  for (const name of names) {
    const scenario = SCENARIOS[name];
    if (!scenario) throw new Error(`unknown scenario ${name}`);
    console.log(`\n== ${name}`);
    const started = Date.now();
    try {
      const r = await scenario();
      const t = r.tally;
      console.log(
        `${name}: sent ${t.sent} / acknowledged ${t.acknowledged} / answered once ${t.answeredOnce} / twice ${t.answeredTwice} / never ${t.never} / wrong step ${t.wrongStep} (leads right ${t.leadsRight}/${t.visitors}; gave up waiting ${t.gaveUp}; ${((Date.now() - started) / 1000).toFixed(0)} s)`,
      );
      for (const n of r.notes) console.log(`  ${n}`);
      results.push(r);
    } catch (err) {
      const message = err instanceof Error ? err.message.split('\n')[0]! : String(err);
      console.log(`${name}: did not run: ${message}`);
      results.push({ name, error: message });
    }
  }
  const table = [
    '| scenario | sent | acknowledged | answered once | twice | never | wrong step | leads right | gave up waiting | exactly once |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...results.map(row),
  ].join('\n');
  const notes = results
    .filter((r): r is ScenarioResult => 'tally' in r)
    .map((r) => `- **${r.name}**: ${r.fault}.${r.notes.length ? ` ${r.notes.join('; ')}.` : ''}`)
    .join('\n');
  console.log(`\n${table}`);
  if (!abuseHeld) process.exitCode = 1;
  const redisOnly = ONLY !== undefined && ONLY.join() === REDIS_SCENARIOS.join();
  if (WRITE && redisOnly) {
    writeReliabilitySection(
      REPO,
      'redis',
      `## npm run chaos:redis\n\n${machineLine()}. ${VISITORS} web chat visitors in lead capture (7 lines each), half on each of two Charla instances of one install, the Redis primary killed 5 s in; columns as in the suite above.\n\n${table}\n\n${notes}\n`,
    );
    console.log('RELIABILITY.md updated');
  }
  if (WRITE && ONLY?.join() === 'email') {
    writeReliabilitySection(
      REPO,
      'email',
      `## npm run chaos:email\n\n${machineLine()}. Columns as in the suite above, per mail: "acknowledged" a 250 from the receiver (the sender retries a refused connection or a 4xx, as an MTA does), "answered once" one reply (one Message-ID) with the mail's Message-ID in In-Reply-To, "wrong step" a reply other than the fault-free one, "leads right" mails stored exactly once.\n\n${table}\n\n${notes}\n`,
    );
    console.log('RELIABILITY.md updated');
  }
  if (WRITE && ONLY?.join() === 'campaign') {
    writeReliabilitySection(
      REPO,
      'campaign',
      `## npm run chaos:campaign\n\n${machineLine()}. Columns as in the suite above, per campaign recipient: "sent" the consenting contacts in the segment, "acknowledged" recipients listed, "answered once / twice / never" mails the SMTP sink got at that address, "wrong step" recipients stuck in queued or sending (or failed without a reason), "leads right" recipients whose state agrees with the sink (sent with exactly one mail, or failed with a reason and at most one), "gave up waiting" recipients failed with a reason (an interrupted send is failed, not repeated: it may have gone out). "exactly once" = recipients with one mail.\n\n${table}\n\n${notes}\n`,
    );
    console.log('RELIABILITY.md updated');
  }
  if (WRITE && !ONLY) {
    writeReliabilitySection(
      REPO,
      'suite',
      `## npm run chaos\n\n${machineLine()}. ${VISITORS} web chat visitors in lead capture (7 lines each) per scenario unless said; "answered once" counts acknowledged messages whose replies were delivered once; "wrong step" a reply asking for another step than a fault-free run (or a lead saved with other details); "leads right" visitors whose lead holds exactly what they typed; "gave up waiting" visitors who stopped because a line was not acknowledged or answered within 90 s (its message is still counted).\n\n${table}\n\n${notes}\n`,
    );
    console.log('RELIABILITY.md updated');
  }
}

main().then(
  () => process.exit(process.exitCode ?? 0),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
