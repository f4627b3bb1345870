/**
 * The rollup job: turns changed conversations into their contributions and rewrites the days
 * they belong to. Idempotent by construction — a contribution is recomputed from records, a day
 * from contributions — so a run cut short by a crash is simply run again; conversations leave the
 * touched set only after their days are written.
 *
 * Besides the console event stream (touches.ts), each run sweeps leads and cases updated since
 * the previous sweep (a marketer qualifying a lead changes no conversation), and the first run
 * against an empty touched-state (a new install, or a Redis that lost its data) touches every
 * conversation once, so history is (re)built in the background.
 */
import type { Redis } from 'ioredis';
import { Types } from 'mongoose';
import { AnalyticsConversation } from './model.js';
import { Case } from '../../kernel/db/models/case.js';
import { Conversation } from '../../kernel/db/models/conversation.js';
import { Lead } from '../../kernel/db/models/lead.js';
import { Message } from '../../kernel/db/models/message.js';
import { computeContribution } from './contribution.js';
import { recomputeDay } from './days.js';
import { forget, settled, stateKey, touch } from './touches.js';

export interface RollupOptions {
  redis: Redis;
  prefix: string;
  /** A conversation is rolled up once untouched this long (its turn has finished). */
  settleMs?: number;
  /** Conversations per batch. */
  batch?: number;
  now?: () => number;
}

export interface RollupReport {
  conversations: number;
  days: number;
  waiting: number;
}

const SWEEP_OVERLAP_MS = 60_000;

/** First run on this Redis: every conversation is touched once (history, or a lost set). */
async function backfill(redis: Redis, prefix: string, now: number): Promise<void> {
  if (await redis.hexists(stateKey(prefix), 'backfilled')) return;
  let ids: string[] = [];
  for await (const c of Conversation.find({}, { _id: 1 }).lean().cursor()) {
    ids.push(String(c._id));
    if (ids.length === 1000) {
      await touch(redis, prefix, ids, 0);
      ids = [];
    }
  }
  await touch(redis, prefix, ids, 0);
  await redis.hset(stateKey(prefix), 'backfilled', String(now), 'sweptAt', String(now));
}

/** Conversations whose leads or cases changed since the last sweep (small collections). */
async function sweepRecords(redis: Redis, prefix: string, now: number): Promise<void> {
  const since = Number((await redis.hget(stateKey(prefix), 'sweptAt')) ?? 0);
  const filter = { updatedAt: { $gt: new Date(since - SWEEP_OVERLAP_MS) } };
  const [leads, cases] = await Promise.all([
    Lead.find(filter, { conversationId: 1 }).lean(),
    Case.find(filter, { conversationId: 1 }).lean(),
  ]);
  const ids = [...leads, ...cases].flatMap((r) =>
    r.conversationId ? [String(r.conversationId)] : [],
  );
  await touch(redis, prefix, [...new Set(ids)], 0);
  await redis.hset(stateKey(prefix), 'sweptAt', String(now));
}

/** Whether a customer message of the conversation still waits for its turn. */
const hasUnhandled = async (id: Types.ObjectId) =>
  (await Message.exists({ conversationId: id, direction: 'in', status: 'received' })) !== null;

async function rollBatch(
  opts: RollupOptions,
  members: Array<{ id: string; score: string }>,
): Promise<{ done: number; days: Set<string>; waiting: number }> {
  const days = new Set<string>();
  const done: typeof members = [];
  let waiting = 0;
  for (const m of members) {
    const id = new Types.ObjectId(m.id);
    const [contribution, old] = await Promise.all([
      computeContribution(id),
      AnalyticsConversation.findById(id, { day: 1 }).lean(),
    ]);
    if (contribution && (await hasUnhandled(id))) {
      waiting++;
      continue; // counted once its turn ran (and set the message's intent)
    }
    if (old) days.add(old.day);
    if (contribution) {
      days.add(contribution.day);
      await AnalyticsConversation.replaceOne({ _id: id }, contribution, { upsert: true });
    } else if (old) {
      await AnalyticsConversation.deleteOne({ _id: id });
    }
    done.push(m);
  }
  for (const day of days) await recomputeDay(day);
  await forget(opts.redis, opts.prefix, done);
  return { done: done.length, days, waiting };
}

/** One pass: sweep, then every settled conversation in batches. */
export async function runRollup(opts: RollupOptions): Promise<RollupReport> {
  const { redis, prefix } = opts;
  const now = opts.now?.() ?? Date.now();
  await backfill(redis, prefix, now);
  await sweepRecords(redis, prefix, now);
  const report: RollupReport = { conversations: 0, days: 0, waiting: 0 };
  const days = new Set<string>();
  const skip = new Set<string>();
  for (;;) {
    const members = (
      await settled(redis, prefix, now - (opts.settleMs ?? 5_000), (opts.batch ?? 200) + skip.size)
    ).filter((m) => !skip.has(m.id));
    if (members.length === 0) break;
    const r = await rollBatch(opts, members);
    report.conversations += r.done;
    report.waiting += r.waiting;
    r.days.forEach((d) => days.add(d));
    // Conversations still waiting for a turn stay in the set for the next run.
    if (r.done === 0) break;
    for (const m of members) skip.add(m.id);
  }
  report.days = days.size;
  return report;
}
