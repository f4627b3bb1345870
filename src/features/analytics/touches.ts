/**
 * Which conversations changed since analytics last looked: a Redis sorted set
 * (`<prefix>:analytics:touched`, member = conversation id, score = last change, ms). Filled from
 * the console event stream (one PUBLISH per message or hand-over the app already makes), so the
 * hot path pays nothing; emptied by the rollup job only for members not touched again meanwhile.
 */
import type { Redis } from 'ioredis';

export const touchedKey = (prefix: string) => `${prefix}:analytics:touched`;
export const stateKey = (prefix: string) => `${prefix}:analytics:state`;

export async function touch(redis: Redis, prefix: string, ids: string[], at = Date.now()) {
  if (ids.length === 0) return;
  const args = ids.flatMap((id) => [at, id]);
  await redis.zadd(touchedKey(prefix), 'GT', ...args).catch(async () => {
    // Redis < 6.2 has no GT: a plain ZADD is fine (the job only needs "changed since").
    await redis.zadd(touchedKey(prefix), ...args);
  });
}

/** Conversations last touched at or before `before`, oldest first, with their scores. */
export async function settled(
  redis: Redis,
  prefix: string,
  before: number,
  limit: number,
): Promise<Array<{ id: string; score: string }>> {
  const flat = await redis.zrangebyscore(
    touchedKey(prefix),
    '-inf',
    before,
    'WITHSCORES',
    'LIMIT',
    0,
    limit,
  );
  const out: Array<{ id: string; score: string }> = [];
  for (let i = 0; i < flat.length; i += 2) out.push({ id: flat[i]!, score: flat[i + 1]! });
  return out;
}

const FORGET = `
local n = 0
for i = 1, #ARGV, 2 do
  if redis.call('zscore', KEYS[1], ARGV[i]) == ARGV[i + 1] then
    n = n + redis.call('zrem', KEYS[1], ARGV[i])
  end
end
return n`;

/** Drops members whose score is still the one read (touched again since = kept for next run). */
export async function forget(
  redis: Redis,
  prefix: string,
  members: Array<{ id: string; score: string }>,
): Promise<void> {
  if (members.length === 0) return;
  await redis.eval(FORGET, 1, touchedKey(prefix), ...members.flatMap((m) => [m.id, m.score]));
}
