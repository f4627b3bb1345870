/**
 * Saved segments: create, change, delete (audited), list and count live. Counting runs the
 * segment's query on the leads collection at request time, so a count is never stale.
 */
import { Types } from 'mongoose';
import { recordAudit } from '../../../kernel/audit.js';
import { actorLabel, type Actor } from '../../../kernel/roles.js';
import { invalid, notFound } from '../../../kernel/errors.js';
import { Lead } from '../../../kernel/db/models/lead.js';
import { Segment, type SegmentDoc } from '../../../kernel/db/models/segment.js';
import { allOf, segmentQuery } from './definition.js';
import { segmentFilterSchema, type SegmentFilter, type SegmentInput } from '../schemas.js';

export const countLeads = async (filter: SegmentFilter): Promise<number> =>
  Lead.countDocuments(await segmentQuery(filter));

export async function findSegment(id: string): Promise<SegmentDoc | null> {
  return Types.ObjectId.isValid(id) ? Segment.findById(id).lean<SegmentDoc>() : null;
}

/** The stored filter, re-validated (a segment saved by an older version may not fit any more). */
export function filterOf(segment: SegmentDoc): SegmentFilter {
  const parsed = segmentFilterSchema.safeParse(segment.filter ?? {});
  if (!parsed.success) {
    throw invalid('invalid_segment', `Segment “${segment.name}” has an invalid filter.`);
  }
  return parsed.data;
}

/**
 * The lead filter of `?segment=<id>` combined with the other query filters; 400 for an unknown
 * segment (a list or export must never silently widen to every lead).
 */
export async function withSegment(
  segmentId: string | undefined,
  filter: Record<string, unknown>,
): Promise<Record<string, unknown>> {
  if (segmentId === undefined) return filter;
  const segment = await findSegment(segmentId);
  if (!segment) throw invalid('unknown_segment', 'There is no segment with that id.');
  return allOf(filter, await segmentQuery(filterOf(segment)));
}

/**
 * The contacts a saved segment selects (its leads' contacts, each once); 400 for an unknown
 * segment. What campaigns reach (src/features/campaigns), before consent and reachability.
 */
export async function segmentContactIds(segmentId: string): Promise<Types.ObjectId[]> {
  const filter = await withSegment(segmentId, {});
  const ids = await Lead.distinct('contactId', filter);
  return ids.filter((id): id is Types.ObjectId => id instanceof Types.ObjectId);
}

const stored = (input: SegmentInput) => ({
  name: input.name,
  filter: input.filter,
  ...(input.description ? { description: input.description } : {}),
});

export async function createSegment(input: SegmentInput, actor: Actor): Promise<SegmentDoc> {
  const doc = await Segment.create({ ...stored(input), createdBy: actorLabel(actor) });
  await recordAudit({
    actor,
    action: 'segment.create',
    targetType: 'Segment',
    targetId: doc._id.toHexString(),
    after: { segment: input.name, filter: input.filter },
  });
  return doc.toObject() as SegmentDoc;
}

export async function updateSegment(
  id: string,
  input: SegmentInput,
  actor: Actor,
): Promise<SegmentDoc> {
  const before = await findSegment(id);
  if (!before) throw notFound('The segment');
  const update: Record<string, unknown> = { $set: stored(input) };
  if (!input.description) update.$unset = { description: '' };
  const after = await Segment.findOneAndUpdate({ _id: before._id }, update, {
    returnDocument: 'after',
  }).lean<SegmentDoc>();
  if (!after) throw notFound('The segment');
  await recordAudit({
    actor,
    action: 'segment.update',
    targetType: 'Segment',
    targetId: id,
    before: { segment: before.name, filter: before.filter },
    after: { segment: after.name, filter: after.filter },
  });
  return after;
}

export async function deleteSegment(id: string, actor: Actor): Promise<void> {
  const segment = await findSegment(id);
  if (!segment) throw notFound('The segment');
  await Segment.deleteOne({ _id: segment._id });
  await recordAudit({
    actor,
    action: 'segment.delete',
    targetType: 'Segment',
    targetId: id,
    before: { segment: segment.name, filter: segment.filter },
  });
}

/** Whether a lead is in a saved segment now (sequences' `segment.entered`); false if none. */
export async function leadInSegment(leadId: Types.ObjectId, segmentId: string): Promise<boolean> {
  const segment = await findSegment(segmentId);
  if (!segment) return false;
  const query = await segmentQuery(filterOf(segment));
  return (await Lead.exists({ $and: [{ _id: leadId }, query] })) !== null;
}
