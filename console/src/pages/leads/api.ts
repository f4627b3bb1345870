/** The pipeline pages' calls (GET/PATCH /api/leads…, docs/console-api.md). */
import { api, withQuery, type Query } from '../../api/client';
import type { Page } from '../../api/types';
import type { Lead, LeadChanges, LeadDetail, LeadOwner, LeadStatus } from './types';

export const PAGE_SIZE = 50;
/** Cards per board column; the column says when there are more. */
export const BOARD_LIMIT = 100;

export const listLeads = (query: Query) => api<Page<Lead>>('/api/leads', { query });

export const getLead = (id: string) => api<LeadDetail>(`/api/leads/${encodeURIComponent(id)}`);

export const listOwners = () => api<{ items: LeadOwner[] }>('/api/leads/owners');

export const patchLead = (id: string, changes: LeadChanges) =>
  api<Lead>(`/api/leads/${encodeURIComponent(id)}`, { method: 'PATCH', body: changes });

export const bulkSetStatus = (ids: string[], status: LeadStatus) =>
  api<{ updated: number; items: Lead[] }>('/api/leads/bulk', {
    method: 'POST',
    body: { ids, set: { status } },
  });

/** The CSV of the same filters (a plain link: the browser downloads it with the cookie). */
export const exportCsvUrl = (query: Query) => withQuery('/api/leads/export.csv', query);
