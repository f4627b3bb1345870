/**
 * The leads API's answers: types from the server's schema file (src/features/leads/schemas.ts),
 * the statuses from the shared vocabulary.
 */
export type {
  LeadChanges,
  LeadDetailView as LeadDetail,
  LeadOwner,
  LeadView as Lead,
  ScoreReason,
} from '../../../../src/features/leads/schemas';
export type { LeadStatus } from '../../../../src/kernel/vocabulary';
export { LEAD_STATUSES } from '../../../../src/kernel/vocabulary';
