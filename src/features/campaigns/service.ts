/**
 * Campaigns as the marketer manages them: create and change a draft (audited), read, list (with
 * the headline figures). Sending, pausing and the recipients' tracking are in sending.ts and
 * tracking.ts.
 */
import { Types } from 'mongoose';
import { recordAudit } from '../../kernel/audit.js';
import { conflict, invalid, notFound } from '../../kernel/errors.js';
import { actorLabel, type Actor } from '../../kernel/roles.js';
import type { Page } from '../../http/schemas.js';
import { findSegment } from '../leads/index.js';
import { Campaign, CampaignRecipient, type CampaignDoc } from './models.js';
import { STEP_FIELDS } from './report.js';
import type {
  CampaignCreateBody,
  CampaignMessage,
  CampaignStatus,
  CampaignTemplate,
  CampaignUpdateBody,
  CampaignView,
  QuietHours,
} from './schemas.js';
import { TRACKED_STEPS } from './schemas.js';
import { checkTemplate } from './templates.js';
import { earliestInstant, localInstant } from './timing.js';

const iso = (d: Date | null | undefined) => (d ? new Date(d).toISOString() : null);

/** Recipients per state (queued, sent…) and per tracked step (clicked, replied…). */
export async function countsOf(campaignId: Types.ObjectId): Promise<Record<string, number>> {
  const rows = await CampaignRecipient.aggregate<{ _id: string; n: number }>([
    { $match: { campaignId } },
    { $group: { _id: '$state', n: { $sum: 1 } } },
  ]);
  const counts: Record<string, number> = Object.fromEntries(rows.map((r) => [r._id, r.n]));
  counts.total = rows.reduce((sum, r) => sum + r.n, 0);
  // Each tracked step: one count (no $cond aggregation, which FerretDB 1.24 does not run).
  const steps = await Promise.all(
    TRACKED_STEPS.map((step) =>
      counts.total
        ? CampaignRecipient.countDocuments({ campaignId, [STEP_FIELDS[step]]: { $exists: true } })
        : 0,
    ),
  );
  TRACKED_STEPS.forEach((step, i) => (counts[step] = steps[i]!));
  return counts;
}

export async function campaignView(doc: CampaignDoc): Promise<CampaignView> {
  return {
    id: doc._id.toHexString(),
    name: doc.name,
    segmentId: doc.segmentId.toHexString(),
    channel: doc.channel,
    status: doc.status as CampaignStatus,
    message: (doc.message ?? {}) as CampaignMessage,
    template: doc.template
      ? {
          name: (doc.template as CampaignTemplate).name,
          language: (doc.template as CampaignTemplate).language ?? null,
          variables: (doc.template as CampaignTemplate).variables ?? [],
        }
      : null,
    variants: (doc.variants ?? []) as CampaignView['variants'],
    sendAt: iso(doc.sendAt),
    sendAtLocal: doc.sendAtLocal ?? null,
    quietHours: (doc.quietHours as QuietHours | undefined) ?? null,
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
async function checkSendable(body: {
  channel: CampaignCreateBody['channel'];
  message: CampaignMessage | null | undefined;
  template: CampaignTemplate | null | undefined;
  variants: unknown[] | undefined;
}): Promise<void> {
  const hasText = Boolean(body.message && (body.message.es || body.message.en));
  if (body.channel === 'whatsapp') {
    if (hasText) {
      throw invalid(
        'whatsapp_templates_only',
        'WhatsApp only allows messages outside the 24-hour customer-service window as templates ' +
          'approved by Meta, so a WhatsApp campaign cannot carry free text: name an approved ' +
          'template (template: {name, language?, variables}) and leave the message out.',
      );
    }
    if (body.variants?.length) {
      throw invalid('whatsapp_no_variants', 'A WhatsApp campaign sends one template: no variants.');
    }
    if (!body.template) {
      throw invalid(
        'template_required',
        'A WhatsApp campaign needs an approved template (template: {name, language?, variables}).',
      );
    }
    await checkTemplate(body.template);
    return;
  }
  if (body.template) {
    throw invalid('template_whatsapp_only', 'Only a WhatsApp campaign sends a template.');
  }
  if (!hasText) {
    throw invalid('message_required', 'Give the message in at least one language (es or en).');
  }
  const missingSubject = ['es', 'en'].some((l) => {
    const c = body.message![l as 'es' | 'en'];
    return c && !c.subject;
  });
  if (body.channel === 'email' && missingSubject) {
    throw invalid('subject_required', 'An email campaign needs a subject in each language given.');
  }
}

/** The last zone (UTC-12) reaches a local time 12 h after UTC does: past it, it is past everywhere. */
export function assertLocalNotPast(local: string): void {
  if (localInstant(local, 'UTC').getTime() + 12 * 3_600_000 < Date.now() - 60_000) {
    throw invalid('send_at_past', 'sendAtLocal has passed in every time zone.');
  }
}

export async function createCampaign(body: CampaignCreateBody, actor: Actor): Promise<CampaignDoc> {
  await checkSendable({
    channel: body.channel,
    message: body.message,
    template: body.template,
    variants: body.variants,
  });
  if (!(await findSegment(body.segmentId))) {
    throw invalid('unknown_segment', 'There is no segment with that id.');
  }
  if (body.sendAt && new Date(body.sendAt).getTime() < Date.now() - 60_000) {
    throw invalid('send_at_past', 'sendAt is in the past.');
  }
  if (body.sendAtLocal) assertLocalNotPast(body.sendAtLocal);
  const doc = await Campaign.create({
    name: body.name,
    segmentId: new Types.ObjectId(body.segmentId),
    channel: body.channel,
    message: body.message ?? {},
    ...(body.template ? { template: body.template } : {}),
    variants: body.variants ?? [],
    ...(body.sendAt ? { sendAt: new Date(body.sendAt) } : {}),
    ...(body.sendAtLocal
      ? { sendAtLocal: body.sendAtLocal, sendAt: earliestInstant(body.sendAtLocal) }
      : {}),
    ...(body.quietHours ? { quietHours: body.quietHours } : {}),
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
      languages: Object.keys(body.message ?? {}),
      template: body.template?.name ?? null,
      variants: (body.variants ?? []).map((v) => v.name),
      sendAt: body.sendAt ?? null,
      sendAtLocal: body.sendAtLocal ?? null,
      quietHours: body.quietHours ?? null,
    },
  });
  return doc.toObject() as CampaignDoc;
}

/**
 * Changes a draft (once sent or scheduled it is what went out: 409). The result is checked as a
 * whole like a new campaign (an email needs a subject in each language…). Audited with the names
 * of the fields changed and the campaign's settings after.
 */
export async function updateCampaign(
  id: string,
  patch: CampaignUpdateBody,
  actor: Actor,
): Promise<CampaignDoc> {
  const c = await findCampaign(id);
  if (c.status !== 'draft') {
    throw conflict('campaign_status', `The campaign is ${c.status}: only a draft can be changed.`);
  }
  const channel = patch.channel ?? c.channel;
  const message = patch.message === null ? null : (patch.message ?? (c.message as CampaignMessage));
  const stored = (c.template as CampaignTemplate | undefined) ?? null;
  // Leaving WhatsApp drops the template; moving to it, the text must go (message: null).
  const template =
    patch.template === null || (patch.channel && patch.channel !== 'whatsapp' && !patch.template)
      ? null
      : (patch.template ?? stored);
  await checkSendable({
    channel,
    message,
    template,
    variants: patch.variants ?? (c.variants as unknown[] | undefined),
  });
  if (patch.segmentId && !(await findSegment(patch.segmentId))) {
    throw invalid('unknown_segment', 'There is no segment with that id.');
  }
  if (patch.sendAt && new Date(patch.sendAt).getTime() < Date.now() - 60_000) {
    throw invalid('send_at_past', 'sendAt is in the past.');
  }
  if (patch.sendAtLocal) assertLocalNotPast(patch.sendAtLocal);
  const set: Record<string, unknown> = {};
  const unset: Record<string, 1> = {};
  if (patch.name !== undefined) set.name = patch.name;
  if (patch.segmentId) set.segmentId = new Types.ObjectId(patch.segmentId);
  if (patch.channel) set.channel = patch.channel;
  if (patch.message) set.message = patch.message;
  if (patch.message === null) set.message = {};
  if (template && patch.template) set.template = template;
  if (!template && stored) unset.template = 1;
  if (patch.variants) set.variants = patch.variants;
  if (patch.sendAt) set.sendAt = new Date(patch.sendAt);
  if (patch.sendAt === null && !patch.sendAtLocal) unset.sendAt = 1;
  // One schedule at a time: an instant replaces a local time and the other way round.
  if (patch.sendAt) unset.sendAtLocal = 1;
  if (patch.sendAtLocal) {
    set.sendAtLocal = patch.sendAtLocal;
    set.sendAt = earliestInstant(patch.sendAtLocal);
  }
  if (patch.sendAtLocal === null) {
    unset.sendAtLocal = 1;
    if (c.sendAtLocal && !patch.sendAt) unset.sendAt = 1;
  }
  if (patch.quietHours) set.quietHours = patch.quietHours;
  if (patch.quietHours === null) unset.quietHours = 1;
  const after = await Campaign.findOneAndUpdate(
    { _id: c._id, status: 'draft' },
    {
      ...(Object.keys(set).length ? { $set: set } : {}),
      ...(Object.keys(unset).length ? { $unset: unset } : {}),
    },
    { returnDocument: 'after' },
  ).lean<CampaignDoc>();
  if (!after)
    throw conflict('campaign_changed', 'The campaign changed meanwhile; nothing was done.');
  await recordAudit({
    actor,
    action: 'campaign.update',
    targetType: 'Campaign',
    targetId: c._id.toHexString(),
    details: { fields: Object.keys(patch) },
    after: {
      campaign: after.name,
      segmentId: after.segmentId.toHexString(),
      channel: after.channel,
      languages: Object.keys((after.message ?? {}) as CampaignMessage),
      template: (after.template as CampaignTemplate | undefined)?.name ?? null,
      variants: ((after.variants ?? []) as Array<{ name: string }>).map((v) => v.name),
      sendAt: after.sendAt ? new Date(after.sendAt).toISOString() : null,
      sendAtLocal: after.sendAtLocal ?? null,
      quietHours: after.quietHours ?? null,
    },
  });
  return after;
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
