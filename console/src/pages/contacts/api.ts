/** The contact calls of the console data API (docs/console-api.md). */
import { api, type Query } from '../../api/client';
import type { ContactSummary, ContactView, Page } from '../../api/types';

export const CONTACT_PAGE_SIZE = 50;

export const listContacts = (query: Query) => api<Page<ContactSummary>>('/api/contacts', { query });

export const getContact = (id: string) =>
  api<ContactView>(`/api/contacts/${encodeURIComponent(id)}`);

/** Admin: everything held about the person, one JSON document. */
export const exportContact = (id: string) =>
  api<Record<string, unknown>>(`/api/contacts/${encodeURIComponent(id)}/export`);

/** Admin: erase the person; the API's typed confirmation is the contact id. */
export const eraseContact = (id: string) =>
  api<{ contactId: string; status: 'erased' | 'already_erased'; erasedAt: string }>(
    `/api/contacts/${encodeURIComponent(id)}/erase`,
    { method: 'POST', body: { confirm: id } },
  );
