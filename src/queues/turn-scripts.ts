/**
 * The Redis side of a turn in as few round trips as possible: each function is one Lua script
 * (EVALSHA through ioredis `defineCommand`), atomic on the server.
 *
 * - `lockAndList`: take the conversation lock — and the outbound lock too when no reply waits for
 *   delivery, so the turn's replies can go out without another round trip — and list the
 *   conversation's pending inbound messages (oldest first).
 * - `claimDelivery`: add a turn's replies to the outbound pending index (dropping those a replayed
 *   turn already delivered), take the outbound lock and, when taken, list what is pending (so the
 *   caller sends only when nothing older waits).
 * - `finishTurn`: drop handled messages and delivered replies from the pending indexes, note the
 *   handled ones as finished for the in-flight cleanup, release the outbound lock and (optionally)
 *   the conversation lock, and say how many inbound messages still wait.
 */
import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import { conversationLockKey } from './redis-lock.js';

// KEYS: conversation lock, pending in, outbound lock, pending out. Returns false, or
// {1 when the outbound lock was taken too (nothing waits for delivery), pending inbound ids}.
const LOCK_AND_LIST = `
if redis.call('set', KEYS[1], ARGV[1], 'PX', ARGV[2], 'NX') then
  local outbound = 0
  if redis.call('zcard', KEYS[4]) == 0 and redis.call('set', KEYS[3], ARGV[1], 'PX', ARGV[2], 'NX') then
    outbound = 1
  end
  return {outbound, redis.call('zrange', KEYS[2], 0, -1)}
end
return false`;

// ARGV: owner, ttl, score, count of ids to drop (already delivered), those ids, the ids to add.
const CLAIM_DELIVERY = `
local n = tonumber(ARGV[4])
for i = 5, 4 + n do redis.call('zrem', KEYS[1], ARGV[i]) end
for i = 5 + n, #ARGV do redis.call('zadd', KEYS[1], 'NX', ARGV[3], ARGV[i]) end
if redis.call('set', KEYS[2], ARGV[1], 'PX', ARGV[2], 'NX') then
  return redis.call('zrange', KEYS[1], 0, -1)
end
return false`;

// ARGV: conversation-lock owner ('' keeps it), outbound-lock owner ('' none), count of inbound
// ids, the inbound ids, then the reply ids.
const FINISH_TURN = `
local n = tonumber(ARGV[3])
for i = 4, 3 + n do
  redis.call('zrem', KEYS[1], ARGV[i])
  redis.call('sadd', KEYS[5], ARGV[i])
end
for i = 4 + n, #ARGV do redis.call('zrem', KEYS[3], ARGV[i]) end
if ARGV[2] ~= '' and redis.call('get', KEYS[4]) == ARGV[2] then redis.call('del', KEYS[4]) end
if ARGV[1] ~= '' and redis.call('get', KEYS[2]) == ARGV[1] then redis.call('del', KEYS[2]) end
return redis.call('zcard', KEYS[1])`;

type ScriptClient = Redis & {
  charlaLockAndList(...args: Array<string | number>): Promise<[number, string[]] | null>;
  charlaClaimDelivery(...args: Array<string | number>): Promise<string[] | null>;
  charlaFinishTurn(...args: Array<string | number>): Promise<number>;
};

function scripts(redis: Redis): ScriptClient {
  const client = redis as ScriptClient;
  if (typeof client.charlaLockAndList !== 'function') {
    redis.defineCommand('charlaLockAndList', { numberOfKeys: 4, lua: LOCK_AND_LIST });
    redis.defineCommand('charlaClaimDelivery', { numberOfKeys: 2, lua: CLAIM_DELIVERY });
    redis.defineCommand('charlaFinishTurn', { numberOfKeys: 5, lua: FINISH_TURN });
  }
  return client;
}

export interface TurnKeys {
  conversationLock: string;
  pendingIn: string;
  outboundLock: string;
  pendingOut: string;
  /** Finished inbound ids, for the reconciler's in-flight cleanup. */
  finished: string;
}

export const turnKeys = (prefix: string, conversationId: string): TurnKeys => ({
  conversationLock: conversationLockKey(prefix, 'conversation', conversationId),
  pendingIn: `${prefix}:pending:in:${conversationId}`,
  outboundLock: conversationLockKey(prefix, 'outbound', conversationId),
  pendingOut: `${prefix}:pending:out:${conversationId}`,
  finished: finishedKey(prefix),
});

export const finishedKey = (prefix: string) => `${prefix}:inflight:finished`;

export interface ConversationHold {
  /** The token of the conversation lock (and of the outbound lock, when held). */
  owner: string;
  /** Pending inbound message ids, oldest first. */
  pending: string[];
  /** The outbound lock is ours too: nothing waited for delivery, replies may go out at once. */
  outbound: boolean;
}

/**
 * Takes the conversation lock and, when nothing waits for delivery, the outbound lock with it;
 * undefined when someone holds the conversation.
 */
export async function lockAndList(
  redis: Redis,
  keys: TurnKeys,
  ttlMs: number,
): Promise<ConversationHold | undefined> {
  const owner = randomUUID();
  const held = await scripts(redis).charlaLockAndList(
    keys.conversationLock,
    keys.pendingIn,
    keys.outboundLock,
    keys.pendingOut,
    owner,
    ttlMs,
  );
  return held ? { owner, outbound: held[0] === 1, pending: held[1] } : undefined;
}

/** The outbound lock's owner and the pending replies, or undefined when someone delivers. */
export async function claimDelivery(
  redis: Redis,
  keys: TurnKeys,
  ttlMs: number,
  replyIds: string[],
  /** Replies of the same turn already delivered (a replay): they leave the index first. */
  delivered: string[] = [],
): Promise<{ owner: string; pending: string[] } | undefined> {
  const owner = randomUUID();
  const pending = await scripts(redis).charlaClaimDelivery(
    keys.pendingOut,
    keys.outboundLock,
    owner,
    ttlMs,
    Date.now(),
    delivered.length,
    ...delivered,
    ...replyIds,
  );
  return pending ? { owner, pending } : undefined;
}

/** See the module comment; returns how many inbound messages are still pending. */
export async function finishTurn(
  redis: Redis,
  keys: TurnKeys,
  opts: {
    conversationOwner?: string;
    outboundOwner?: string;
    handled: string[];
    delivered: string[];
  },
): Promise<number> {
  return scripts(redis).charlaFinishTurn(
    keys.pendingIn,
    keys.conversationLock,
    keys.pendingOut,
    keys.outboundLock,
    keys.finished,
    opts.conversationOwner ?? '',
    opts.outboundOwner ?? '',
    opts.handled.length,
    ...opts.handled,
    ...opts.delivered,
  );
}
