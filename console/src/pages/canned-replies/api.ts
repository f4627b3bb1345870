/** The canned-replies calls of the console (docs/console-api.md, "Canned replies"). */
import { call } from '../../api/client';
import type { BodyOf } from '../../api/endpoints';

export const listCanned = (query: { q?: string; language?: string; scope?: string } = {}) =>
  call('GET /api/canned-replies', { query });

export const createCanned = (body: BodyOf<'POST /api/canned-replies'>) =>
  call('POST /api/canned-replies', { body });

export const updateCanned = (id: string, body: BodyOf<'PATCH /api/canned-replies/:id'>) =>
  call('PATCH /api/canned-replies/:id', { params: { id }, body });

export const deleteCanned = (id: string) =>
  call('DELETE /api/canned-replies/:id', { params: { id } });

/** The reply with its variables filled for where it is inserted. */
export const renderCanned = (id: string, at: { conversationId?: string; caseId?: string }) =>
  call('GET /api/canned-replies/:id/render', { params: { id }, query: at });
