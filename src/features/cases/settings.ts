/**
 * The SLA policy and business hours the running process applies to new cases (set once at start
 * from CASE_SLA and BUSINESS_HOURS by the composition root; the defaults until then).
 */
import type { BusinessHours } from '../../kernel/time/business-hours.js';
import { DEFAULT_SLA, type SlaPolicy } from '../../kernel/time/sla.js';

export interface CaseSlaSettings {
  policy: SlaPolicy;
  hours?: BusinessHours;
}

let current: CaseSlaSettings = { policy: DEFAULT_SLA };

export function setCaseSlaSettings(settings: CaseSlaSettings): void {
  current = settings;
}

export function caseSlaSettings(): CaseSlaSettings {
  return current;
}
