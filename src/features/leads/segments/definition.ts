/**
 * What a segment selects (`segmentFilterSchema` in ../schemas.ts), and how that becomes a MongoDB filter over leads. Intents seen and the
 * last contact are the facts the scoring job keeps on each lead (src/features/leads/scoring/refresh.ts); the
 * contact's language and consent, and "has an open case", are read live (contacts, cases) and
 * become `contactId` conditions, so a segment is still one query on the leads collection that
 * counts and pages. Portable to FerretDB: no $expr, no $lookup.
 */
import { leadQueryFilter } from '../contact-scope.js';
import type { LeadFilterQuery, SegmentFilter } from '../schemas.js';
import { frustratedScope } from './frustrated.js';
import { Case } from '../../../kernel/db/models/case.js';
import { atRiskHighValueContacts, contactsInRfmSegments } from '../../value/index.js';

const DAY_MS = 24 * 60 * 60 * 1000;
const OPEN_CASE_STATUSES = ['open', 'pending'] as const;

function lastContactRange(f: SegmentFilter, now: Date): Record<string, Date> | undefined {
  const range: Record<string, Date> = {};
  if (f.lastContactFrom) range.$gte = new Date(f.lastContactFrom);
  if (f.lastContactWithinDays) {
    const since = new Date(now.getTime() - f.lastContactWithinDays * DAY_MS);
    if (!range.$gte || range.$gte < since) range.$gte = since;
  }
  if (f.lastContactTo) range.$lte = new Date(f.lastContactTo);
  return Object.keys(range).length ? range : undefined;
}

/** The MongoDB filter over leads that selects the segment (reads the open cases when asked). */
export async function segmentQuery(
  f: SegmentFilter,
  now = new Date(),
): Promise<Record<string, unknown>> {
  const q: Record<string, unknown> = {};
  if (f.tags?.length) q.tags = { $all: f.tags };
  if (f.channels) q.channel = { $in: f.channels };
  if (f.scoreMin !== undefined || f.scoreMax !== undefined) {
    q.score = {
      ...(f.scoreMin !== undefined ? { $gte: f.scoreMin } : {}),
      ...(f.scoreMax !== undefined ? { $lte: f.scoreMax } : {}),
    };
  }
  const range = lastContactRange(f, now);
  if (range) q.lastContactAt = range;
  if (f.intents) q.intentsSeen = { $in: f.intents };
  if (f.statuses) q.status = { $in: f.statuses };
  if (f.hasOpenCase !== undefined) {
    const contacts = await Case.distinct('contactId', { status: { $in: [...OPEN_CASE_STATUSES] } });
    const ids = contacts.filter((c) => c !== null && c !== undefined);
    q.contactId = f.hasOpenCase ? { $in: ids } : { $nin: ids };
  }
  // Language and consent are read live from the contacts, exactly as the lead list reads them.
  const contact =
    f.language || f.consent
      ? await leadQueryFilter({ language: f.language, consent: f.consent } as LeadFilterQuery)
      : {};
  const insight = f.frustrated !== undefined ? await frustratedScope(f.frustrated) : {};
  return allOf(q, contact, insight, await valueScope(f));
}

/** Customer value as contact conditions: the latest fit's RFM segments, the at-risk list. */
async function valueScope(f: SegmentFilter): Promise<Record<string, unknown>> {
  const parts: Array<Record<string, unknown>> = [];
  if (f.valueSegments)
    parts.push({ contactId: { $in: await contactsInRfmSegments(f.valueSegments) } });
  if (f.atRiskHighValue !== undefined) {
    const ids = await atRiskHighValueContacts();
    parts.push({ contactId: f.atRiskHighValue ? { $in: ids } : { $nin: ids } });
  }
  return allOf(...parts);
}

/** Both filters at once (either may be empty). */
export function allOf(...filters: Array<Record<string, unknown>>): Record<string, unknown> {
  const parts = filters.filter((f) => Object.keys(f).length > 0);
  if (parts.length === 0) return {};
  if (parts.length === 1) return parts[0]!;
  return { $and: parts };
}
