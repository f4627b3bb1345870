/**
 * The Redis side of a turn in as few round trips as possible: each function is one Lua script
 * (EVALSHA through ioredis `defineCommand`), atomic on the server.
 *
 * - `lockAndList`: (unless the job's own message was finished meanwhile) take the conversation lock — and the outbound lock too when no reply waits for
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
import { conversationLockKey } from '../../kernel/redis/lock.js';
import { isCluster } from '../../kernel/redis/topology.js';

// The pending messages' job hashes are named inside the script (they are known only once the
// index is read): on a Redis Cluster that is only sound in the declared keys' slot, so there the
// script is built without this read (jobDataMax 0) and the worker reads those messages from
// MongoDB, as it does past JOB_DATA_MAX anyway.
const jobDataRead = (jobDataMax: number) => `
    if id ~= ARGV[3] and i <= ${jobDataMax} then
      data[i] = redis.call('hget', ARGV[4] .. id, 'data') or ''
    end`;

// KEYS: conversation lock, pending in, outbound lock, pending out, finished. ARGV: owner, ttl, the
// job's own message id ('' for none), the inbound job key prefix. Returns 0 when the job's message
// was finished meanwhile (noted finished, no longer pending: nothing to do, nothing taken), false
// when the conversation is held, else {1 when the outbound lock was taken too (nothing waits for
// delivery), pending inbound ids oldest first, the job data of the first ones but the own ('' if
// none)}.
const lockAndListLua = (jobDataMax: number) => `
if ARGV[3] ~= '' and redis.call('sismember', KEYS[5], ARGV[3]) == 1
  and not redis.call('zscore', KEYS[2], ARGV[3]) then
  return 0
end
if redis.call('set', KEYS[1], ARGV[1], 'PX', ARGV[2], 'NX') then
  local outbound = 0
  if redis.call('zcard', KEYS[4]) == 0 and redis.call('set', KEYS[3], ARGV[1], 'PX', ARGV[2], 'NX') then
    outbound = 1
  end
  local pending = redis.call('zrange', KEYS[2], 0, -1)
  local data = {}
  for i, id in ipairs(pending) do
    data[i] = ''${jobDataMax > 0 ? jobDataRead(jobDataMax) : ''}
  end
  return {outbound, pending, data}
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

// ARGV: conversation-lock owner ('' keeps it), outbound-lock owner ('' none), count of handled
// inbound ids, count of dropped ones (no such message: index entries only), the handled ids, the
// dropped ids, then the reply ids. Only handled ids are noted finished.
const FINISH_TURN = `
local n = tonumber(ARGV[3])
local d = tonumber(ARGV[4])
for i = 5, 4 + n do
  redis.call('zrem', KEYS[1], ARGV[i])
  redis.call('sadd', KEYS[5], ARGV[i])
end
for i = 5 + n, 4 + n + d do redis.call('zrem', KEYS[1], ARGV[i]) end
for i = 5 + n + d, #ARGV do redis.call('zrem', KEYS[3], ARGV[i]) end
if ARGV[2] ~= '' and redis.call('get', KEYS[4]) == ARGV[2] then redis.call('del', KEYS[4]) end
if ARGV[1] ~= '' and redis.call('get', KEYS[2]) == ARGV[1] then redis.call('del', KEYS[2]) end
return redis.call('zcard', KEYS[1])`;

/** Pending messages whose job data `lockAndList` returns (the others are read from MongoDB). */
const JOB_DATA_MAX = 50;

type ScriptClient = Redis & {
  charlaLockAndList(
    ...args: Array<string | number>
  ): Promise<[number, string[], string[]] | 0 | null>;
  charlaClaimDelivery(...args: Array<string | number>): Promise<string[] | null>;
  charlaFinishTurn(...args: Array<string | number>): Promise<number>;
};

function scripts(redis: Redis): ScriptClient {
  const client = redis as ScriptClient;
  if (typeof client.charlaLockAndList !== 'function') {
    redis.defineCommand('charlaLockAndList', {
      numberOfKeys: 5,
      // Every key a script touches is passed in on a Cluster (see jobDataRead).
      lua: lockAndListLua(isCluster(redis) ? 0 : JOB_DATA_MAX),
    });
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
  /** The queued job data (JSON) of pending messages other than the job's own, where found. */
  jobData: Map<string, string>;
}

/**
 * Takes the conversation lock and, when nothing waits for delivery, the outbound lock with it;
 * undefined when someone holds the conversation; 'finished' when `own.messageId` (the job's own
 * message) was noted finished and is no longer pending — another job's drain handled it.
 */
export async function lockAndList(
  redis: Redis,
  keys: TurnKeys,
  ttlMs: number,
  own: { messageId?: string; jobKeyPrefix: string },
): Promise<ConversationHold | 'finished' | undefined> {
  const owner = randomUUID();
  const held = await scripts(redis).charlaLockAndList(
    keys.conversationLock,
    keys.pendingIn,
    keys.outboundLock,
    keys.pendingOut,
    keys.finished,
    owner,
    ttlMs,
    own.messageId ?? '',
    own.jobKeyPrefix,
  );
  if (held === 0) return 'finished';
  if (!held) return undefined;
  const [outbound, pending, data] = held;
  const jobData = new Map<string, string>();
  pending.forEach((id, i) => {
    if (data[i]) jobData.set(id, data[i]!);
  });
  return { owner, outbound: outbound === 1, pending, jobData };
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
    /** Index entries whose message does not exist (indexed by ingest, never stored). */
    dropped?: string[];
    delivered: string[];
  },
): Promise<number> {
  const dropped = opts.dropped ?? [];
  return scripts(redis).charlaFinishTurn(
    keys.pendingIn,
    keys.conversationLock,
    keys.pendingOut,
    keys.outboundLock,
    keys.finished,
    opts.conversationOwner ?? '',
    opts.outboundOwner ?? '',
    opts.handled.length,
    dropped.length,
    ...opts.handled,
    ...dropped,
    ...opts.delivered,
  );
}
