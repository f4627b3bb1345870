/**
 * The hot-path budget (issue 13.2): one usual bot answer — a customer message in an existing
 * conversation answered by an FAQ, through ingest, the engine and delivery — costs at most 6
 * MongoDB operations and 10 Redis round trips. MongoDB operations are counted by mongoose's
 * command hook (every collection call of every model); Redis round trips as writes to sockets
 * connected to Redis (a pipeline or a Lua script is one write and one reply), on every
 * connection of the process (the app's, BullMQ's blocking ones).
 *
 * BullMQ's idle loop is paid by time, not by messages: a worker with nothing to do blocks on its
 * marker (BZPOPMIN) and, woken, fetches — and finds nothing when another slot took the job first.
 * How many such waits fall in the window depends on scheduling (on a loaded CI machine more slots
 * wake for the same job), so the budget counts the round trips of the work: every round trip
 * except each idle wait and the fetch it ends in. Both are reported.
 */
import net from 'node:net';
import mongoose from 'mongoose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Message } from '../../../src/kernel/db/models/message.js';
import { recordingAdapter } from '../engine/chat.js';
import { startTestApp, type TestApp } from '../../support/app.js';

const MONGO_BUDGET = 6;
const BURST = 10;
const REDIS_BUDGET = 10;
const REDIS_PORT = Number(new URL(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379').port || 6379);

interface Count {
  mongo: string[];
  redis: string[];
}

/** Round trips of the work: all but each idle BZPOPMIN wait and the (possibly empty) fetch after it. */
function workRoundTrips(redis: string[]): { work: number; idleWaits: number } {
  const idleWaits = redis.filter((name) => name === 'bzpopmin').length;
  return { work: redis.length - 2 * idleWaits, idleWaits };
}

/** Counts MongoDB operations and Redis round trips while `counting` is on. */
function createCounter() {
  const count: Count = { mongo: [], redis: [] };
  let counting = false;
  mongoose.set('debug', (collection: string, method: string) => {
    if (counting) count.mongo.push(`${collection}.${method}`);
  });
  const write = net.Socket.prototype.write;
  net.Socket.prototype.write = function patched(
    this: net.Socket,
    chunk: unknown,
    ...rest: never[]
  ) {
    if (counting && this.remotePort === REDIS_PORT) {
      const text = Buffer.isBuffer(chunk) ? chunk.toString('latin1') : String(chunk);
      // The command name of a RESP request: "*n\r\n$len\r\nNAME".
      const parts = text.split('\r\n');
      // EVALSHA: name the script by its first key (e.g. "…:inbound:wait", "…:lock:conversation:…").
      const name =
        parts[2] === 'evalsha' ? `evalsha(${parts[8]?.replace(/^.*?:(?=[a-z]+:)/, '')})` : parts[2];
      count.redis.push(name ?? '?');
    }
    return write.call(this, chunk as string, ...rest);
  } as typeof write;
  return {
    start() {
      count.mongo = [];
      count.redis = [];
      counting = true;
    },
    stop(): Count {
      counting = false;
      return { mongo: [...count.mongo], redis: [...count.redis] };
    },
    restore() {
      counting = false;
      mongoose.set('debug', false);
      net.Socket.prototype.write = write;
    },
  };
}

describe('hot-path budget of one usual bot answer', () => {
  let app: TestApp;
  const rec = recordingAdapter('telegram');
  const counter = createCounter();
  const waiting = new Map<string, () => void>();
  const send = rec.adapter.send.bind(rec.adapter);
  rec.adapter.send = async (m) => {
    const result = await send(m);
    waiting.get(m.platformConversationId)?.();
    return result;
  };

  beforeAll(async () => {
    app = await startTestApp({}, { extraAdapters: [rec.adapter] });
  });
  afterAll(async () => {
    counter.restore();
    await app?.stop();
  });

  let seq = 0;
  /** One customer message; resolves once its reply was handed to the platform. */
  async function turn(user: string, text: string) {
    seq += 1;
    const reply = new Promise<void>((resolve) => waiting.set(`chat-${user}`, resolve));
    const res = await app.charla.services.ingest.ingest({
      channel: 'telegram',
      platformMessageId: `${user}-${seq}`,
      platformUserId: user,
      platformConversationId: `chat-${user}`,
      text,
    });
    await reply;
    return res;
  }

  /** Waits (without touching MongoDB or Redis) for the worker to finish the job after the send. */
  const settle = () => new Promise((r) => setTimeout(r, 400));

  it(`one FAQ answer alone in an existing conversation: ≤ ${MONGO_BUDGET} MongoDB operations`, async () => {
    // Warm: the conversation and contact exist, the worker is idle.
    await turn('ines', 'hola');
    await settle();

    counter.start();
    const res = await turn('ines', '¿Cuál es vuestro horario?');
    await settle();
    const used = counter.stop();

    // The turn did happen, completely: answered, processed, delivered once.
    const inbound = await Message.findById(res.messageId).lean();
    expect(inbound?.status).toBe('processed');
    expect(inbound?.nlu?.intent).toBe('business_hours');
    const replies = await Message.find({ replyTo: res.messageId }).lean();
    expect(replies).toHaveLength(1);
    expect(replies[0]?.status).toBe('sent');
    expect(rec.sent.filter((m) => m.id === replies[0]!._id.toHexString())).toHaveLength(1);

    console.info(
      `hot path: ${used.mongo.length} MongoDB ops (${used.mongo.join(', ')}); ` +
        `${used.redis.length} Redis round trips (${used.redis.join(', ')})`,
    );
    expect(used.mongo.length).toBeLessThanOrEqual(MONGO_BUDGET);
    // Alone, a turn also pays the console's two live-event PUBLISHes, which a burst shares less
    // well: bounded here with two to spare; the per-message budget under load is the next test.
    expect(workRoundTrips(used.redis).work).toBeLessThanOrEqual(REDIS_BUDGET + 2);
  });

  it(`per message under load (${BURST} customers at once): ≤ ${MONGO_BUDGET} MongoDB operations, ≤ ${REDIS_BUDGET} Redis round trips`, async () => {
    const users = Array.from({ length: BURST }, (_, i) => `load-${i}`);
    for (const user of users) await turn(user, 'hola');
    await settle();

    counter.start();
    const results = await Promise.all(users.map((user) => turn(user, '¿Cuál es vuestro horario?')));
    await settle();
    const used = counter.stop();

    for (const res of results) {
      const inbound = await Message.findById(res.messageId).lean();
      expect(inbound?.status).toBe('processed');
      const replies = await Message.find({ replyTo: res.messageId }).lean();
      expect(replies.map((r) => r.status)).toEqual(['sent']);
    }
    const mongoPerMessage = used.mongo.length / BURST;
    const { work, idleWaits } = workRoundTrips(used.redis);
    const redisPerMessage = work / BURST;
    console.info(
      `hot path under load: ${mongoPerMessage} MongoDB ops and ${redisPerMessage} Redis round trips ` +
        `per message (${used.redis.length} in all, of which ${idleWaits} idle waits and their fetches)`,
    );
    expect(mongoPerMessage).toBeLessThanOrEqual(MONGO_BUDGET);
    expect(redisPerMessage).toBeLessThanOrEqual(REDIS_BUDGET);
  });
});
