/**
 * Two instances (issue 12 item 10): two Charla processes on one database and one Redis (the same
 * install, so the same default queue prefix), as behind a load balancer. A visitor's WebSocket on
 * B receives the replies to messages posted to A; messages posted alternately to A and B are each
 * answered once; a Slack claim pressed on both at once has exactly one winner.
 */
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import mongoose, { type Connection } from 'mongoose';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import WebSocket from 'ws';
import {
  SLACK_SIGNING_SECRET,
  sendSlackAction,
  startFakeSlackApi,
  type FakeSlackApi,
} from '../../fakes/slack-api.js';
import { webchatClient, type MessageItem, type Session } from '../../channels/webchat/client.js';
import { startChildCharla, withDatabase, type ChildCharla } from '../../support/child-charla.js';
import { eventually } from '../../support/app.js';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const STAFF_CHANNEL = 'C_ESC_TWO';
const ANA = { id: 'U_ANA', name: 'ana' };
const BOB = { id: 'U_BOB', name: 'bob' };

describe('two instances on one database and one Redis', () => {
  const dbName = `charla_two_${randomUUID().slice(0, 8)}`;
  const uri = withDatabase(inject('mongoUri'), dbName);
  const redis = new Redis(REDIS_URL);
  let slack: FakeSlackApi;
  let a: ChildCharla;
  let b: ChildCharla;
  let db: Connection;
  const sockets: WebSocket[] = [];

  beforeAll(async () => {
    slack = await startFakeSlackApi();
    slack.users.set(ANA.id, { id: ANA.id, name: 'Ana' });
    slack.users.set(BOB.id, { id: BOB.id, name: 'Bob' });
    const env = {
      MONGODB_URI: uri,
      REDIS_URL,
      WEBCHAT_SESSIONS_PER_MINUTE: '1000',
      WEBCHAT_MESSAGES_PER_MINUTE: '1000',
      SLACK_BOT_TOKEN: 'xoxb-two-instances',
      SLACK_SIGNING_SECRET,
      SLACK_API_URL: slack.apiUrl,
      SLACK_ESCALATION_CHANNEL: STAFF_CHANNEL,
      ESCALATION_SLA_MINUTES: '600',
    };
    // One first, so the install id is created once (the second start reads it).
    a = await startChildCharla(env);
    b = await startChildCharla(env);
    db = await mongoose.createConnection(uri).asPromise();
  }, 300_000);

  afterAll(async () => {
    for (const s of sockets) s.terminate();
    await Promise.all([a?.stop(), b?.stop()]);
    const install = await db
      ?.collection<{ _id: string; value: { installId: string } }>('settings')
      .findOne({ _id: 'install' });
    if (install) {
      const keys = await redis.keys(`charla:${install.value.installId}:*`);
      if (keys.length > 0) await redis.del(...keys);
    }
    await db?.dropDatabase();
    await db?.close();
    redis.disconnect();
    await slack?.close();
  });

  const messagesOf = async (conversationId: string) => {
    const all = await db
      .collection('messages')
      .find({ conversationId: new mongoose.Types.ObjectId(conversationId) })
      .toArray();
    return {
      inbound: all.filter((m) => m.direction === 'in'),
      outbound: all.filter((m) => m.direction === 'out'),
    };
  };
  /** Every inbound message handled and every reply sent; returns the messages. */
  const settled = (conversationId: string, inboundCount = 1) =>
    eventually(async () => {
      const m = await messagesOf(conversationId);
      const done =
        m.inbound.length === inboundCount &&
        m.inbound.every((x) => x.status === 'processed') &&
        m.outbound.length > 0 &&
        m.outbound.every((x) => x.status === 'sent');
      return done ? m : false;
    }, 30_000);

  it('share one install: the same id, so the same queues', () => {
    const prefixOf = (c: ChildCharla) => c.logs.find((l) => l.msg === 'install')?.queuePrefix;
    expect(prefixOf(a)).toMatch(/^charla:[0-9a-f]{16}$/);
    expect(prefixOf(b)).toBe(prefixOf(a));
  });

  it('a WebSocket on B receives the replies to a message posted to A, each once', async () => {
    const s = await webchatClient(a.url).createSession('es');
    const socket = new WebSocket(
      `${b.url.replace(/^http/, 'ws')}/api/webchat/sessions/${s.sessionId}/stream?token=${encodeURIComponent(s.token)}`,
    );
    sockets.push(socket);
    const pushed: MessageItem[] = [];
    socket.on('message', (data) => pushed.push(JSON.parse(String(data)) as MessageItem));
    await new Promise<void>((resolve, reject) => {
      socket.once('open', () => resolve());
      socket.once('error', reject);
    });

    expect((await webchatClient(a.url).post(s, { text: 'hola' })).status).toBe(202);
    const { outbound } = await settled(s.conversationId);
    const ids = outbound.map((m) => String(m._id));
    await eventually(async () => ids.every((id) => pushed.some((p) => p.id === id)));
    await new Promise((r) => setTimeout(r, 300));
    for (const id of ids) expect(pushed.filter((p) => p.id === id)).toHaveLength(1);
  });

  it('answers every message once when customers alternate between the instances', async () => {
    const control = await webchatClient(a.url).createSession('es');
    await webchatClient(a.url).post(control, { text: 'hola' });
    const baseline = await settled(control.conversationId);

    // 20 visitors, sessions opened on A or B, each message posted to the other instance.
    const visitors: Array<{ s: Session; postTo: string }> = [];
    for (let i = 0; i < 20; i++) {
      const [opener, other] = i % 2 === 0 ? [a, b] : [b, a];
      visitors.push({ s: await webchatClient(opener.url).createSession('es'), postTo: other.url });
    }
    const posts = await Promise.all(
      visitors.map((v) => webchatClient(v.postTo).post(v.s, { text: 'hola' })),
    );
    expect(posts.map((p) => p.status)).toEqual(posts.map(() => 202));
    for (const v of visitors) {
      const { inbound, outbound } = await settled(v.s.conversationId);
      expect(inbound).toHaveLength(1);
      expect(outbound).toHaveLength(baseline.outbound.length);
    }
  }, 90_000);

  it('a Slack claim pressed on both instances at once has exactly one winner', async () => {
    const s = await webchatClient(a.url).createSession('es');
    await webchatClient(b.url).post(s, { text: 'quiero hablar con una persona' });
    const itemTs = await eventually(async () => {
      const c = await db
        .collection('conversations')
        .findOne({ _id: new mongoose.Types.ObjectId(s.conversationId) });
      return (c?.escalation as { itemTs?: string } | undefined)?.itemTs;
    }, 30_000);

    const press = (url: string, user: typeof ANA) =>
      sendSlackAction(url, {
        actionId: 'charla_claim',
        value: s.conversationId,
        user,
        channel: STAFF_CHANNEL,
        messageTs: itemTs,
      });
    const results = await Promise.all([press(a.url, ANA), press(b.url, BOB)]);
    expect(results.map((r) => r.status)).toEqual([200, 200]);

    const loserNotice = await eventually(async () =>
      slack
        .callsTo('chat.postEphemeral')
        .find(
          (c) =>
            String(c.args.text).startsWith('Ya la atiende') &&
            [ANA.id, BOB.id].includes(String(c.args.user)),
        ),
    );
    const c = await db
      .collection('conversations')
      .findOne({ _id: new mongoose.Types.ObjectId(s.conversationId) });
    expect(c?.status).toBe('assigned');
    const winner = (c?.assignee as { id?: string } | undefined)?.id;
    expect([ANA.id, BOB.id]).toContain(winner);
    expect(loserNotice.args.user).not.toBe(winner);
    const history = (c?.statusHistory ?? []) as Array<{ status: string }>;
    expect(history.filter((h) => h.status === 'assigned')).toHaveLength(1);
    const claimedNotes = () =>
      slack
        .callsTo('chat.postMessage')
        .filter((p) => p.args.thread_ts === itemTs && String(p.args.text).includes('✋'));
    await eventually(async () => claimedNotes().length > 0);
    await new Promise((r) => setTimeout(r, 500));
    expect(claimedNotes()).toHaveLength(1);
  }, 60_000);
});
