/** Cases repository: support, privacy and callback cases with human-facing numbers (CS-000042). */
import type { Types } from 'mongoose';
import type { ChannelId } from '../contracts/messages.js';
import { DEFAULT_CASE_SLA, slaDeadlines, type CaseSlaSettings } from '../time/sla.js';
import { nextSequence } from './counters.js';
import { isDuplicateKeyError } from './errors.js';
import { Case, type CaseDoc } from './models/case.js';

export const CASE_SEQUENCE = 'case';

export function formatCaseNumber(seq: number): string {
  return `CS-${String(seq).padStart(6, '0')}`;
}

export interface NewCase {
  type: 'support' | 'privacy' | 'callback';
  contactId: Types.ObjectId;
  conversationId?: Types.ObjectId;
  channel?: ChannelId;
  subject?: string;
  description?: string;
  email?: string;
  phone?: string;
  preferredTime?: string;
}

/**
 * Opens a case with the next number from the atomic counter. A number already taken (a counter
 * reset, or a store whose $inc is not atomic across processes) is skipped, not fatal.
 *
 * With `id` (derived from the message that opened it) the call is idempotent: a case with that id
 * is returned as it is, so a replayed turn shows the same number and opens nothing new.
 *
 * Deadlines follow `sla` (CASE_SLA and BUSINESS_HOURS; the defaults without). The caller announces
 * `case.created` on the event bus after every call, a replay included (in case a crash lost the
 * first announcement; the webhook delivery id makes a repeat a no-op).
 */
export async function createCase(
  input: NewCase,
  id?: Types.ObjectId,
  sla: CaseSlaSettings = DEFAULT_CASE_SLA,
): Promise<CaseDoc> {
  if (id) {
    const existing = await Case.findById(id).lean<CaseDoc>();
    if (existing) return existing;
  }
  for (let attempt = 1; ; attempt++) {
    const number = formatCaseNumber(await nextSequence(CASE_SEQUENCE));
    try {
      const { policy, hours } = sla;
      const doc = await Case.create({
        ...input,
        ...slaDeadlines(new Date(), 'normal', policy, hours),
        ...(id ? { _id: id } : {}),
        number,
        status: 'open',
      });
      return doc.toObject() as CaseDoc;
    } catch (err) {
      if (!isDuplicateKeyError(err) || attempt >= 5) throw err;
      // Someone opened this very case meanwhile (the same message handled twice at once).
      const same = id ? await Case.findById(id).lean<CaseDoc>() : null;
      if (same) return same;
    }
  }
}

/** The contact's most recent case, or one by number when it belongs to the contact. */
export async function findLatestCase(
  contactId: Types.ObjectId,
  number?: string,
): Promise<CaseDoc | null> {
  const filter: Record<string, unknown> = { contactId };
  if (number) filter.number = number.toUpperCase();
  return Case.findOne(filter).sort({ createdAt: -1, _id: -1 }).lean<CaseDoc>();
}
