/**
 * Queue namespaces (issue 12 item 3): two installs — two Charla processes on two databases — on
 * one Redis with no QUEUE_PREFIX each get a prefix derived from their database's install id, so
 * each answers its own customers; a job stamped by another install is refused loudly (failed
 * with the reason, counted, logged) and never processed.
 */
import { randomUUID } from 'node:crypto';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import mongoose, { type Connection } from 'mongoose';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { foreignJobReason } from '../../../src/kernel/redis/install-scope.js';
import { INSTALL_ID_PATTERN } from '../../../src/kernel/db/install.js';
import { startChildCharla, withDatabase, type ChildCharla } from '../../support/child-charla.js';
import { eventually } from '../../support/app.js';
import { webchatClient, type Session } from '../../channels/webchat/client.js';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const ADMIN_TOKEN = 'install-namespace-admin-token';
const PER_INSTALL = 40;

interface Install {
  app: ChildCharla;
  db: Connection;
  installId: string;
}

async function startInstall(dbName: string): Promise<Install> {
  const uri = withDatabase(inject('mongoUri'), dbName);
  const app = await startChildCharla({
    MONGODB_URI: uri,
    REDIS_URL,
    ADMIN_TOKEN,
    WEBCHAT_SESSIONS_PER_MINUTE: '1000',
    WEBCHAT_MESSAGES_PER_MINUTE: '1000',
    // QUEUE_PREFIX deliberately unset: the default is what is under test.
  });
  const db = await mongoose.createConnection(uri).asPromise();
  const setting = await db
    .collection<{ _id: string; value: { installId: string } }>('settings')
    .findOne({ _id: 'install' });
  if (!setting) throw new Error(`no install id in ${dbName}`);
  return { app, db, installId: setting.value.installId };
}

/**
 * Inbound and outbound messages per web chat session, read from the install's database in two
 * queries (the database holds only this test's data; polling must not load the server).
 */
async function messagesBySession(db: Connection) {
  const conversations = await db.collection('conversations').find({ channel: 'webchat' }).toArray();
  const messages = await db.collection('messages').find({}).toArray();
  const bySession = new Map<string, { inbound: typeof messages; outbound: typeof messages }>();
  for (const c of conversations) {
    const mine = messages.filter((m) => String(m.conversationId) === String(c._id));
    bySession.set(String(c.platformConversationId), {
      inbound: mine.filter((m) => m.direction === 'in'),
      outbound: mine.filter((m) => m.direction === 'out'),
    });
  }
  return bySession;
}

describe('queue namespaces: two installs on one Redis', () => {
  const run = randomUUID().slice(0, 8);
  let a: Install;
  let b: Install;
  const redis = new Redis(REDIS_URL);

  beforeAll(async () => {
    [a, b] = await Promise.all([
      startInstall(`charla_ns_a_${run}`),
      startInstall(`charla_ns_b_${run}`),
    ]);
  }, 180_000);

  afterAll(async () => {
    for (const install of [a, b]) {
      if (!install) continue;
      await install.app.stop();
      // Leave Redis as we found it: only these installs' own prefixes.
      const keys = await redis.keys(`charla:${install.installId}:*`);
      if (keys.length > 0) await redis.del(...keys);
      await install.db.dropDatabase();
      await install.db.close();
    }
    redis.disconnect();
  });

  it('gives each database its own install id and queue prefix', () => {
    expect(a.installId).toMatch(INSTALL_ID_PATTERN);
    expect(b.installId).toMatch(INSTALL_ID_PATTERN);
    expect(a.installId).not.toBe(b.installId);
    const prefixOf = (i: Install) => i.app.logs.find((l) => l.msg === 'install')?.queuePrefix;
    expect(prefixOf(a)).toBe(`charla:${a.installId}`);
    expect(prefixOf(b)).toBe(`charla:${b.installId}`);
  });

  it(`answers every customer of each install once (${2 * PER_INSTALL}/${2 * PER_INSTALL})`, async () => {
    const sessions = await Promise.all(
      [a, b].map(async (install) => {
        const client = webchatClient(install.app.url);
        const list: Session[] = [];
        for (let i = 0; i < PER_INSTALL; i++) list.push(await client.createSession('es'));
        const posted = await Promise.all(list.map((s) => client.post(s, { text: 'hola' })));
        expect(posted.every((r) => r.status === 202 || r.status === 200)).toBe(true);
        return list;
      }),
    );

    for (const [index, install] of [a, b].entries()) {
      const other = install === a ? b : a;
      const results = await eventually(async () => {
        await new Promise((r) => setTimeout(r, 500));
        const bySession = await messagesBySession(install.db);
        const all = sessions[index]!.map((s) => bySession.get(s.sessionId));
        const settled = all.every(
          (r) =>
            r !== undefined &&
            r.inbound.length === 1 &&
            r.inbound[0]!.status === 'processed' &&
            r.outbound.length > 0 &&
            r.outbound.every((m) => m.status === 'sent'),
        );
        return settled ? all : false;
      }, 45_000);
      // Answered once: every customer got the same number of replies to the same greeting.
      const replyCounts = new Set(results.map((r) => r!.outbound.length));
      expect(replyCounts.size).toBe(1);
      // Nothing leaked into the other install's database.
      const leaked = await other.db.collection('conversations').countDocuments({
        platformConversationId: { $in: sessions[index]!.map((s) => s.sessionId) },
      });
      expect(leaked).toBe(0);
    }
    // No install refused anything: with the default prefix they never see each other's jobs.
    for (const install of [a, b]) {
      expect(install.app.logs.some((l) => String(l.msg).startsWith('refused a job'))).toBe(false);
    }
  }, 60_000);

  it('refuses a job stamped by another install: failed with the reason, counted, never processed', async () => {
    const foreign = new Queue('inbound', { connection: redis, prefix: `charla:${a.installId}` });
    const messageId = new mongoose.Types.ObjectId().toHexString();
    await foreign.add(
      'message',
      {
        conversationId: new mongoose.Types.ObjectId().toHexString(),
        messageId,
        installId: b.installId,
      },
      { jobId: `foreign-${messageId}` },
    );
    await eventually(async () => (await foreign.getJobState(`foreign-${messageId}`)) === 'failed');
    const job = (await foreign.getJob(`foreign-${messageId}`))!;
    expect(job.failedReason).toBe(foreignJobReason(a.installId, b.installId));
    // Refused on the first attempt, not retried into oblivion, and its data kept for an operator.
    expect(job.attemptsMade).toBe(1);
    expect(job.data.installId).toBe(b.installId);
    expect(await job.isCompleted()).toBe(false);

    const metrics = await fetch(`${a.app.url}/metrics`, {
      headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
    }).then((r) => r.text());
    expect(metrics).toMatch(/charla_foreign_jobs_refused_total\{queue="inbound"\} 1\b/);
    const logged = a.app.logs.find((l) =>
      l.msg?.toString().startsWith('refused a job of another install'),
    );
    expect(logged?.level).toBe(50);
    expect(logged?.foreignInstallId).toBe(b.installId);
    await foreign.close();
  });
});
