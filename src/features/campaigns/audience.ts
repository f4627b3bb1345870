/**
 * A campaign's audience: the segment's contacts (merged ones as their survivor, each once), each
 * read now for erasure, consent on the channel and reachability (eligibility.ts), and one per
 * address (two contacts sharing an email address or a chat get one message). The preview counts
 * who would get it and why the others would not; sending lists the same recipients. The contacts
 * are read on the plan eligibility.ts's readPlanFor picks (one by one, or all in one scan).
 */
import type { Types } from 'mongoose';
import { segmentContactIds } from '../leads/index.js';
import { customerNames } from '../conversations/index.js';
import type { OutreachLookup } from '../outreach/index.js';
import { audienceReader, readPlanFor, type Eligibility, type ReadPlan } from './eligibility.js';
import type { AudiencePreview, CampaignChannel, ExclusionReason } from './schemas.js';

export type Eligible = Extract<Eligibility, { ok: true }>;

export interface Audience {
  segmentContacts: number;
  eligible: Eligible[];
  excluded: Record<ExclusionReason, number>;
}

/** Contacts judged at once (the by-id plan's concurrent reads). */
const CHUNK = 25;
const SAMPLE = 10;

/** Walks the segment's contacts in chunks; `each` sees every eligible contact once. */
export async function walkAudience(
  segmentId: string,
  channel: CampaignChannel,
  lookup: OutreachLookup,
  each: (who: Eligible) => Promise<void> | void,
  plan?: ReadPlan,
): Promise<Omit<Audience, 'eligible'> & { plan: ReadPlan }> {
  const ids = await segmentContactIds(segmentId);
  const chosen = plan ?? (await readPlanFor(ids.length));
  const excluded: Record<ExclusionReason, number> = {
    no_consent: 0,
    unsubscribed: 0,
    unreachable: 0,
    erased: 0,
    duplicate: 0,
  };
  const seenContacts = new Set<string>();
  const seenAddresses = new Set<string>();
  const now = new Date();
  const read = await audienceReader(ids, channel, lookup, now, chosen);
  for (let i = 0; i < ids.length; i += CHUNK) {
    const chunk = ids.slice(i, i + CHUNK) as Types.ObjectId[];
    const results = await Promise.all(chunk.map((id) => read(id)));
    for (const r of results) {
      const contactKey = (r.ok ? r.contact._id : r.contactId).toHexString();
      if (seenContacts.has(contactKey)) continue; // a merged contact and its survivor
      seenContacts.add(contactKey);
      if (!r.ok) {
        excluded[r.reason] += 1;
      } else if (seenAddresses.has(r.addressKey)) {
        excluded.duplicate += 1;
      } else {
        seenAddresses.add(r.addressKey);
        await each(r);
      }
    }
  }
  return { segmentContacts: seenContacts.size, excluded, plan: chosen };
}

export async function previewAudience(
  segmentId: string,
  channel: CampaignChannel,
  lookup: OutreachLookup,
): Promise<AudiencePreview> {
  let count = 0;
  const sample: Eligible[] = [];
  const walked = await walkAudience(segmentId, channel, lookup, (who) => {
    count += 1;
    if (sample.length < SAMPLE) sample.push(who);
  });
  const names = await customerNames(sample.map((s) => s.contact._id.toHexString()));
  return {
    channel,
    segmentContacts: walked.segmentContacts,
    count,
    excluded: walked.excluded,
    sample: sample.map((s) => ({
      contactId: s.contact._id.toHexString(),
      name: names.get(s.contact._id.toHexString()) ?? null,
      language: s.language,
    })),
  };
}
