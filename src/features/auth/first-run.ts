/**
 * First run: with no staff account yet, either ADMIN_EMAIL + ADMIN_PASSWORD create the first
 * admin unattended, or the log shows ONE line with a one-time setup link
 * (`/console/setup?token=…`, valid 24 h). Redis keeps only the token's SHA-256; using it
 * (`POST /api/auth/setup`) creates the first admin and spends every outstanding setup token.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { recordAudit } from '../../kernel/audit.js';
import { conflict, forbidden, isDomainError } from '../../kernel/errors.js';
import { release, tryAcquire } from '../../kernel/redis/lock.js';
import type { UserService } from './users.js';
import type { NewUser } from './schemas.js';
import { actorOfUser, type UserDoc } from '../../kernel/db/models/user.js';

export const SETUP_TOKEN_TTL_MS = 24 * 3600_000;
export const SETUP_PATH = '/console/setup';

export interface FirstRun {
  /** Bootstrap from env, or print the setup link; nothing when accounts exist. */
  start(opts: {
    bootstrapAdmin?: { email: string; password: string };
    printLink: boolean;
  }): Promise<void>;
  /** A new one-time link (also what `start` prints). */
  issueLink(): Promise<string>;
  /** Spends the token and creates the first admin; 403 bad/used/expired token, 409 done. */
  complete(token: string, admin: Omit<NewUser, 'role'>): Promise<UserDoc>;
}

const sha256 = (v: string) => createHash('sha256').update(v).digest('hex');

export function createFirstRun(deps: {
  redis: Redis;
  prefix: string;
  users: UserService;
  logger: Logger;
  baseUrl: string;
  tokenTtlMs?: number;
}): FirstRun {
  const { redis, prefix, users, logger } = deps;
  const ttlMs = deps.tokenTtlMs ?? SETUP_TOKEN_TTL_MS;
  const tokenKey = (token: string) => `${prefix}:setup-token:${sha256(token)}`;
  const lockKey = `${prefix}:lock:first-run`;
  const alreadyDone = () =>
    conflict('setup_done', 'Setup is done: an account exists already. Sign in instead.');

  async function spendAllTokens(): Promise<void> {
    const stream = redis.scanStream({ match: `${prefix}:setup-token:*`, count: 100 });
    for await (const keys of stream as AsyncIterable<string[]>) {
      if (keys.length > 0) await redis.del(...keys);
    }
  }

  const firstRun: FirstRun = {
    async issueLink() {
      const token = randomBytes(32).toString('base64url');
      await redis.set(tokenKey(token), '1', 'PX', ttlMs);
      return `${deps.baseUrl.replace(/\/$/, '')}${SETUP_PATH}?token=${token}`;
    },

    async start({ bootstrapAdmin, printLink }) {
      if (!(await users.none())) return;
      if (bootstrapAdmin) {
        const owner = await tryAcquire(redis, lockKey, 30_000);
        if (!owner) return; // another instance is doing it
        try {
          if (!(await users.none())) return;
          const user = await users.create(
            'system',
            { ...bootstrapAdmin, name: 'Admin', role: 'admin' },
            { via: 'ADMIN_EMAIL' },
          );
          logger.info(
            { userId: user._id.toHexString() },
            'created the first admin from ADMIN_EMAIL',
          );
        } catch (err) {
          if (!isDomainError(err, 'email_taken')) throw err;
        } finally {
          await release(redis, lockKey, owner);
        }
        return;
      }
      if (!printLink) return;
      const link = await firstRun.issueLink();
      // The one line an operator needs on first start; the token is in the message on purpose.
      logger.warn(`No staff account yet. Create the first admin within 24 h at ${link}`);
    },

    async complete(token, admin) {
      if (!(await users.none())) throw alreadyDone();
      const owner = await tryAcquire(redis, lockKey, 30_000);
      if (!owner) throw conflict('setup_in_progress', 'Setup is running; try again.');
      try {
        if (!(await users.none())) throw alreadyDone();
        if ((await redis.getdel(tokenKey(token))) !== '1') {
          throw forbidden(
            'setup_token_invalid',
            'This setup link is not valid: it was used or is older than 24 h. Restart Charla for a new one.',
          );
        }
        const user = await users.create('system', { ...admin, role: 'admin' }, { via: 'setup' });
        await spendAllTokens();
        await recordAudit({
          actor: actorOfUser(user),
          action: 'auth.setup',
          targetType: 'user',
          targetId: user._id.toHexString(),
        });
        return user;
      } finally {
        await release(redis, lockKey, owner);
      }
    },
  };
  return firstRun;
}
