/**
 * Staff accounts wired together: sessions, login throttle, users, first-run setup and the
 * request authenticator. The auth feature module (src/features/auth/index.ts) creates it once
 * and mounts its routes and authenticator.
 */
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { maskValue, recordAudit } from '../../kernel/audit.js';
import type { Config } from '../../kernel/config/config.js';
import { createAuthenticator } from './authenticator.js';
import type { Authenticator } from '../../http/guard.js';
import { unauthenticated } from '../../kernel/errors.js';
import { createFirstRun, type FirstRun } from './first-run.js';
import {
  createLoginThrottle,
  hashForKey,
  LoginThrottledError,
  type ClientLike,
  type FailureOutcome,
  type LoginThrottle,
  type ThrottleOptions,
} from './login-throttle.js';
import { verifyAgainstNothing, verifyPassword } from './passwords.js';
import { createSessionStore, type SessionStore, type StaffSession } from './sessions.js';
import { actorOfUser, User, type UserDoc } from '../../kernel/db/models/user.js';
import { createUserService, type UserService } from './users.js';

export interface StaffAuthOptions {
  /** Login throttle (defaults in login-throttle.ts); tests shorten the delays and counts. */
  throttle?: Partial<ThrottleOptions>;
  /** Lifetime of a setup link (default 24 h); tests shorten it. */
  setupTokenTtlMs?: number;
}

export interface StaffAuth {
  sessions: SessionStore;
  throttle: LoginThrottle;
  users: UserService;
  firstRun: FirstRun;
  authenticator: Authenticator;
  secureCookie: boolean;
  /**
   * The user for these credentials; 401 (same for any wrong part) or 429 while this client (a
   * known device cookie, else the IP) is throttled for this account (login-throttle.ts). Audited.
   */
  login(email: string, password: string, client: ClientLike): Promise<UserDoc>;
  /**
   * The first step of `login` alone: the user whose password this is (failures throttled and
   * audited), not yet signed in — a second factor may follow (src/features/auth/two-factor/).
   */
  checkPassword(email: string, password: string, client: ClientLike): Promise<UserDoc>;
  /** The last step of a sign-in: clears the client's failures, stamps and audits it. */
  signedIn(user: UserDoc, details?: Record<string, unknown>, client?: ClientLike): Promise<UserDoc>;
  /** A failed later step (a wrong two-factor code) counts like a wrong password. */
  recordFailure(
    email: string,
    client: ClientLike,
    user: UserDoc | null,
    reason: string,
  ): Promise<void>;
  logout(session: StaffSession, user: UserDoc): Promise<void>;
  /** First run: bootstrap admin from env or print the setup link. */
  start(): Promise<void>;
}

/** The throttle events a failure started, as audit details. */
function throttleEvents(outcome: FailureOutcome): Record<string, unknown>[] {
  const events: Record<string, unknown>[] = [];
  if (outcome.delayMs > 0) {
    events.push({
      scope: 'client',
      failures: outcome.failures,
      delaySeconds: Math.ceil(outcome.delayMs / 1000),
    });
  }
  if (outcome.ipBlocked) events.push({ scope: 'ip' });
  return events;
}

const invalidCredentials = () => unauthenticated('invalid_credentials', 'Wrong email or password.');

export function createStaffAuth(deps: {
  config: Pick<Config, 'auth' | 'publicUrl' | 'port' | 'adminToken' | 'role'>;
  /** The app's resolved Redis key prefix (QUEUE_PREFIX). */
  prefix: string;
  redis: Redis;
  logger: Logger;
  options?: StaffAuthOptions;
}): StaffAuth {
  const { config, redis, logger, prefix } = deps;
  const sessions = createSessionStore({
    redis,
    prefix,
    idleMs: config.auth.sessionHours * 3600_000,
  });
  const throttle = createLoginThrottle({ redis, prefix, options: deps.options?.throttle });
  const users = createUserService({ redis, prefix, sessions });
  const firstRun = createFirstRun({
    redis,
    prefix,
    users,
    logger,
    baseUrl: config.publicUrl ?? `http://localhost:${config.port}`,
    tokenTtlMs: deps.options?.setupTokenTtlMs,
  });

  async function loginFailed(
    email: string,
    client: ClientLike,
    user: UserDoc | null,
    reason: string,
  ) {
    const outcome = await throttle.recordFailure(email, client);
    const ip = typeof client === 'string' ? client : client.ip;
    const entry = {
      actor: `ip:${hashForKey(ip).slice(0, 16)}`,
      targetType: 'user',
      targetId: user ? user._id.toHexString() : 'unknown',
    };
    const masked = maskValue('email', email);
    await recordAudit({
      ...entry,
      action: 'auth.login_failed',
      details: { email: masked, reason },
    });
    for (const details of throttleEvents(outcome)) {
      await recordAudit({ ...entry, action: 'auth.login_throttled', details });
    }
    if (outcome.accountLocked) {
      const minutes = Math.round(throttle.options.lockMs / 60_000);
      await recordAudit({
        ...entry,
        action: 'auth.account_locked',
        details: { email: masked, sources: outcome.sources, minutes },
      });
      // The owner is told through the audit log and the operators' log (no email, no address).
      logger.warn(
        { event: 'auth.account_locked', userId: entry.targetId, sources: outcome.sources, minutes },
        'sign-in locked for unknown devices after failures from many sources',
      );
    }
  }

  const staffAuth: StaffAuth = {
    sessions,
    throttle,
    users,
    firstRun,
    secureCookie: config.publicUrl?.startsWith('https://') === true,
    authenticator: createAuthenticator({ adminToken: config.adminToken, sessions }),

    async login(email, password, client) {
      const user = await staffAuth.checkPassword(email, password, client);
      return staffAuth.signedIn(user, undefined, client);
    },

    async checkPassword(email, password, client) {
      const wait = await throttle.blockedFor(email, client);
      if (wait > 0) throw new LoginThrottledError(wait);
      const user = await User.findOne({ email }).lean<UserDoc>();
      // Always one argon2 verification, so timing tells nothing about which part was wrong.
      const valid = user
        ? await verifyPassword(user.passwordHash, password)
        : await verifyAgainstNothing(password);
      if (!user || !valid || user.disabled) {
        const reason = !user ? 'unknown_email' : !valid ? 'wrong_password' : 'disabled';
        await loginFailed(email, client, user, reason);
        throw invalidCredentials();
      }
      return user;
    },

    async signedIn(user, details, client) {
      // The client's own failures end with its sign-in (never another client's).
      if (client) await throttle.recordSuccess(user.email, client);
      const lastLoginAt = new Date();
      await User.updateOne({ _id: user._id }, { $set: { lastLoginAt } });
      await recordAudit({
        actor: actorOfUser(user),
        action: 'auth.login',
        targetType: 'user',
        targetId: user._id.toHexString(),
        details,
      });
      return { ...user, lastLoginAt };
    },

    recordFailure: loginFailed,

    async logout(session, user) {
      await sessions.end(session.id);
      await recordAudit({
        actor: actorOfUser(user),
        action: 'auth.logout',
        targetType: 'user',
        targetId: user._id.toHexString(),
      });
    },

    async start() {
      await firstRun.start({
        bootstrapAdmin: config.auth.bootstrapAdmin,
        printLink: config.role !== 'worker',
      });
    },
  };
  return staffAuth;
}
