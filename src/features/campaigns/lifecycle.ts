/**
 * A campaign's life, as staff drive it (each change audited):
 *   draft → scheduled (send with a future sendAt: a delayed start job) | sending (send now)
 *   scheduled | sending → paused → (resume) the status it had, waiting recipients queued again
 *   draft | scheduled | sending | paused → cancelled (waiting recipients skipped)
 *   sending → done (sending.ts, when nobody is left)
 * A transition that does not apply is a 409 and changes nothing.
 */
import { recordAudit } from '../../kernel/audit.js';
import { conflict, invalid } from '../../kernel/errors.js';
import type { Actor } from '../../kernel/roles.js';
import { Campaign, CampaignRecipient, type CampaignDoc } from './models.js';
import type { CampaignStatus } from './schemas.js';
import { enqueueQueued, type SenderDeps } from './sending.js';
import { assertLocalNotPast, findCampaign } from './service.js';
import { earliestInstant } from './timing.js';

async function move(
  c: CampaignDoc,
  from: CampaignStatus[],
  set: Record<string, unknown>,
  actor: Actor,
  action: string,
): Promise<CampaignDoc> {
  if (!from.includes(c.status as CampaignStatus)) {
    throw conflict(
      'campaign_status',
      `The campaign is ${c.status}: it cannot be ${action.replace('campaign.', '')}d now.`,
    );
  }
  const after = await Campaign.findOneAndUpdate(
    { _id: c._id, status: c.status },
    { $set: set },
    { returnDocument: 'after' },
  ).lean<CampaignDoc>();
  if (!after)
    throw conflict('campaign_changed', 'The campaign changed meanwhile; nothing was done.');
  await recordAudit({
    actor,
    action,
    targetType: 'Campaign',
    targetId: c._id.toHexString(),
    before: { status: c.status },
    after: {
      status: after.status,
      ...(set.sendAt ? { sendAt: set.sendAt } : {}),
      ...(set.sendAtLocal ? { sendAtLocal: set.sendAtLocal } : {}),
    },
  });
  return after;
}

const startJobId = (c: CampaignDoc) => `start-${c._id.toHexString()}`;

export async function sendCampaign(
  deps: SenderDeps,
  id: string,
  actor: Actor,
  schedule: { sendAt?: string | undefined; sendAtLocal?: string | undefined } = {},
): Promise<CampaignDoc> {
  const c = await findCampaign(id);
  const { sendAt: sendAtText, sendAtLocal: localText } = schedule;
  if (localText) assertLocalNotPast(localText);
  // A schedule in the body replaces the stored one; sendAtLocal starts when the first zone gets there.
  const local = localText ?? (sendAtText ? null : (c.sendAtLocal ?? null));
  const sendAt = sendAtText
    ? new Date(sendAtText)
    : local
      ? earliestInstant(local)
      : c.sendAt
        ? new Date(c.sendAt)
        : null;
  if (sendAtText && sendAt!.getTime() < Date.now() - 60_000) {
    throw invalid('send_at_past', 'sendAt is in the past.');
  }
  const later = sendAt !== null && sendAt.getTime() > Date.now();
  const localSet = local ? { sendAtLocal: local } : sendAtText ? { sendAtLocal: null } : {};
  const after = await move(
    c,
    ['draft'],
    later
      ? { status: 'scheduled', sendAt, ...localSet }
      : { status: 'sending', startedAt: new Date(), ...localSet },
    actor,
    later ? 'campaign.schedule' : 'campaign.send',
  );
  const delay = later ? sendAt.getTime() - Date.now() : 0;
  await deps.queues.control.add(
    'start',
    { campaignId: c._id.toHexString() },
    { jobId: startJobId(c), delay },
  );
  return after;
}

export async function pauseCampaign(id: string, actor: Actor): Promise<CampaignDoc> {
  const c = await findCampaign(id);
  return move(
    c,
    ['scheduled', 'sending'],
    { status: 'paused', pausedFrom: c.status },
    actor,
    'campaign.pause',
  );
}

export async function resumeCampaign(
  deps: SenderDeps,
  id: string,
  actor: Actor,
): Promise<CampaignDoc> {
  const c = await findCampaign(id);
  const back = (c as { pausedFrom?: string }).pausedFrom === 'scheduled' ? 'scheduled' : 'sending';
  const after = await move(c, ['paused'], { status: back }, actor, 'campaign.resume');
  const due = !after.sendAt || new Date(after.sendAt).getTime() <= Date.now();
  if (back === 'scheduled' && !due) return after; // its delayed start job is still waiting
  // Not started yet (paused while scheduled): start now; else queue the waiting recipients.
  // Not fully listed (paused mid-listing): the start lists the rest, then queues everyone.
  if (back === 'scheduled' || !after.listedAt) {
    await deps.queues.control.add(
      'start',
      { campaignId: c._id.toHexString() },
      { jobId: startJobId(c) },
    );
  } else {
    await enqueueQueued(deps, after);
  }
  return after;
}

export async function cancelCampaign(id: string, actor: Actor): Promise<CampaignDoc> {
  const c = await findCampaign(id);
  const after = await move(
    c,
    ['draft', 'scheduled', 'sending', 'paused'],
    { status: 'cancelled', finishedAt: new Date() },
    actor,
    'campaign.cancel',
  );
  await CampaignRecipient.updateMany(
    { campaignId: c._id, state: 'queued' },
    { $set: { state: 'skipped', reason: 'cancelled' } },
  );
  return after;
}
