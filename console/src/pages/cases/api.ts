/** The case calls of the API (docs/console-api.md, "Cases"). */
import { api, type Query } from '../../api/client';
import type { Page } from '../../api/types';
import type { CaseDetail, CasePatch, CaseSummary, Person } from './types';

export const CASE_PAGE_SIZE = 50;

export const listCases = (query: Query) => api<Page<CaseSummary>>('/api/cases', { query });

export const getCase = (id: string) => api<CaseDetail>(`/api/cases/${encodeURIComponent(id)}`);

export const patchCase = (id: string, body: CasePatch) =>
  api<CaseSummary>(`/api/cases/${encodeURIComponent(id)}`, { method: 'PATCH', body });

export const listAssignees = () => api<{ items: Person[] }>('/api/cases/assignees');
