/** Scoring rules (docs/console-api.md): /api/scoring/rules and /api/scoring/preview. */
import { call } from '../../api/client';

export type { ScoreReason } from '../../../../src/features/leads/schemas';

export const getRules = () => call('GET /api/scoring/rules');
export const saveRules = (yaml: string) => call('PUT /api/scoring/rules', { body: { yaml } });
export const previewLead = (leadId: string, yaml: string) =>
  call('POST /api/scoring/preview', { body: { leadId, yaml } });
export const searchLeads = (q: string) =>
  call('GET /api/leads', { query: { q: q || undefined, limit: 20, sort: 'updatedAt' } });
