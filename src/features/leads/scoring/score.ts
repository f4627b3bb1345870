/**
 * The score of one lead: the sum of the points of the rules it matches, clamped to 0..100, and
 * the matching rules as reasons. Pure: everything it needs is on the lead (its fields and the
 * facts the scoring job copies onto it) or in `now`.
 */
import type { RuleCondition, ScoringRules } from './rules.js';
import type { ScoreReason } from '../schemas.js';

export interface ScorableLead {
  name?: string | null;
  email?: string | null;
  phone?: string | null;
  company?: string | null;
  interest?: string | null;
  channel?: string | null;
  status?: string | null;
  tags?: string[] | null;
  intentsSeen?: string[] | null;
  marketingConsent?: boolean | null;
  createdAt?: Date | null;
  returnedAt?: Date | null;
}

export interface LeadScore {
  score: number;
  reasons: ScoreReason[];
}

const DAY_MS = 24 * 60 * 60 * 1000;

const present = (v: unknown): boolean => typeof v === 'string' && v.trim() !== '';

export function matches(lead: ScorableLead, when: RuleCondition): boolean {
  if ('field' in when) return present(lead[when.field]);
  if ('intent' in when) return when.intent.some((i) => lead.intentsSeen?.includes(i) === true);
  if ('returnedWithinDays' in when) {
    if (!lead.returnedAt || !lead.createdAt) return false;
    const after = lead.returnedAt.getTime() - lead.createdAt.getTime();
    return after >= 0 && after <= when.returnedWithinDays * DAY_MS;
  }
  if ('consent' in when) return (lead.marketingConsent === true) === when.consent;
  if ('channel' in when) return when.channel.some((c) => c === lead.channel);
  if ('tag' in when) return lead.tags?.includes(when.tag) === true;
  return when.status.some((s) => s === lead.status);
}

export function scoreLead(lead: ScorableLead, rules: ScoringRules): LeadScore {
  const reasons: ScoreReason[] = rules.rules
    .filter((rule) => matches(lead, rule.when))
    .map((rule) => ({ rule: rule.id, points: rule.points, label: rule.label }));
  const sum = reasons.reduce((total, r) => total + r.points, 0);
  return { score: Math.max(0, Math.min(100, sum)), reasons };
}
