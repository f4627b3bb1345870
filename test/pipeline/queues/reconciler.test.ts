/**
 * The reconciler (issue 12.2): after Redis lost every job and index of an install (a flush, a
 * restart without persistence), the next start re-queues what MongoDB holds unfinished — customer
 * messages still `received`, staff replies still `pending` — and each is answered or sent once.
 */
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { createReconciler } from '../../../src/pipeline/queues/reconciler.js';
import { InFlight } from '../../../src/kernel/db/models/in-flight.js';
import { Message } from '../../../src/kernel/db/models/message.js';
import { Conversation } from '../../../src/kernel/db/models/conversation.js';
import { createLogger } from '../../../src/kernel/logger.js';
import { recordingAdapter } from '../engine/chat.js';
import { eventually, startTestApp, type TestApp } from '../../support/app.js';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

describe('reconciler: nothing MongoDB holds is lost with Redis', () => {
  const id = randomUUID().slice(0, 8);
  const prefix = `charla-test-reconcile-${id}`;
  const dbName = `charla_test_reconcile_${id}`;
  const rec = recordingAdapter('telegram');
  const apps: TestApp[] = [];
  afterAll(async () => {
    for (const app of apps) await app.stop();
  });

  /** Drops every key of this test's prefix (and only those): Redis "forgot" this install. */
  async function forgetRedis() {
    const redis = new Redis(REDIS_URL);
    const keys = await redis.keys(`${prefix}:*`);
    if (keys.length > 0) await redis.del(...keys);
    redis.disconnect();
  }

  it('re-queues received messages and pending replies whose jobs are gone, each answered once', async () => {
    // A web-only instance stores and queues, but nothing works the queues.
    const web = await startTestApp(
      { ROLE: 'web', QUEUE_PREFIX: prefix },
      { dbName, extraAdapters: [rec.adapter] },
    );
    apps.push(web);
    const ingested: Array<{ messageId: string; conversationId: string }> = [];
    for (const user of ['u1', 'u2', 'u3']) {
      for (const [n, text] of ['hola', '¿cuál es vuestro horario?'].entries()) {
        ingested.push(
          await web.charla.services.ingest.ingest({
            channel: 'telegram',
            platformMessageId: `${user}-${n}`,
            platformUserId: user,
            platformConversationId: `chat-${user}`,
            text,
          }),
        );
      }
    }
    const staffConversation = await Conversation.findById(ingested[0]!.conversationId).lean();
    const [staffReply] = await web.charla.services.outbox.send(
      staffConversation!,
      [{ text: 'Hola, soy Marta' }],
      { kind: 'staff', staff: { id: 'U-marta', name: 'Marta' } },
    );
    expect(await InFlight.countDocuments()).toBe(ingested.length + 1);
    const queued = await web.charla.services.queues.inbound.getJobCounts('waiting');
    expect(queued.waiting).toBe(ingested.length);
    // Stopping a test app drops its keys; anything left goes too: Redis forgot this install.
    await web.stop();
    apps.pop();
    await forgetRedis();
    const redis = new Redis(REDIS_URL);
    expect(await redis.keys(`${prefix}:*`)).toEqual([]);
    redis.disconnect();

    // A full instance on the same database and (now empty) Redis namespace.
    const all = await startTestApp(
      { QUEUE_PREFIX: prefix },
      { dbName, extraAdapters: [rec.adapter], reconcileGraceMs: 0 },
    );
    apps.push(all);
    await eventually(async () => {
      const inbound = await Message.find({ direction: 'in' }).lean();
      return inbound.length === ingested.length && inbound.every((m) => m.status === 'processed');
    }, 20_000);
    const out = await eventually(async () => {
      const replies = await Message.find({ direction: 'out' }).lean();
      return replies.length >= ingested.length + 1 && replies.every((m) => m.status === 'sent')
        ? replies
        : false;
    }, 20_000);

    // Each customer message got its answer once; the staff reply went out once.
    expect(out.filter((m) => m.replyTo)).toHaveLength(ingested.length);
    for (const { messageId } of ingested) {
      expect(out.filter((m) => String(m.replyTo) === messageId)).toHaveLength(1);
    }
    const sentIds = rec.sent.map((m) => m.id);
    expect(new Set(sentIds).size).toBe(sentIds.length);
    expect(sentIds.sort()).toEqual(out.map((m) => m._id.toHexString()).sort());
    expect(sentIds).toContain(staffReply!._id.toHexString());
    // Within a conversation, replies went out in the order of the messages they answer.
    const u2 = ingested[2]!.conversationId;
    const u2Sent = rec.sent.filter((m) => m.conversationId === u2).map((m) => m.id);
    const u2Stored = out
      .filter((m) => String(m.conversationId) === u2)
      .sort((a, b) => String(a.replyTo).localeCompare(String(b.replyTo)))
      .map((m) => m._id.toHexString());
    expect(u2Sent).toEqual(u2Stored);

    const metrics = await (await fetch(`${all.url}/metrics`, { headers: all.admin })).text();
    expect(metrics).toMatch(/charla_reconciler_recovered_total\{kind="inbound"\} 6/);
    expect(metrics).toMatch(/charla_reconciler_recovered_total\{kind="outbound"\} 1/);

    // A second pass finds nothing to recover and leaves the in-flight collection empty.
    const { services } = all.charla;
    const again = createReconciler({
      redis: services.redis,
      prefix,
      queues: services.queues,
      logger: createLogger('silent'),
      graceMs: 0,
    });
    const report = await again.runOnce();
    expect(report).toMatchObject({ ran: true, inbound: 0, outbound: 0 });
    expect(await InFlight.countDocuments()).toBe(0);
    await new Promise((r) => setTimeout(r, 300));
    expect(rec.sent).toHaveLength(sentIds.length);
  });
});
