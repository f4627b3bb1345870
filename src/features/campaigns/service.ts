/**
 * Campaigns as the marketer manages them: create (a draft, audited), read, list. Sending, pausing
 * and the recipients' tracking are in sending.ts and tracking.ts.
 */
import { Types } from 'mongoose';
import { recordAudit } from '../../kernel/audit.js';
import { invalid, notFound } from '../../kernel/errors.js';
import { actorLabel, type Actor } from '../../kernel/roles.js';
import type { Page } from '../../http/schemas.js';
import { findSegment } from '../leads/index.js';
import { Campaign, CampaignRecipient, type CampaignDoc } from './models.js';
import type {
  CampaignCreateBody,
  CampaignMessage,
  CampaignStatus,
  CampaignView,
} from './schemas.js';

const iso = (d: Date | null | undefined) => (d ? new Date(d).toISOString() : null);

/** Recipients per state (queued, sent…) and per tracked step (clicked, replied…). */
export async function countsOf(campaignId: Types.ObjectId): Promise<Record<string, number>> {
  const rows = await CampaignRecipient.aggregate<{ _id: string; n: number }>([
    { $match: { campaignId } },
    { $group: { _id: '$state', n: { $sum: 1 } } },
  ]);
  const counts: Record<string, number> = Object.fromEntries(rows.map((r) => [r._id, r.n]));
  counts.total = rows.reduce((sum, r) => sum + r.n, 0);
  return counts;
}

export async function campaignView(doc: CampaignDoc): Promise<CampaignView> {
  return {
    id: doc._id.toHexString(),
    name: doc.name,
    segmentId: doc.segmentId.toHexString(),
    channel: doc.channel,
    status: doc.status as CampaignStatus,
    message: doc.message as CampaignMessage,
    variants: (doc.variants ?? []) as CampaignView['variants'],
    sendAt: iso(doc.sendAt),
    startedAt: iso(doc.startedAt),
    finishedAt: iso(doc.finishedAt),
    counts: await countsOf(doc._id),
    createdBy: doc.createdBy ?? null,
    createdAt: iso(doc.createdAt)!,
  };
}

export async function findCampaign(id: string): Promise<CampaignDoc> {
  const doc = Types.ObjectId.isValid(id) ? await Campaign.findById(id).lean<CampaignDoc>() : null;
  if (!doc) throw notFound('The campaign');
  return doc;
}

/** Refuses what cannot be sent, before anything is stored. */
function checkSendable(body: CampaignCreateBody): void {
  if (body.channel === 'whatsapp') {
    throw invalid(
      'whatsapp_templates_only',
      'WhatsApp only delivers marketing messages as templates approved by Meta; Charla cannot ' +
        'send WhatsApp templates yet, so a WhatsApp campaign with free text is refused.',
    );
  }
  const missingSubject = ['es', 'en'].some((l) => {
    const c = body.message[l as 'es' | 'en'];
    return c && !c.subject;
  });
  if (body.channel === 'email' && missingSubject) {
    throw invalid('subject_required', 'An email campaign needs a subject in each language given.');
  }
}

export async function createCampaign(body: CampaignCreateBody, actor: Actor): Promise<CampaignDoc> {
  checkSendable(body);
  if (!(await findSegment(body.segmentId))) {
    throw invalid('unknown_segment', 'There is no segment with that id.');
  }
  if (body.sendAt && new Date(body.sendAt).getTime() < Date.now() - 60_000) {
    throw invalid('send_at_past', 'sendAt is in the past.');
  }
  const doc = await Campaign.create({
    name: body.name,
    segmentId: new Types.ObjectId(body.segmentId),
    channel: body.channel,
    message: body.message,
    variants: body.variants ?? [],
    ...(body.sendAt ? { sendAt: new Date(body.sendAt) } : {}),
    createdBy: actorLabel(actor),
  });
  await recordAudit({
    actor,
    action: 'campaign.create',
    targetType: 'Campaign',
    targetId: doc._id.toHexString(),
    after: {
      campaign: body.name,
      segmentId: body.segmentId,
      channel: body.channel,
      languages: Object.keys(body.message),
      variants: (body.variants ?? []).map((v) => v.name),
      sendAt: body.sendAt ?? null,
    },
  });
  return doc.toObject() as CampaignDoc;
}

export async function listCampaigns(status?: CampaignStatus): Promise<Page<CampaignView>> {
  const filter = status ? { status } : {};
  const docs = await Campaign.find(filter)
    .sort({ createdAt: -1, _id: -1 })
    .limit(200)
    .lean<CampaignDoc[]>();
  return {
    items: await Promise.all(docs.map(campaignView)),
    total: await Campaign.countDocuments(filter),
  };
}
