/**
 * Automatic assignment with two instances (two Charla processes on one database and one Redis):
 * 12 conversations escalated at once, alternately through A and B, to 3 available agents with a
 * capacity of 2 each. Exactly 6 are assigned, 2 per agent (fair, none over capacity), each
 * assigned once (one `assigned` entry in its history, one "joined" notice to its customer); the
 * other 6 wait. An away agent gets none.
 */
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import mongoose, { type Connection } from 'mongoose';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { webchatClient, type Session } from '../../channels/webchat/client.js';
import { startChildCharla, withDatabase, type ChildCharla } from '../../support/child-charla.js';
import { ADMIN_TOKEN, TEST_NLU_CACHE_DIR, eventually } from '../../support/app.js';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

describe('round-robin assignment across two instances', () => {
  const dbName = `charla_rr_${randomUUID().slice(0, 8)}`;
  const uri = withDatabase(inject('mongoUri'), dbName);
  const redis = new Redis(REDIS_URL);
  let a: ChildCharla;
  let b: ChildCharla;
  let db: Connection;
  const agents = ['Ana', 'Bea', 'Carla'].map((name) => ({
    _id: new mongoose.Types.ObjectId(),
    name,
  }));
  const away = { _id: new mongoose.Types.ObjectId(), name: 'Dani' };

  beforeAll(async () => {
    const env = {
      MONGODB_URI: uri,
      REDIS_URL,
      ADMIN_TOKEN,
      NLU_CACHE_DIR: TEST_NLU_CACHE_DIR,
      WEBCHAT_SESSIONS_PER_MINUTE: '1000',
      WEBCHAT_MESSAGES_PER_MINUTE: '1000',
    };
    a = await startChildCharla(env);
    b = await startChildCharla(env);
    db = await mongoose.createConnection(uri).asPromise();
    const now = new Date();
    await db.collection('users').insertMany(
      [...agents, away].map((u) => ({
        ...u,
        email: `${u.name.toLowerCase()}-${dbName}@example.com`,
        role: 'agent',
        passwordHash: 'not-a-real-hash',
        disabled: false,
        createdAt: now,
        updatedAt: now,
      })),
    );
    await db
      .collection<{ _id: string }>('staff_presence')
      .insertMany([
        ...agents.map((u) => ({ _id: `user:${u._id.toHexString()}`, status: 'available' })),
        { _id: `user:${away._id.toHexString()}`, status: 'away' },
      ]);
    await db
      .collection<{ _id: string; value: unknown }>('settings')
      .insertOne({ _id: 'assignment', value: { capacity: 2 } });
  }, 300_000);

  afterAll(async () => {
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
  });

  it('assigns each conversation once, fairly, and never over capacity', async () => {
    const sessions: Session[] = [];
    for (let i = 0; i < 12; i++) {
      sessions.push(await webchatClient((i % 2 ? b : a).url).createSession('es'));
    }
    const escalations = await Promise.all(
      sessions.map((s, i) =>
        fetch(`${(i % 2 ? a : b).url}/api/conversations/${s.conversationId}/escalate`, {
          method: 'POST',
          headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
        }),
      ),
    );
    expect(escalations.map((r) => r.status)).toEqual(sessions.map(() => 202));
    const ids = sessions.map((s) => new mongoose.Types.ObjectId(s.conversationId));
    const conversations = db.collection('conversations');
    const docs = await eventually(async () => {
      const all = await conversations.find({ _id: { $in: ids } }).toArray();
      return all.filter((c) => c.status === 'assigned').length === 6 ? all : false;
    }, 60_000);

    const perAgent = new Map<string, number>();
    for (const c of docs.filter((d) => d.status === 'assigned')) {
      perAgent.set(c.assignee.id, (perAgent.get(c.assignee.id) ?? 0) + 1);
    }
    expect([...perAgent.keys()].sort()).toEqual(
      agents.map((u) => `user:${u._id.toHexString()}`).sort(),
    );
    expect([...perAgent.values()]).toEqual([2, 2, 2]);
    expect(docs.filter((d) => d.status === 'queued')).toHaveLength(6);
    for (const c of docs) {
      const assignedEntries = (c.statusHistory as Array<{ status: string }>).filter(
        (h) => h.status === 'assigned',
      );
      expect(assignedEntries.length).toBe(c.status === 'assigned' ? 1 : 0);
    }
    // One "joined" notice per assigned conversation, none for the waiting ones (the notice is
    // written just after the assignment it announces, so it may trail it by a moment).
    const assignedIds = docs
      .filter((d) => d.status === 'assigned')
      .map((d) => String(d._id))
      .sort();
    const noticed = await eventually(async () => {
      const notices = await db
        .collection('messages')
        .find({ conversationId: { $in: ids }, author: 'system', text: /se ha unido/ })
        .toArray();
      const found = notices.map((m) => String(m.conversationId)).sort();
      return found.length >= assignedIds.length ? found : false;
    });
    expect(noticed).toEqual(assignedIds);
    // The away agent got nothing.
    expect(perAgent.has(`user:${away._id.toHexString()}`)).toBe(false);
  });
});
