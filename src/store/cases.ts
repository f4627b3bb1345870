/** Cases repository: support, privacy and callback cases with human-facing numbers (CS-000042). */
import type { Types } from 'mongoose';
import type { ChannelId } from '../contracts/messages.js';
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
 */
export async function createCase(input: NewCase): Promise<CaseDoc> {
  for (let attempt = 1; ; attempt++) {
    const number = formatCaseNumber(await nextSequence(CASE_SEQUENCE));
    try {
      const doc = await Case.create({ ...input, number, status: 'open' });
      return doc.toObject() as CaseDoc;
    } catch (err) {
      if (!isDuplicateKeyError(err) || attempt >= 5) throw err;
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
