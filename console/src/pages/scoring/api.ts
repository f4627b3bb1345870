/** Scoring rules (docs/console-api.md): /api/scoring/rules and /api/scoring/preview. */
import { api } from '../../api/client';

export interface ScoreReason {
  rule: string;
  points: number;
  label: { en: string; es: string };
}

export interface LiveRules {
  yaml: string;
  version: number;
  updatedAt: string | null;
  updatedBy: string | null;
}

export interface Preview {
  score: number;
  reasons: ScoreReason[];
  stored: { score: number; reasons: ScoreReason[] };
}

export const getRules = () => api<LiveRules>('/api/scoring/rules');
export const saveRules = (yaml: string) =>
  api<LiveRules>('/api/scoring/rules', { method: 'PUT', body: { yaml } });
export const previewLead = (leadId: string, yaml: string) =>
  api<Preview>('/api/scoring/preview', { method: 'POST', body: { leadId, yaml } });
export const searchLeads = (q: string) =>
  api<{ items: { id: string; name: string | null; email: string | null; score: number }[] }>(
    '/api/leads',
    { query: { q: q || undefined, limit: 20, sort: 'updatedAt' } },
  );
