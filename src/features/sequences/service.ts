/**
 * Sequences for staff: create, change, pause (active: false), delete; enrol a contact by hand;
 * stop one contact's run; each contact's place in each sequence. Every change is audited.
 */
import { Types } from 'mongoose';
import type { z } from 'zod';
import { recordAudit } from '../../kernel/audit.js';
import { notFound } from '../../kernel/errors.js';
import { Contact } from '../../kernel/db/models/contact.js';
import type { Actor } from '../../kernel/roles.js';
import { actorLabel } from '../../kernel/roles.js';
import { customerNames } from '../conversations/index.js';
import { Enrolment, Sequence, type EnrolmentDoc, type SequenceDoc } from './model.js';
import {
  ENROLMENT_STATUSES,
  type EnrolmentStatus,
  type EnrolmentView,
  type SequenceView,
  type sequenceCreateBody,
  type sequenceUpdateBody,
} from './schemas.js';
import { enrol } from './triggers.js';

const iso = (d: Date | null | undefined) => (d ? new Date(d).toISOString() : null);

async function countsOf(
  ids: Types.ObjectId[],
): Promise<Map<string, Record<EnrolmentStatus, number>>> {
  const rows = await Enrolment.aggregate<{
    _id: { s: Types.ObjectId; st: EnrolmentStatus };
    n: number;
  }>([
    { $match: { sequenceId: { $in: ids } } },
    { $group: { _id: { s: '$sequenceId', st: '$status' }, n: { $sum: 1 } } },
  ]);
  const out = new Map<string, Record<EnrolmentStatus, number>>();
  for (const id of ids) {
    out.set(
      id.toHexString(),
      Object.fromEntries(ENROLMENT_STATUSES.map((s) => [s, 0])) as Record<EnrolmentStatus, number>,
    );
  }
  for (const row of rows) out.get(row._id.s.toHexString())![row._id.st] = row.n;
  return out;
}

function toView(doc: SequenceDoc, counts: Record<EnrolmentStatus, number>): SequenceView {
  return {
    id: doc._id.toHexString(),
    name: doc.name,
    trigger: doc.trigger as SequenceView['trigger'],
    steps: doc.steps as SequenceView['steps'],
    exitOn: doc.exitOn as SequenceView['exitOn'],
    active: doc.active !== false,
    counts,
    updatedAt: iso(doc.updatedAt),
  };
}

export function enrolmentView(
  doc: EnrolmentDoc,
  names: Map<string, string>,
  people: Map<string, string | null> = new Map(),
): EnrolmentView {
  return {
    id: doc._id.toHexString(),
    sequenceId: doc.sequenceId.toHexString(),
    sequenceName: names.get(doc.sequenceId.toHexString()) ?? '',
    contactId: doc.contactId.toHexString(),
    contactName: people.get(doc.contactId.toHexString()) ?? null,
    status: doc.status as EnrolmentStatus,
    step: doc.step ?? 0,
    nextAt: iso(doc.nextAt),
    reason: doc.reason ?? null,
    history: (doc.history ?? []).map((h) => ({
      at: iso(h.at) ?? '',
      step: h.step ?? 0,
      event: h.event ?? '',
      detail: h.detail ?? '',
    })),
    enrolledAt: iso(doc.createdAt) ?? '',
  };
}

async function viewOf(doc: SequenceDoc): Promise<SequenceView> {
  return toView(doc, (await countsOf([doc._id])).get(doc._id.toHexString())!);
}

async function mustFind(id: string): Promise<SequenceDoc> {
  const doc = await Sequence.findById(id).lean<SequenceDoc>();
  if (!doc) throw notFound('The sequence');
  return doc;
}

export async function listSequences(): Promise<{ items: SequenceView[]; total: number }> {
  const docs = await Sequence.find({}).sort({ createdAt: -1 }).limit(500).lean<SequenceDoc[]>();
  const counts = await countsOf(docs.map((d) => d._id));
  return {
    items: docs.map((d) => toView(d, counts.get(d._id.toHexString())!)),
    total: docs.length,
  };
}

export const getSequence = async (id: string) => viewOf(await mustFind(id));

export async function createSequence(
  actor: Actor,
  body: z.infer<typeof sequenceCreateBody>,
): Promise<SequenceView> {
  const doc = await Sequence.create({
    ...body,
    triggerType: body.trigger.type,
    createdBy: actorLabel(actor),
  });
  await recordAudit({
    actor,
    action: 'sequence.create',
    targetType: 'sequence',
    targetId: doc._id.toHexString(),
    after: {
      name: body.name,
      trigger: body.trigger.type,
      steps: body.steps.length,
      active: body.active,
    },
  });
  return viewOf(doc.toObject() as SequenceDoc);
}

export async function updateSequence(
  actor: Actor,
  id: string,
  body: z.infer<typeof sequenceUpdateBody>,
): Promise<SequenceView> {
  const before = await mustFind(id);
  const set: Record<string, unknown> = { ...body };
  if (body.trigger) set.triggerType = body.trigger.type;
  const after = await Sequence.findByIdAndUpdate(
    id,
    { $set: set },
    { returnDocument: 'after' },
  ).lean<SequenceDoc>();
  if (!after) throw notFound('The sequence');
  await recordAudit({
    actor,
    action: 'sequence.update',
    targetType: 'sequence',
    targetId: id,
    before: { name: before.name, active: before.active, steps: before.steps.length },
    after: { name: after.name, active: after.active, steps: after.steps.length },
  });
  return viewOf(after);
}

/** Deletes the sequence; its active runs stop (their history stays). */
export async function deleteSequence(actor: Actor, id: string): Promise<void> {
  const doc = await mustFind(id);
  await Sequence.deleteOne({ _id: doc._id });
  await Enrolment.updateMany(
    { sequenceId: doc._id, status: 'active' },
    { $set: { status: 'stopped', reason: 'sequence deleted', nextAt: null } },
  );
  await recordAudit({
    actor,
    action: 'sequence.delete',
    targetType: 'sequence',
    targetId: id,
    before: { name: doc.name },
  });
}

export async function listEnrolments(
  id: string,
): Promise<{ items: EnrolmentView[]; total: number }> {
  const seq = await mustFind(id);
  const names = new Map([[id, seq.name]]);
  const docs = await Enrolment.find({ sequenceId: seq._id })
    .sort({ createdAt: -1 })
    .limit(500)
    .lean<EnrolmentDoc[]>();
  const people = await customerNames(docs.map((d) => d.contactId.toHexString()));
  return {
    items: docs.map((d) => enrolmentView(d, names, people)),
    total: await Enrolment.countDocuments({ sequenceId: seq._id }),
  };
}

export async function enrolByHand(
  actor: Actor,
  id: string,
  contactId: string,
): Promise<EnrolmentView> {
  const seq = await mustFind(id);
  const contact = await Contact.exists({ _id: new Types.ObjectId(contactId) });
  if (!contact) throw notFound('The contact');
  const enrolled = await enrol(seq, contact._id, `by ${actor.name ?? actorLabel(actor)}`);
  const doc = await Enrolment.findOne({
    sequenceId: seq._id,
    contactId: contact._id,
  }).lean<EnrolmentDoc>();
  if (enrolled) {
    await recordAudit({
      actor,
      action: 'sequence.enrol',
      targetType: 'contact',
      targetId: contactId,
      details: { sequenceId: id },
    });
  }
  return enrolmentView(doc!, new Map([[id, seq.name]]));
}

/** Staff stop one contact's run (from the contact page or the sequence's list). */
export async function stopEnrolment(
  actor: Actor,
  id: string,
  enrolmentId: string,
): Promise<EnrolmentView> {
  const seq = await mustFind(id);
  const now = new Date();
  const doc = await Enrolment.findOne({
    _id: new Types.ObjectId(enrolmentId),
    sequenceId: seq._id,
  }).lean<EnrolmentDoc>();
  if (!doc) throw notFound('The enrolment');
  if (doc.status !== 'active') return enrolmentView(doc, new Map([[id, seq.name]]));
  const stopped = await Enrolment.findOneAndUpdate(
    { _id: doc._id, status: 'active' },
    {
      $set: { status: 'stopped', reason: 'stopped by staff', nextAt: null },
      $push: {
        history: {
          at: now,
          step: doc.step,
          event: 'stopped',
          detail: actor.name ?? actorLabel(actor),
        },
      },
    },
    { returnDocument: 'after' },
  ).lean<EnrolmentDoc>();
  await recordAudit({
    actor,
    action: 'sequence.stop',
    targetType: 'contact',
    targetId: doc.contactId.toHexString(),
    details: { sequenceId: id, enrolmentId },
  });
  return enrolmentView(stopped ?? doc, new Map([[id, seq.name]]));
}

export async function contactEnrolments(contactId: string): Promise<{ items: EnrolmentView[] }> {
  const docs = await Enrolment.find({ contactId: new Types.ObjectId(contactId) })
    .sort({ createdAt: -1 })
    .limit(100)
    .lean<EnrolmentDoc[]>();
  const seqs = await Sequence.find(
    { _id: { $in: docs.map((d) => d.sequenceId) } },
    { name: 1 },
  ).lean<SequenceDoc[]>();
  const names = new Map(seqs.map((s) => [s._id.toHexString(), s.name]));
  return { items: docs.map((d) => enrolmentView(d, names)) };
}
