/** The pipeline pages' calls (GET/PATCH /api/leads…, docs/console-api.md). */
import { call, withQuery, type Query } from '../../api/client';
import type { LeadChanges, LeadStatus } from './types';

export const PAGE_SIZE = 50;
/** Cards per board column; the column says when there are more. */
export const BOARD_LIMIT = 100;

export const listLeads = (query: Query) => call('GET /api/leads', { query });

export const getLead = (id: string) => call('GET /api/leads/:id', { params: { id } });

export const listOwners = () => call('GET /api/leads/owners');

export const patchLead = (id: string, changes: LeadChanges) =>
  call('PATCH /api/leads/:id', { params: { id }, body: changes });

export const bulkSetStatus = (ids: string[], status: LeadStatus) =>
  call('POST /api/leads/bulk', { body: { ids, set: { status } } });

/** Saved segments for the filter (GET /api/segments); none when they cannot be read. */
export const listSegmentNames = () =>
  call('GET /api/segments', { query: { limit: 200 } }).catch(() => null);

/** The CSV of the same filters (a plain link: the browser downloads it with the cookie). */
export const exportCsvUrl = (query: Query) => withQuery('/api/leads/export.csv', query);
