/**
 * What enrols a contact and what ends its run, from the event bus:
 *   lead.created           → sequences triggered by `lead.created`
 *   lead.updated           → `lead.status` (the lead now has that status), `tag.added` (the lead
 *                            carries the tag), `segment.entered` (the lead now matches the
 *                            segment); a lead won ends runs that exit on conversion
 *   case.updated resolved  → `case.resolved`
 *   contact.consent_changed (withdrawn) → runs that exit on unsubscribe end
 * A contact enters a sequence once (the unique index): a trigger that fires again is a no-op.
 * A reply is not heard here (that would cost every customer turn a read): the runner asks, when a
 * step is due, whether the contact wrote after the sequence's last send (runner.ts).
 */
import type { Types } from 'mongoose';
import type { EventSubscriptions } from '../../kernel/events.js';
import { isDuplicateKeyError } from '../../kernel/db/errors.js';
import type { LeadDoc } from '../../kernel/db/models/lead.js';
import { leadInSegment } from '../leads/index.js';
import { Enrolment, Sequence, type SequenceDoc } from './model.js';
import type { SequenceExit, SequenceTrigger } from './schemas.js';

/** Enrols the contact (once); true when this call enrolled it. */
export async function enrol(
  sequence: Pick<SequenceDoc, '_id' | 'name'>,
  contactId: Types.ObjectId,
  detail: string,
  now = new Date(),
): Promise<boolean> {
  try {
    await Enrolment.create({
      sequenceId: sequence._id,
      contactId,
      nextAt: now,
      history: [{ at: now, step: 0, event: 'enrolled', detail }],
    });
    return true;
  } catch (err) {
    if (isDuplicateKeyError(err)) return false;
    throw err;
  }
}

const activeWith = (type: SequenceTrigger['type']) =>
  Sequence.find({ active: true, triggerType: type }).lean<SequenceDoc[]>();

async function onLeadUpdated(lead: LeadDoc): Promise<void> {
  if (!lead.contactId) return;
  for (const seq of await activeWith('lead.status')) {
    const t = seq.trigger as Extract<SequenceTrigger, { type: 'lead.status' }>;
    if (lead.status === t.status) await enrol(seq, lead.contactId, `lead ${t.status}`);
  }
  for (const seq of await activeWith('tag.added')) {
    const t = seq.trigger as Extract<SequenceTrigger, { type: 'tag.added' }>;
    if ((lead.tags ?? []).includes(t.tag)) await enrol(seq, lead.contactId, `tag ${t.tag}`);
  }
  for (const seq of await activeWith('segment.entered')) {
    const t = seq.trigger as Extract<SequenceTrigger, { type: 'segment.entered' }>;
    if (await leadInSegment(lead._id, t.segmentId)) await enrol(seq, lead.contactId, 'segment');
  }
  if (lead.status === 'won') await exitRuns(lead.contactId, 'conversion', 'converted');
}

/** Ends the contact's active runs whose sequence exits on `exit`. */
async function exitRuns(
  contactId: Types.ObjectId,
  exit: Exclude<SequenceExit, 'reply'>,
  reason: string,
) {
  const sequences = await Sequence.find({ exitOn: exit }, { _id: 1 }).lean<SequenceDoc[]>();
  if (!sequences.length) return;
  const query: Record<string, unknown> = {
    contactId,
    status: 'active',
    sequenceId: { $in: sequences.map((s) => s._id) },
  };
  const now = new Date();
  await Enrolment.updateMany(query, {
    $set: { status: 'exited', reason, nextAt: null },
    $push: { history: { at: now, step: -1, event: 'exited', detail: reason } },
  });
}

export function sequenceSubscriptions(): EventSubscriptions {
  return {
    'lead.created': async ({ lead }) => {
      if (!lead.contactId) return;
      for (const seq of await activeWith('lead.created')) await enrol(seq, lead.contactId, 'lead');
      await onLeadUpdated(lead);
    },
    'lead.updated': ({ lead }) => onLeadUpdated(lead),
    'case.updated': async ({ case: c }) => {
      if (c.status !== 'resolved' || !c.contactId) return;
      for (const seq of await activeWith('case.resolved')) {
        await enrol(seq, c.contactId, `case ${c.number ?? ''}`.trim());
      }
    },
    'contact.consent_changed': async ({ contactId, granted }) => {
      if (!granted) await exitRuns(contactId, 'unsubscribe', 'unsubscribed');
    },
  };
}
