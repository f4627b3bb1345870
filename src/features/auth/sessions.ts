/**
 * Staff sessions in Redis (shared by every instance, nothing in process memory).
 *
 * The cookie carries a random 32-byte id; Redis keeps only its SHA-256, so a copy of Redis does
 * not hold usable cookies. A session expires after `idleMs` without use (each use renews it) and
 * carries its own CSRF token. Each user's sessions are listed in a set so that disabling or
 * deleting the user (or changing their password) ends all of them at once.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';

export interface StaffSession {
  /** The cookie value (only known when the session is created or read from a cookie). */
  id: string;
  userId: string;
  csrfToken: string;
  createdAt: Date;
}

export interface SessionStore {
  create(userId: string): Promise<StaffSession>;
  /** The session, renewed for another idle period; undefined when unknown or expired. */
  touch(id: string): Promise<StaffSession | undefined>;
  end(id: string): Promise<void>;
  /** Ends every session of the user. */
  endAllOf(userId: string): Promise<void>;
}

const sha256 = (value: string) => createHash('sha256').update(value).digest('hex');
const randomToken = () => randomBytes(32).toString('base64url');

export function createSessionStore(opts: {
  redis: Redis;
  prefix: string;
  idleMs: number;
}): SessionStore {
  const { redis, prefix } = opts;
  const idleMs = Math.max(1, Math.round(opts.idleMs));
  const sessionKey = (id: string) => `${prefix}:session:${sha256(id)}`;
  const userKey = (userId: string) => `${prefix}:user-sessions:${userId}`;

  return {
    async create(userId) {
      const session = {
        id: randomToken(),
        userId,
        csrfToken: randomToken(),
        createdAt: new Date(),
      };
      const key = sessionKey(session.id);
      await redis
        .multi()
        .hset(key, {
          userId,
          csrfToken: session.csrfToken,
          createdAt: session.createdAt.toISOString(),
        })
        .pexpire(key, idleMs)
        .sadd(userKey(userId), key)
        .pexpire(userKey(userId), idleMs)
        .exec();
      return session;
    },

    async touch(id) {
      if (!id) return undefined;
      const key = sessionKey(id);
      const results = await redis.multi().hgetall(key).pexpire(key, idleMs).exec();
      const data = results?.[0]?.[1] as Record<string, string> | undefined;
      if (!data?.userId || !data.csrfToken) return undefined;
      await redis.pexpire(userKey(data.userId), idleMs);
      return {
        id,
        userId: data.userId,
        csrfToken: data.csrfToken,
        createdAt: new Date(data.createdAt ?? 0),
      };
    },

    async end(id) {
      const key = sessionKey(id);
      const userId = await redis.hget(key, 'userId');
      const tx = redis.multi().del(key);
      if (userId) tx.srem(userKey(userId), key);
      await tx.exec();
    },

    async endAllOf(userId) {
      const keys = await redis.smembers(userKey(userId));
      await redis.del(userKey(userId), ...keys);
    },
  };
}
