/** The contact calls of the console data API (docs/console-api.md). */
import { call, type Query } from '../../api/client';
import type { ContactChanges, ImportField } from '../../api/types';

export const CONTACT_PAGE_SIZE = 50;

export const listContacts = (query: Query) => call('GET /api/contacts', { query });

export const getContact = (id: string) => call('GET /api/contacts/:id', { params: { id } });

/** Staff (marketer, agent, admin): change a customer's own details; answers the new view. */
export const patchContact = (id: string, body: ContactChanges) =>
  call('PATCH /api/contacts/:id', { params: { id }, body });

/** What merging `other` into `id` would do; changes nothing. */
export const previewMerge = (id: string, other: string) =>
  call('GET /api/contacts/:id/merge-preview', { params: { id }, query: { other } });

export const mergeContact = (id: string, otherId: string) =>
  call('POST /api/contacts/:id/merge', { params: { id }, body: { otherId } });

export const unmergeContact = (id: string, mergedId: string) =>
  call('POST /api/contacts/:id/unmerge', { params: { id }, body: { mergedId } });

/** Admin: everything held about the person, one JSON document. */
export const exportContact = (id: string) =>
  call('GET /api/contacts/:id/export', { params: { id } });

/** Admin: erase the person; the API's typed confirmation is the contact id. */
export const eraseContact = (id: string) =>
  call('POST /api/contacts/:id/erase', { params: { id }, body: { confirm: id } });

/** Marketers, admins: a CSV of customers; `dryRun` reports what would happen and writes nothing. */
export const importContacts = (body: {
  csv: string;
  mapping?: Record<string, ImportField>;
  dryRun: boolean;
}) => call('POST /api/contacts/import', { body });
