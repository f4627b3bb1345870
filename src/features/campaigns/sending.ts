/**
 * Sending a campaign: start (now, or a delayed job at `sendAt`) lists the recipients once —
 * the audience read then, one document per (campaign, contact), variant picked — and queues one
 * job per recipient on the channel's queue; each job claims its recipient, re-checks consent and
 * reachability through sendMarketingMessage and records the outcome (recipients.ts). Pause leaves
 * the waiting recipients queued (their jobs return without sending); resume queues them again;
 * cancel skips them. The sweep (every minute on worker instances) recovers after a crash or a
 * Redis loss: a start whose listing never finished is queued again, interrupted sends are failed,
 * unsent claims released, queued recipients whose job was lost queued again, and a fully listed
 * campaign with nobody left is done.
 */
import { DelayedError, type Job } from 'bullmq';
import { Types } from 'mongoose';
import type { Logger } from 'pino';
import type { EventPublisher } from '../../kernel/events.js';
import type { OutreachLookup } from '../outreach/index.js';
import { walkAudience, type Eligible } from './audience.js';
import { Campaign, CampaignRecipient, type CampaignDoc, type RecipientDoc } from './models.js';
import type { CampaignQueues, SendJob, StartJob } from './queue.js';
import { isSendChannel } from './queue.js';
import {
  claim,
  recordFailure,
  recordOutcome,
  recoverInterrupted,
  releaseForRetry,
  retryable,
} from './recipients.js';
import { campaignLinks } from './links.js';
import { sendMarketingMessage, type MarketingDeps } from './send.js';
import type { CampaignTemplate, QuietHours } from './schemas.js';
import { dueAt, quietUntil, zoneOf } from './timing.js';
import { pickVariant, variantsOf } from './variants.js';

const INSERT_BATCH = 500;
const ENQUEUE_BATCH = 1000;

export interface SenderDeps {
  queues: CampaignQueues;
  marketing: MarketingDeps;
  lookup: OutreachLookup;
  bus: EventPublisher;
  logger: Logger;
  /** How long a claim may stay unfinished before the sweep calls it interrupted. */
  leaseMs: number;
  /** DEFAULT_TIMEZONE: a contact's zone when they have none. */
  defaultTimeZone: string;
}

const quietOf = (c: CampaignDoc) => (c.quietHours as QuietHours | undefined) ?? null;

async function insertRecipients(docs: object[]): Promise<void> {
  if (docs.length === 0) return;
  try {
    await CampaignRecipient.insertMany(docs, { ordered: false });
  } catch (err) {
    // Already listed (a retried start, another instance): the unique indexes keep one.
    const writeErrors = (err as { writeErrors?: Array<{ code?: number; err?: { code?: number } }> })
      .writeErrors;
    const allDuplicates =
      writeErrors?.every((e) => (e.code ?? e.err?.code) === 11000) ??
      (err as { code?: number }).code === 11000;
    if (!allDuplicates) throw err;
  }
}

/** Lists the campaign's recipients from its audience, read now. */
async function listRecipients(deps: SenderDeps, c: CampaignDoc): Promise<void> {
  const variants = variantsOf(c);
  const id = c._id.toHexString();
  let batch: object[] = [];
  const now = new Date();
  const timing = { sendAtLocal: c.sendAtLocal ?? null, quietHours: quietOf(c) };
  const row = (who: Eligible) => {
    const timeZone = zoneOf(who.contact as { timeZone?: string | null }, deps.defaultTimeZone);
    const due = dueAt(timing, timeZone, now);
    return {
      campaignId: c._id,
      contactId: who.contact._id,
      addressKey: who.addressKey,
      language: who.language,
      variant: pickVariant(variants, id, who.contact._id.toHexString()).name,
      timeZone,
      ...(due.getTime() > now.getTime() ? { dueAt: due } : {}),
    };
  };
  await walkAudience(c.segmentId.toHexString(), c.channel, deps.lookup, async (who) => {
    batch.push(row(who));
    if (batch.length >= INSERT_BATCH) {
      await insertRecipients(batch);
      batch = [];
    }
  });
  await insertRecipients(batch);
}

/**
/**
 * One job per queued recipient (job id = recipient id: a waiting job is not added twice), delayed
 * until the recipient's `dueAt` (local send time, quiet hours). One cursor over `{campaignId,
 * state: 'queued'}` — two equalities, both indexed on MongoDB and pushed down to an index by
 * FerretDB — rather than pages sorted by `_id`: FerretDB pushes neither the range nor the sort
 * down, so each page read every queued recipient again (quadratic at 100,000).
 */
export async function enqueueQueued(deps: SenderDeps, c: CampaignDoc): Promise<number> {
  if (!isSendChannel(c.channel)) return 0;
  const queue = deps.queues.send[c.channel];
  const campaignId = c._id.toHexString();
  const cursor = CampaignRecipient.collection.find(
    { campaignId: c._id, state: 'queued' },
    { projection: { _id: 1, dueAt: 1 }, batchSize: ENQUEUE_BATCH },
  );
  let total = 0;
  let page: Array<{ _id: Types.ObjectId; dueAt?: Date | null }> = [];
  const flush = async () => {
    const now = Date.now();
    await queue.addBulk(
      page.map((r) => {
        const recipientId = r._id.toHexString();
        const delay = r.dueAt ? Math.max(0, new Date(r.dueAt).getTime() - now) : 0;
        return {
          name: 'send',
          data: { campaignId, recipientId },
          opts: { jobId: recipientId, ...(delay > 0 ? { delay } : {}) },
        };
      }),
    );
    total += page.length;
    page = [];
  };
  for await (const r of cursor) {
    page.push(r as { _id: Types.ObjectId; dueAt?: Date | null });
    if (page.length >= ENQUEUE_BATCH) await flush();
  }
  if (page.length > 0) await flush();
  return total;
}

/**
 * sending → done once every recipient is listed (`listedAt`) and nobody is queued or being sent.
 * Two equality reads (indexed on both
 * databases) rather than one `state: {$in}`, which FerretDB does not push down: it read the
 * campaign's recipients after every send.
 */
export async function finishIfDone(campaignId: Types.ObjectId): Promise<boolean> {
  if (await CampaignRecipient.exists({ campaignId, state: 'queued' })) return false;
  if (await CampaignRecipient.exists({ campaignId, state: 'sending' })) return false;
  const res = await Campaign.updateOne(
    { _id: campaignId, status: 'sending', listedAt: { $exists: true } },
    { $set: { status: 'done', finishedAt: new Date() } },
  );
  return res.modifiedCount === 1;
}

export async function runStart(deps: SenderDeps, job: Job<StartJob>): Promise<void> {
  const c = await Campaign.findById(job.data.campaignId).lean<CampaignDoc>();
  if (!c || !['scheduled', 'sending'].includes(c.status)) return;
  if (c.status === 'scheduled') {
    await Campaign.updateOne(
      { _id: c._id, status: 'scheduled' },
      { $set: { status: 'sending', startedAt: new Date() } },
    );
  }
  await listRecipients(deps, c);
  await Campaign.updateOne({ _id: c._id }, { $set: { listedAt: new Date() } });
  await enqueueQueued(deps, c);
  await finishIfDone(c._id);
}

async function sendClaimed(
  deps: SenderDeps,
  job: Job<SendJob>,
  c: CampaignDoc,
  r: RecipientDoc,
): Promise<void> {
  const variant = variantsOf(c).find((v) => v.name === r.variant) ?? variantsOf(c)[0]!;
  try {
    const result = await sendMarketingMessage(deps.marketing, {
      contactId: r.contactId,
      channel: c.channel,
      content: variant.message,
      campaignId: c._id,
      messageKey: `campaign.${r._id.toHexString()}`,
      trackLinks: campaignLinks(variantsOf(c).map((v) => v.message)),
      ...(c.template ? { template: c.template as CampaignTemplate } : {}),
    });
    await recordOutcome(r._id, result);
    if (result.status === 'sent') {
      await deps.bus.publish('campaign.recipient', {
        step: 'sent',
        campaignId: c._id,
        recipientId: r._id,
        contactId: r.contactId,
        channel: c.channel,
        variant: r.variant ?? 'A',
        at: new Date(),
      });
    }
  } catch (err) {
    const lastAttempt = job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
    if (retryable(err) && !lastAttempt) {
      await releaseForRetry(r._id);
      throw err;
    }
    await recordFailure(r._id, err instanceof Error ? err.message : String(err));
  }
}

/**
 * Not yet: before its due time (a job re-queued early), or inside the quiet hours of the
 * recipient's zone now (the queue reached it late). Records the new due time and moves the job
 * back to the delayed set until then; true when it did.
 */
async function deferred(
  deps: SenderDeps,
  job: Job<SendJob>,
  token: string | undefined,
  c: CampaignDoc,
  r: RecipientDoc,
): Promise<boolean> {
  const now = new Date();
  const zone = r.timeZone ?? deps.defaultTimeZone;
  const due = r.dueAt && new Date(r.dueAt) > now ? new Date(r.dueAt) : null;
  const until = due ?? quietUntil(quietOf(c), zone, now);
  if (!until) return false;
  await CampaignRecipient.updateOne({ _id: r._id, state: 'queued' }, { $set: { dueAt: until } });
  if (!token) return true; // no lock to move it with: the sweep queues it again, delayed
  await job.moveToDelayed(until.getTime(), token);
  throw new DelayedError();
}

export async function runSend(deps: SenderDeps, job: Job<SendJob>, token?: string): Promise<void> {
  const r = await CampaignRecipient.findById(job.data.recipientId).lean<RecipientDoc>();
  if (!r || r.state !== 'queued') return;
  const c = await Campaign.findById(r.campaignId).lean<CampaignDoc>();
  if (!c || c.status === 'paused') return; // stays queued: resume queues it again
  if (c.status === 'cancelled') {
    await CampaignRecipient.updateOne(
      { _id: r._id, state: 'queued' },
      { $set: { state: 'skipped', reason: 'cancelled' } },
    );
    return;
  }
  if (await deferred(deps, job, token, c, r)) return;
  if (!(await claim(r))) return;
  await sendClaimed(deps, job, c, r);
  await finishIfDone(c._id);
}

/** Recovery after a crash or a Redis loss, for every campaign being sent. */
export async function sweep(deps: SenderDeps): Promise<void> {
  const sending = await Campaign.find({ status: 'sending' }).lean<CampaignDoc[]>();
  for (const c of sending) {
    if (!c.listedAt) {
      // Still listing, or its start job was lost with Redis: the same job id is a no-op while
      // the job exists, and a start listed again adds nobody twice (unique indexes).
      const campaignId = c._id.toHexString();
      await deps.queues.control.add('start', { campaignId }, { jobId: `start-${campaignId}` });
    }
    await recoverInterrupted(c._id, deps.leaseMs);
    await enqueueQueued(deps, c);
    await finishIfDone(c._id);
  }
  // A scheduled campaign whose delayed start job was lost with Redis.
  const due = await Campaign.find({ status: 'scheduled', sendAt: { $lte: new Date() } }).lean<
    CampaignDoc[]
  >();
  for (const c of due) {
    const campaignId = c._id.toHexString();
    await deps.queues.control.add('start', { campaignId }, { jobId: `start-${campaignId}` });
  }
}
