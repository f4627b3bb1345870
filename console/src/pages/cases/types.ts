/**
 * The cases API's answers: types from the server's schema file (src/features/cases/schemas.ts),
 * and the order the console lists the closed sets in (most pressing first).
 */
import type { CasePriority, CaseStatus, SlaState } from '../../../../src/kernel/vocabulary';

export type {
  CaseDetail,
  CasePatch,
  CaseSummary,
  TargetView as SlaTarget,
} from '../../../../src/features/cases/schemas';
export type { Person } from '../../../../src/http/schemas';
export type { CasePriority, CaseStatus, SlaState };
export { CASE_STATUSES, CASE_TYPES, SLA_STATES } from '../../../../src/kernel/vocabulary';

/** Most pressing first, as the filters and the priority picker show them. */
export const CASE_PRIORITIES: readonly CasePriority[] = ['urgent', 'high', 'normal', 'low'];
