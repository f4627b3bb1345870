/**
 * Customers for the console (docs/console-api.md), marketer, agent and viewer (admin always):
 *   GET /api/contacts?q=&channel=&tag=&limit=&offset=   merged-away contacts left out
 *   GET /api/contacts/:id                               the single customer view
 *   PATCH /api/contacts/:id {name?, emails?, phones?, tags?, notes?, customFields?}
 *                                                       staff edit (marketer, agent), audited
 *   GET /api/contacts/:id/merge-preview?other=          what a merge of `other` into :id does
 *   POST /api/contacts/:id/merge {otherId}              merge (marketer, agent), audited, undoable
 *   POST /api/contacts/:id/unmerge {mergedId}           undo a staff merge, audited
 *   POST /api/contacts/import {csv, mapping?, dryRun}    CSV import (marketer), per-row report;
 *                                                       a real run is audited (import.ts)
 */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { CountryCode } from 'libphonenumber-js';
import { contactView, listContacts } from './view.js';
import { editContact } from './edits.js';
import { importContacts } from './import.js';
import { mergeByStaff, previewMerge, undoMerge, type RouteCache } from './merges.js';
import { actorOf, requireRole } from '../../http/guard.js';
import { ACCESS } from '../../kernel/roles.js';
import { notFound } from '../../http/errors.js';
import { errorResponses, pageOf } from '../../http/schemas.js';
import {
  contactChangesSchema,
  contactIdParams,
  contactImportBody,
  contactImportReport,
  IMPORT_MAX_CHARS,
  contactListQuery as listQuery,
  contactSummarySchema,
  contactViewSchema,
  mergeBody,
  mergePreviewQuery,
  mergePreviewSchema,
  unmergeBody,
} from './schemas.js';

export function mountContactRoutes(
  server: FastifyInstance,
  opts: { defaultCountry: CountryCode; routes: RouteCache },
): void {
  const app = server.withTypeProvider<ZodTypeProvider>();
  const onRequest = requireRole(...ACCESS.contacts.read);
  const tags = ['contacts'];

  app.get(
    '/api/contacts',
    {
      onRequest,
      schema: {
        tags,
        summary: 'Search customers by name, email or phone; filter by channel or tag',
        querystring: listQuery,
        response: {
          200: pageOf(contactSummarySchema),
          ...errorResponses(400, 401, 403),
        },
      },
    },
    async (req) => listContacts(req.query),
  );

  app.get(
    '/api/contacts/:id',
    {
      onRequest,
      schema: {
        tags,
        summary:
          'The single customer view: identities, conversations, leads, cases, consent, merges',
        params: contactIdParams,
        response: { 200: contactViewSchema, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (req) => {
      const view = await contactView(req.params.id);
      if (!view) throw notFound('The contact');
      return view;
    },
  );

  app.patch(
    '/api/contacts/:id',
    {
      onRequest: requireRole(...ACCESS.contactDetails.write),
      schema: {
        tags,
        summary: "Edit a customer's name, emails, phones, tags, notes or custom fields (audited)",
        params: contactIdParams,
        body: contactChangesSchema,
        response: { 200: contactViewSchema, ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (req) => {
      await editContact(req.params.id, req.body, actorOf(req), opts);
      const view = await contactView(req.params.id);
      if (!view) throw notFound('The contact');
      return view;
    },
  );

  app.post(
    '/api/contacts/import',
    {
      onRequest: requireRole(...ACCESS.contacts.write),
      // The CSV travels as JSON text: its limit plus room for the mapping and escaping.
      bodyLimit: IMPORT_MAX_CHARS * 2 + 64 * 1024,
      schema: {
        tags,
        summary:
          'Import customers from CSV: column mapping, dry run with errors per row, dedupe by email/phone (audited)',
        body: contactImportBody,
        response: { 200: contactImportReport, ...errorResponses(400, 401, 403) },
      },
    },
    async (req) => importContacts(req.body, actorOf(req), opts),
  );

  mountMergeRoutes(app, opts.routes);
}

/** The survivor's view after a change, or a 404. */
async function viewOf(id: string) {
  const view = await contactView(id);
  if (!view) throw notFound('The contact');
  return view;
}

function mountMergeRoutes(
  app: ReturnType<FastifyInstance['withTypeProvider']>,
  routes: RouteCache,
): void {
  const typed = app.withTypeProvider<ZodTypeProvider>();
  const onRequest = requireRole(...ACCESS.contactDetails.write);
  const tags = ['contacts'];
  typed.get(
    '/api/contacts/:id/merge-preview',
    {
      onRequest,
      schema: {
        tags,
        summary: 'What merging another customer into this one would do (changes nothing)',
        params: contactIdParams,
        querystring: mergePreviewQuery,
        response: { 200: mergePreviewSchema, ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (req) => previewMerge(req.params.id, req.query.other),
  );
  typed.post(
    '/api/contacts/:id/merge',
    {
      onRequest,
      schema: {
        tags,
        summary: 'Merge another customer into this one (audited; can be undone)',
        params: contactIdParams,
        body: mergeBody,
        response: { 200: contactViewSchema, ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (req) => {
      await mergeByStaff(req.params.id, req.body.otherId, actorOf(req), routes);
      return viewOf(req.params.id);
    },
  );
  typed.post(
    '/api/contacts/:id/unmerge',
    {
      onRequest,
      schema: {
        tags,
        summary: 'Undo a staff merge: the merged customer and what moved come back (audited)',
        params: contactIdParams,
        body: unmergeBody,
        response: { 200: contactViewSchema, ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (req) => {
      await undoMerge(req.params.id, req.body.mergedId, actorOf(req), routes);
      return viewOf(req.params.id);
    },
  );
}
