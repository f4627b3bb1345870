/** The contact calls of the console data API (docs/console-api.md). */
import { api, type Query } from '../../api/client';
import type { ContactSummary, ContactView, Page } from '../../api/types';

export const CONTACT_PAGE_SIZE = 50;

export const listContacts = (query: Query) => api<Page<ContactSummary>>('/api/contacts', { query });

export const getContact = (id: string) =>
  api<ContactView>(`/api/contacts/${encodeURIComponent(id)}`);
