/**
 * A/B variants: the main message is variant `A` with what the others leave of 100 %; each
 * contact falls in one bucket (0–99) by a hash of the campaign and contact ids, so the split is
 * stable (a re-listed recipient keeps its variant) and independent between campaigns.
 */
import { createHash } from 'node:crypto';
import type { CampaignMessage } from './schemas.js';

export interface Variant {
  name: string;
  weight: number;
  message: CampaignMessage;
}

export const MAIN_VARIANT = 'A';

export function variantsOf(campaign: { message: unknown; variants?: unknown[] | null }): Variant[] {
  const extra = (campaign.variants ?? []) as Variant[];
  const rest = 100 - extra.reduce((sum, v) => sum + v.weight, 0);
  return [
    { name: MAIN_VARIANT, weight: rest, message: campaign.message as CampaignMessage },
    ...extra,
  ];
}

export function bucketOf(campaignId: string, contactId: string): number {
  const digest = createHash('sha256').update(`${campaignId}:${contactId}`).digest();
  return digest.readUInt32BE(0) % 100;
}

export function pickVariant(variants: Variant[], campaignId: string, contactId: string): Variant {
  let bucket = bucketOf(campaignId, contactId);
  for (const v of variants) {
    if (bucket < v.weight) return v;
    bucket -= v.weight;
  }
  return variants[0]!;
}
