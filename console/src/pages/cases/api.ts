/** The case calls of the API (docs/console-api.md, "Cases"). */
import { call, type Query } from '../../api/client';
import type { CasePatch } from './types';

export const CASE_PAGE_SIZE = 50;

export const listCases = (query: Query) => call('GET /api/cases', { query });

export const getCase = (id: string) => call('GET /api/cases/:id', { params: { id } });

export const patchCase = (id: string, body: CasePatch) =>
  call('PATCH /api/cases/:id', { params: { id }, body });

export const listAssignees = () => call('GET /api/cases/assignees');
