/**
 * Login throttle, in Redis (shared by every instance). It slows guessing down without handing
 * anyone a switch that locks somebody else out:
 *   - A **client** is a device cookie this account signed in with before (set at every successful
 *     sign-in), else the client IP (TRUST_PROXY decides what that is). Failures are counted per
 *     account (email) and client: after `freeFailures` the client waits `baseDelayMs`, doubling
 *     with each further failure up to `maxDelayMs`; a client's count is forgotten `memoryMs` after
 *     its last failure, or at its own successful sign-in. Someone failing from elsewhere never
 *     delays a client that has not failed.
 *   - An IP without a known device may fail `ipMaxFailures` times in `ipWindowMs` across all
 *     accounts (a spray over many emails), then waits out the window.
 *   - An account that fails from `lockSources` distinct clients within `lockWindowMs` (a
 *     distributed attack) is locked for `lockMs` — for clients without a known device only: the
 *     staff member's own browsers still sign in. The lock is audited (`auth.account_locked`).
 * Every delay that starts is audited (`auth.login_throttled`, with its scope); the refusals
 * while it lasts are not (an attacker could otherwise fill the audit log). Keys hold hashes, never
 * emails, addresses or device ids.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import { RateLimitedError } from '../../kernel/errors.js';

export interface ThrottleOptions {
  /** Failures per account and client before delays start. */
  freeFailures: number;
  /** The first delay; each further failure doubles it. */
  baseDelayMs: number;
  maxDelayMs: number;
  /** How long a client's failures are remembered after its last one. */
  memoryMs: number;
  /** Failures across all accounts from one IP without a known device, per `ipWindowMs`. */
  ipMaxFailures: number;
  ipWindowMs: number;
  /** Distinct failing clients of one account within `lockWindowMs` that lock it for `lockMs`. */
  lockSources: number;
  lockWindowMs: number;
  lockMs: number;
  /** Lifetime of a device cookie's standing. */
  deviceTtlMs: number;
}

const MINUTE = 60_000;
export const DEFAULT_THROTTLE: ThrottleOptions = {
  freeFailures: 5,
  baseDelayMs: 2_000,
  maxDelayMs: 15 * MINUTE,
  memoryMs: 24 * 60 * MINUTE,
  ipMaxFailures: 100,
  ipWindowMs: 15 * MINUTE,
  lockSources: 20,
  lockWindowMs: 60 * MINUTE,
  lockMs: 30 * MINUTE,
  deviceTtlMs: 180 * 24 * 60 * MINUTE,
};

/** 429 with how long to wait (the route sends it as Retry-After). */
export class LoginThrottledError extends RateLimitedError {
  constructor(retryAfterMs: number) {
    const seconds = Math.max(1, Math.ceil(retryAfterMs / 1000));
    super(
      'login_throttled',
      seconds < 120
        ? `Too many failed sign-ins; try again in ${seconds} s.`
        : `Too many failed sign-ins; try again in ${Math.ceil(seconds / 60)} min.`,
      retryAfterMs,
    );
  }
}

/** Who is signing in: the client IP and the device cookie, if the browser sent one. */
export interface LoginClient {
  ip: string;
  device?: string;
}

/** A client given as its IP alone (a later sign-in step that kept only the IP). */
export type ClientLike = LoginClient | string;
const asClient = (c: ClientLike): LoginClient => (typeof c === 'string' ? { ip: c } : c);

/** What a failure started, for the audit log (no secrets, no addresses). */
export interface FailureOutcome {
  /** A delay that started for this client: milliseconds, else 0. */
  delayMs: number;
  /** The IP's budget across accounts was used up by this failure. */
  ipBlocked: boolean;
  /** This failure locked the account (distinct clients reached `lockSources`). */
  accountLocked: boolean;
  /** Distinct failing clients of the account in the lock window. */
  sources: number;
  /** Failures of this client for this account. */
  failures: number;
}

export interface LoginThrottle {
  readonly options: ThrottleOptions;
  /** Milliseconds until this client may try this account again, or 0 when it may now. */
  blockedFor(email: string, client: ClientLike): Promise<number>;
  recordFailure(email: string, client: ClientLike): Promise<FailureOutcome>;
  /** A successful sign-in clears this client's count (not the IP's, nor an account lock). */
  recordSuccess(email: string, client: ClientLike): Promise<void>;
  /**
   * Gives the client's device standing with this account (a new id unless its cookie already has
   * it); returns the cookie value to set.
   */
  rememberDevice(email: string, client: ClientLike): Promise<string>;
}

export const hashForKey = (value: string) =>
  createHash('sha256').update(value).digest('hex').slice(0, 32);

const DEVICE_ID = /^[A-Za-z0-9_-]{43}$/;
export const newDeviceId = () => randomBytes(32).toString('base64url');

export function createLoginThrottle(opts: {
  redis: Redis;
  prefix: string;
  options?: Partial<ThrottleOptions>;
}): LoginThrottle {
  const { redis, prefix } = opts;
  const o: ThrottleOptions = { ...DEFAULT_THROTTLE, ...opts.options };
  const base = `${prefix}:login`;
  const account = (email: string) => hashForKey(email);
  const deviceKey = (email: string, device: string) =>
    `${base}:device:${account(email)}:${hashForKey(device)}`;
  const keys = (email: string, clientId: string) => ({
    count: `${base}:fail:${account(email)}:${clientId}`,
    wait: `${base}:wait:${account(email)}:${clientId}`,
    sources: `${base}:sources:${account(email)}`,
    lock: `${base}:lock:${account(email)}`,
  });
  const ipKey = (ip: string) => `${base}:fail-ip:${hashForKey(ip)}`;

  /** The client's id for this account: its device when known for it, else its IP. */
  async function identify(email: string, given: ClientLike) {
    const client = asClient(given);
    if (client.device && DEVICE_ID.test(client.device)) {
      if ((await redis.exists(deviceKey(email, client.device))) === 1) {
        return { id: `dev:${hashForKey(client.device)}`, knownDevice: true };
      }
    }
    return { id: `ip:${hashForKey(client.ip)}`, knownDevice: false };
  }

  const ttlOf = (ms: number) => (ms > 0 ? ms : 0);

  return {
    options: o,

    async blockedFor(email, client) {
      const who = await identify(email, client);
      const k = keys(email, who.id);
      const ip = ipKey(asClient(client).ip);
      const tx = redis.multi().pttl(k.wait);
      if (!who.knownDevice) tx.pttl(k.lock).get(ip).pttl(ip);
      const r = ((await tx.exec()) ?? []).map(([, v]) => v);
      const waits = [ttlOf(Number(r[0]))];
      if (!who.knownDevice) {
        waits.push(ttlOf(Number(r[1])));
        if (Number(r[2] ?? 0) >= o.ipMaxFailures) waits.push(ttlOf(Number(r[3])) || o.ipWindowMs);
      }
      return Math.max(...waits);
    },

    async recordFailure(email, client) {
      const who = await identify(email, client);
      const k = keys(email, who.id);
      const ip = ipKey(asClient(client).ip);
      const tx = redis.multi().incr(k.count).pexpire(k.count, o.memoryMs);
      tx.sadd(k.sources, who.id).pexpire(k.sources, o.lockWindowMs, 'NX').scard(k.sources);
      if (!who.knownDevice) tx.incr(ip).pexpire(ip, o.ipWindowMs, 'NX');
      const r = ((await tx.exec()) ?? []).map(([, v]) => Number(v));
      // Replies: incr, pexpire, sadd, pexpire, scard[, incr (the IP's count), pexpire].
      const [failures = 0, , , , sources = 0, ipFailures = 0] = r;
      const extra = failures - o.freeFailures;
      const delayMs = extra > 0 ? Math.min(o.baseDelayMs * 2 ** (extra - 1), o.maxDelayMs) : 0;
      if (delayMs > 0) await redis.set(k.wait, '1', 'PX', delayMs);
      const ipBlocked = !who.knownDevice && ipFailures === o.ipMaxFailures;
      const accountLocked =
        sources >= o.lockSources && (await redis.set(k.lock, '1', 'PX', o.lockMs, 'NX')) === 'OK';
      return { delayMs, ipBlocked, accountLocked, sources, failures };
    },

    async recordSuccess(email, client) {
      const who = await identify(email, client);
      const k = keys(email, who.id);
      await redis.del(k.count, k.wait);
    },

    async rememberDevice(email, client) {
      // A cookie keeps its value only when it already has standing with this account: one planted
      // in the browser by somebody else never gains any.
      const known = (await identify(email, client)).knownDevice;
      const device = known ? asClient(client).device! : newDeviceId();
      await redis.set(deviceKey(email, device), '1', 'PX', o.deviceTtlMs);
      return device;
    },
  };
}
