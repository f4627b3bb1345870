/**
 * A campaign's touches on some contacts within a time range, for revenue attribution (the
 * analytics feature): a recipient counts when the message was sent to it (state `sent`, at
 * `sentAt`) or it replied (at `repliedAt`). Reads the recipients by indexed `contactId` in chunks
 * of 500 and the campaigns' names once.
 */
import type { Types } from 'mongoose';
import { Campaign, CampaignRecipient } from './models.js';

export interface CampaignTouch {
  contactId: string;
  campaignId: string;
  campaignName: string;
  channel: string;
  kind: 'sent' | 'replied';
  at: Date;
}

const CHUNK = 500;

interface RecipientRow {
  contactId: Types.ObjectId;
  campaignId: Types.ObjectId;
  state: string;
  sentAt?: Date | null;
  repliedAt?: Date | null;
}

export async function campaignTouches(
  contactIds: Types.ObjectId[],
  from: Date,
  to: Date,
): Promise<CampaignTouch[]> {
  const rows: RecipientRow[] = [];
  const within = { $gte: from, $lte: to };
  for (let i = 0; i < contactIds.length; i += CHUNK) {
    rows.push(
      ...(await CampaignRecipient.find(
        {
          contactId: { $in: contactIds.slice(i, i + CHUNK) },
          $or: [{ sentAt: within }, { repliedAt: within }],
        },
        { contactId: 1, campaignId: 1, state: 1, sentAt: 1, repliedAt: 1 },
      )
        .lean<RecipientRow[]>()
        .exec()),
    );
  }
  if (rows.length === 0) return [];
  const ids = [...new Set(rows.map((r) => String(r.campaignId)))];
  const campaigns = new Map(
    (
      await Campaign.find({ _id: { $in: ids } }, { name: 1, channel: 1 })
        .lean()
        .exec()
    ).map((c) => [String(c._id), c]),
  );
  const inRange = (d: Date | null | undefined): d is Date =>
    d instanceof Date && d.getTime() >= from.getTime() && d.getTime() <= to.getTime();
  const touches: CampaignTouch[] = [];
  for (const r of rows) {
    const c = campaigns.get(String(r.campaignId));
    const base = {
      contactId: String(r.contactId),
      campaignId: String(r.campaignId),
      campaignName: c?.name ?? String(r.campaignId),
      channel: c?.channel ?? 'email',
    };
    if (r.state === 'sent' && inRange(r.sentAt))
      touches.push({ ...base, kind: 'sent', at: r.sentAt });
    if (inRange(r.repliedAt)) touches.push({ ...base, kind: 'replied', at: r.repliedAt });
  }
  return touches;
}
