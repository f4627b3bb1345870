/**
 * Ingest's route cache: (channel, platform conversation) → the open conversation and its contact,
 * in Redis for a few minutes, so a message of a known conversation costs one GET instead of three
 * MongoDB reads (identity, open key, conversation). MongoDB stays the truth: a miss, or a
 * message whose reply context differs from the cached one, takes the full path and refreshes
 * the entry. Whoever closes a conversation calls `forgetRoute` (otherwise the entry expires
 * within ROUTE_TTL_S); a contact merge is picked up by the engine, which reads the conversation
 * anyway and stamps the message with its current contact.
 */
import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';
import { isCluster } from '../../kernel/redis/topology.js';

export const ROUTE_TTL_S = 300;

export interface Route {
  conversationId: string;
  contactId: string;
}

const routeKey = (prefix: string, channel: string, platformConversationId: string) =>
  `${prefix}:route:${channel}:${platformConversationId}`;

/** A stable digest of the reply context ('' when none), kept with the route. */
function contextDigest(replyContext: Record<string, string> | undefined): string {
  if (!replyContext || Object.keys(replyContext).length === 0) return '';
  const sorted = Object.keys(replyContext)
    .sort()
    .map((k) => [k, replyContext[k]]);
  return createHash('sha1').update(JSON.stringify(sorted)).digest('base64url').slice(0, 16);
}

// KEYS: the route. ARGV: the pending-index key prefix, score, message id (one server or Sentinel;
// a Cluster takes two commands, see findAndIndex). On a hit, the message
// is indexed as pending in its conversation in the same round trip (it is stored right after;
// an index entry whose message never gets stored is dropped by the worker that meets it).
const FIND_AND_INDEX = `
local raw = redis.call('get', KEYS[1])
if not raw then return false end
local conversation = string.match(raw, '^(%S+)')
if conversation then redis.call('zadd', ARGV[1] .. conversation, 'NX', ARGV[2], ARGV[3]) end
return raw`;

type RouteClient = Redis & {
  charlaFindRoute(...args: Array<string | number>): Promise<string | null>;
};

/**
 * The route's raw entry, its conversation's pending index given `messageId`. On a Redis Cluster,
 * where every key a script touches must be passed in (and the pending key is known only once the
 * route is read), two commands instead of the script: a GET, then on a hit a ZADD.
 */
async function findAndIndex(
  redis: Redis,
  prefix: string,
  channel: string,
  platformConversationId: string,
  messageId: string,
): Promise<string | null> {
  const key = routeKey(prefix, channel, platformConversationId);
  const now = Date.now();
  if (isCluster(redis)) {
    const raw = await redis.get(key);
    const conversation = raw?.split(' ')[0];
    if (conversation)
      await redis.zadd(`${prefix}:pending:in:${conversation}`, 'NX', now, messageId);
    return raw;
  }
  const client = redis as RouteClient;
  if (typeof client.charlaFindRoute !== 'function') {
    redis.defineCommand('charlaFindRoute', { numberOfKeys: 1, lua: FIND_AND_INDEX });
  }
  return client.charlaFindRoute(key, `${prefix}:pending:in:`, now, messageId);
}

/**
 * The cached route, with `messageId` added to the conversation's pending index in the same
 * round trip; undefined on a miss (or a changed reply context).
 */
export async function findRoute(
  redis: Redis,
  prefix: string,
  channel: string,
  platformConversationId: string,
  replyContext: Record<string, string> | undefined,
  messageId: string,
): Promise<Route | undefined> {
  const raw = await findAndIndex(redis, prefix, channel, platformConversationId, messageId);
  if (!raw) return undefined;
  const [conversationId, contactId, digest] = raw.split(' ');
  if (!conversationId || !contactId) return undefined;
  if (replyContext && (digest ?? '') !== contextDigest(replyContext)) return undefined;
  return { conversationId, contactId };
}

export async function rememberRoute(
  redis: Redis,
  prefix: string,
  channel: string,
  platformConversationId: string,
  route: Route,
  replyContext: Record<string, string> | undefined,
): Promise<void> {
  const value = `${route.conversationId} ${route.contactId} ${contextDigest(replyContext)}`;
  await redis.set(routeKey(prefix, channel, platformConversationId), value, 'EX', ROUTE_TTL_S);
}

/** Drops the route of a platform conversation (call it after closing its conversation). */
export async function forgetRoute(
  redis: Redis,
  prefix: string,
  channel: string,
  platformConversationId: string,
): Promise<void> {
  await redis.del(routeKey(prefix, channel, platformConversationId));
}
