/**
 * One recipient, exactly once. The state machine: queued → sending → sent | failed, or queued →
 * skipped (refused when re-checked at send time: consent withdrawn, erased…; or the campaign was
 * cancelled). What makes it once:
 *
 * - a recipient document per (campaign, contact) and per (campaign, address), unique indexes:
 *   listing the audience again (a retried start, a second instance) adds nobody twice;
 * - a claim before the send: an insert of `CampaignClaim {_id: recipientId}`. Of two workers,
 *   two instances, a job redelivered after a stall or re-queued after Redis lost it, exactly one
 *   insert succeeds — on MongoDB and on FerretDB (a conditional findOneAndUpdate is not atomic
 *   under concurrency on FerretDB; a unique `_id` is). Only the claimer moves queued → sending
 *   and sends;
 * - after a crash (kill -9) a recipient left `sending` may or may not have been sent: it is
 *   marked failed (`interrupted`), never sent again. One claimed but still `queued` (the process
 *   died between the claim and the state change) was certainly not sent: after the lease its
 *   claim is released and it is queued again.
 */
import { Types } from 'mongoose';
import { MailSendError } from '../../kernel/contracts/mail.js';
import { isDuplicateKeyError } from '../../kernel/db/errors.js';
import { CampaignClaim, CampaignRecipient, type RecipientDoc } from './models.js';
import type { MarketingResult } from './send.js';

const HOST = `${process.env.HOSTNAME ?? 'local'}:${process.pid}`;

/** True for the one caller whose claim insert succeeded. */
export async function claim(recipient: RecipientDoc): Promise<boolean> {
  try {
    await CampaignClaim.create({ _id: recipient._id, campaignId: recipient.campaignId, by: HOST });
  } catch (err) {
    if (isDuplicateKeyError(err)) return false;
    throw err;
  }
  const moved = await CampaignRecipient.updateOne(
    { _id: recipient._id, state: 'queued' },
    { $set: { state: 'sending' } },
  );
  // Not queued any more (cancelled meanwhile): the claim stays, nothing is sent.
  return moved.modifiedCount === 1;
}

export async function recordOutcome(id: Types.ObjectId, result: MarketingResult): Promise<void> {
  const now = new Date();
  if (result.status === 'sent') {
    await CampaignRecipient.updateOne(
      { _id: id },
      {
        $set: {
          state: 'sent',
          sentAt: now,
          messageId: result.messageId,
          language: result.language,
          ...(result.conversationId
            ? { conversationId: new Types.ObjectId(result.conversationId) }
            : {}),
        },
      },
    );
    return;
  }
  await CampaignRecipient.updateOne(
    { _id: id },
    { $set: { state: 'skipped', skipped: result.reason, reason: result.message } },
  );
}

/** What a send error means: retry later (nothing was sent) or fail for good. */
export function retryable(err: unknown): boolean {
  return err instanceof MailSendError && err.responseCode !== undefined && !err.permanent;
}

/** A refused-for-now send (e.g. SMTP 451): back to queued, the claim released, retried later. */
export async function releaseForRetry(id: Types.ObjectId): Promise<void> {
  await CampaignRecipient.updateOne({ _id: id, state: 'sending' }, { $set: { state: 'queued' } });
  await CampaignClaim.deleteOne({ _id: id });
}

export async function recordFailure(id: Types.ObjectId, reason: string): Promise<void> {
  await CampaignRecipient.updateOne(
    { _id: id, state: { $in: ['queued', 'sending'] } },
    { $set: { state: 'failed', failedAt: new Date(), reason: reason.slice(0, 300) } },
  );
}

/**
 * After a crash: `sending` past the lease → failed (`interrupted`: it may have gone out, so it is
 * not sent again); claimed but still `queued` past the lease → claim released (it was not sent).
 * Returns how many recipients were queued again.
 */
export async function recoverInterrupted(
  campaignId: Types.ObjectId,
  leaseMs: number,
): Promise<number> {
  const before = new Date(Date.now() - leaseMs);
  const stale = await CampaignClaim.find({ campaignId, createdAt: { $lt: before } }, { _id: 1 })
    .limit(5000)
    .lean();
  if (stale.length === 0) return 0;
  const ids = stale.map((c) => c._id);
  await CampaignRecipient.updateMany(
    { _id: { $in: ids }, state: 'sending' },
    {
      $set: {
        state: 'failed',
        failedAt: new Date(),
        reason: 'interrupted: the sender stopped mid-send; not sent again',
      },
    },
  );
  const unsent = await CampaignRecipient.find(
    { _id: { $in: ids }, state: 'queued' },
    { _id: 1 },
  ).lean();
  if (unsent.length > 0) await CampaignClaim.deleteMany({ _id: { $in: unsent.map((r) => r._id) } });
  return unsent.length;
}
