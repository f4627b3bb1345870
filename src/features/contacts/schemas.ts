/**
 * The contacts API's shapes, declared once: the routes validate and document with them, the view
 * builders return their types, the console imports the types (console/README.md). A schema file:
 * it imports only zod and other schema files.
 */
import { z } from 'zod';
import {
  localeOrNull,
  optionalFilter,
  pageOf,
  pageQuery,
  type Endpoints,
} from '../../http/schemas.js';
import { CHANNEL_IDS } from '../../kernel/vocabulary.js';
import { conversationSummarySchema } from '../conversations/schemas.js';
import { contactValueSchema } from '../value/schemas.js';

const nullableString = z.string().nullable();

export const contactSummarySchema = z
  .object({
    id: z.string(),
    name: nullableString,
    emails: z.array(z.string()),
    phones: z.array(z.string()),
    channels: z.array(z.string()),
    tags: z.array(z.string()),
    locale: localeOrNull,
    marketingConsent: z.object({ granted: z.boolean(), updatedAt: nullableString }),
    createdAt: nullableString,
    updatedAt: nullableString,
  })
  .meta({ id: 'ContactSummary' });
export type ContactSummary = z.infer<typeof contactSummarySchema>;

export const engagementSchema = z
  .object({
    firstContactAt: nullableString,
    lastContactAt: nullableString,
    conversations: z.number().int(),
    channels: z.array(z.string()),
    leads: z.number().int(),
    cases: z.number().int(),
    openCases: z.number().int(),
    csat: z
      .object({ average: z.number(), responses: z.number().int() })
      .nullable()
      .describe('average CSAT of the cases that carry one (newest 100 cases)'),
    sentiment: z.object({
      average: z.number().nullable().describe('mean message score, -1 … 1'),
      frustratedConversations: z.number().int(),
    }),
  })
  .meta({ id: 'ContactEngagement' });
export type Engagement = z.infer<typeof engagementSchema>;

export const contactViewSchema = z
  .object({
    contact: contactSummarySchema.extend({
      identities: z.array(
        z.object({ channel: z.string(), platformUserId: z.string(), displayName: nullableString }),
      ),
      mergedInto: nullableString,
      notes: nullableString.describe('staff notes about the customer'),
      customFields: z.record(z.string(), z.string()).describe('staff-defined fields, name → value'),
      /** Set when the person was erased (POST /api/contacts/:id/erase): nothing personal is left. */
      erasedAt: nullableString.describe('set once the person was erased; nothing personal is left'),
    }),
    engagement: engagementSchema,
    /** Customer value as of the latest fit (src/features/value/); null before one or without orders. */
    value: contactValueSchema.nullable(),
    conversations: z.array(conversationSummarySchema),
    leads: z.array(
      z.object({
        id: z.string(),
        status: z.string(),
        name: nullableString,
        email: nullableString,
        phone: nullableString,
        company: nullableString,
        interest: nullableString,
        score: z.number(),
        channel: z.string(),
        conversationId: nullableString,
        createdAt: nullableString,
      }),
    ),
    cases: z.array(
      z.object({
        id: z.string(),
        number: z.string(),
        type: z.string(),
        status: z.string(),
        priority: z.string(),
        subject: nullableString,
        channel: nullableString,
        conversationId: nullableString,
        createdAt: nullableString,
        /** A privacy request's link to the person's data export (admin only). */
        exportPath: nullableString.describe(
          "privacy requests: the person's data export (GET, admin only)",
        ),
      }),
    ),
    consent: z.object({
      marketing: z.object({ granted: z.boolean(), updatedAt: nullableString }),
      history: z.array(
        z.object({
          action: z.enum(['consent.grant', 'consent.revoke']),
          at: z.string(),
          actor: z.string(),
        }),
      ),
    }),
    merges: z.array(
      z.object({
        mergedId: z.string(),
        mergedName: nullableString.describe("the merged record's name, when it had one"),
        at: z.string(),
        actor: z.string(),
        actorName: nullableString.describe('the staff member who merged, when staff did'),
        reason: nullableString,
        channels: z.array(z.string()),
        undoable: z.boolean().describe('a staff merge that can still be undone'),
        undoneAt: nullableString,
      }),
    ),
  })
  .meta({ id: 'ContactView' });
export type ContactView = z.infer<typeof contactViewSchema>;

export const contactListQuery = z.object({
  q: optionalFilter(z.string().trim().max(200)),
  channel: optionalFilter(z.enum(CHANNEL_IDS)),
  tag: optionalFilter(z.string().trim().min(1).max(100)),
  ...pageQuery,
});

/* Privacy rights (admin only): src/features/contacts/privacy/routes.ts. */
const record = z.record(z.string(), z.unknown());

export const contactExportSchema = z
  .object({
    exportedAt: z.string(),
    contactId: z.string(),
    contact: record,
    mergedContacts: z.array(record),
    identities: z.array(record),
    conversations: z.array(record.and(z.object({ messages: z.array(record) }))),
    leads: z.array(record),
    cases: z.array(record),
    orders: z.array(record),
    consentRecords: z.array(record),
    webchatSessions: z.array(record),
    auditEntries: z.array(record),
  })
  .meta({ id: 'ContactExport' });

const eraseCountsSchema = z.object({
  contacts: z.number().int(),
  conversations: z.number().int(),
  messages: z.number().int(),
  leads: z.number().int(),
  cases: z.number().int(),
  orders: z
    .number()
    .int()
    .describe('orders kept for revenue figures, without email, items or tracking link'),
  identities: z.number().int(),
  consentRecords: z.number().int(),
  webchatSessions: z.number().int(),
  auditEntries: z.number().int(),
  webhookJobs: z.number().int().describe('webhook deliveries (queued or kept) about the person'),
});

export const eraseResponseSchema = z
  .object({
    contactId: z.string(),
    status: z.enum(['erased', 'already_erased']),
    erasedAt: z.string(),
    counts: eraseCountsSchema.nullable(),
  })
  .meta({ id: 'ContactErasure' });

const CUSTOM_FIELD_NAME = /^[\p{L}\p{N}][\p{L}\p{N} _.-]{0,39}$/u;

export const mergePreviewSchema = z
  .object({
    survivorId: z.string(),
    mergedId: z.string(),
    result: z
      .object({
        name: nullableString,
        emails: z.array(z.string()),
        phones: z.array(z.string()),
        tags: z.array(z.string()),
        channels: z.array(z.string()),
      })
      .describe("the survivor's details after the merge"),
    moves: z.object({
      conversations: z.number().int(),
      leads: z.number().int(),
      cases: z.number().int(),
      orders: z.number().int(),
      identities: z.number().int(),
    }),
    nameKept: nullableString.describe("the other customer's name, dropped because both have one"),
  })
  .meta({ id: 'ContactMergePreview' });
export type MergePreview = z.infer<typeof mergePreviewSchema>;

const contactId = z.string().regex(/^[0-9a-f]{24}$/i, 'a contact id is 24 hex digits');
export const mergePreviewQuery = z.object({ other: contactId });
export const mergeBody = z.object({ otherId: contactId }).strict();
export const unmergeBody = z.object({ mergedId: contactId }).strict();

/** PATCH /api/contacts/:id: only the fields sent change; null or "" clears name and notes. */
export const contactChangesSchema = z
  .object({
    name: z.string().max(200).nullable().optional(),
    emails: z.array(z.string().trim().min(1).max(254)).max(20).optional(),
    phones: z.array(z.string().trim().min(1).max(40)).max(20).optional(),
    tags: z.array(z.string().trim().min(1).max(100)).max(50).optional(),
    notes: z.string().max(5000).nullable().optional(),
    customFields: z
      .record(
        z
          .string()
          .trim()
          .regex(CUSTOM_FIELD_NAME, 'a field name is 1–40 letters, digits, spaces, . _ -'),
        z.string().max(500),
      )
      .refine((r) => Object.keys(r).length <= 30, 'at most 30 custom fields')
      .optional()
      .describe('replaces all custom fields; a field with an empty value is removed'),
  })
  .strict()
  .refine((c) => Object.values(c).some((v) => v !== undefined), 'send at least one field to change')
  .meta({ id: 'ContactChanges' });
export type ContactChanges = z.infer<typeof contactChangesSchema>;

export const contactIdParams = z.object({
  id: z.string().max(64).describe('contact id (24 hex digits)'),
});
export const eraseBody = z.object({
  confirm: z.string().max(64).describe('the contact id again, as a typed confirmation'),
});

/* Import from CSV (import.ts): a dry run reports per row, the real run writes the same. */
export const IMPORT_FIELDS = [
  'ignore',
  'name',
  'email',
  'phone',
  'tags',
  'notes',
  'language',
  'custom',
] as const;
export type ImportField = (typeof IMPORT_FIELDS)[number];
/** At most this many data rows per import, and this many characters of CSV. */
export const IMPORT_MAX_ROWS = 5000;
export const IMPORT_MAX_CHARS = 2_000_000;

export const contactImportBody = z
  .object({
    csv: z.string().min(1).max(IMPORT_MAX_CHARS).describe('the file, header row first'),
    mapping: z
      .record(z.string().max(200), z.enum(IMPORT_FIELDS))
      .optional()
      .describe(
        'header → field; left out, it is guessed from the headers (Spanish or English). ' +
          '`custom` makes a custom field named after the header',
      ),
    dryRun: z.boolean().default(true).describe('true (default): report only, change nothing'),
  })
  .strict()
  .meta({ id: 'ContactImportRequest' });
export type ContactImportBody = z.infer<typeof contactImportBody>;

export const IMPORT_ROW_ERRORS = [
  'invalid_email',
  'invalid_phone',
  'invalid_language',
  'invalid_custom_field',
  'too_long',
  'no_email_or_phone',
  'matches_several',
] as const;

export const contactImportRowSchema = z.object({
  line: z.number().int().describe("the row's line in the file (the header is line 1)"),
  action: z
    .enum(['create', 'update', 'error'])
    .describe('create a customer, update an existing one (or one an earlier row creates), or not'),
  contactId: nullableString.describe(
    'the existing customer it updates (after a real run: also created)',
  ),
  sameAsLine: z
    .number()
    .int()
    .nullable()
    .describe('an earlier row with the same email or phone: both go into one customer'),
  name: nullableString,
  emails: z.array(z.string()),
  phones: z.array(z.string()),
  changes: z.array(z.string()).describe('the fields an update changes'),
  errors: z.array(
    z.object({
      column: z.string(),
      code: z.enum(IMPORT_ROW_ERRORS),
      value: z.string().describe('the cell as written (at most 100 characters)'),
    }),
  ),
});
export type ContactImportRow = z.infer<typeof contactImportRowSchema>;

export const contactImportReport = z
  .object({
    dryRun: z.boolean(),
    columns: z.array(z.object({ header: z.string(), field: z.enum(IMPORT_FIELDS) })),
    rows: z.array(contactImportRowSchema),
    summary: z.object({
      rows: z.number().int(),
      created: z.number().int(),
      updated: z.number().int(),
      errors: z.number().int(),
    }),
  })
  .meta({ id: 'ContactImportReport' });
export type ContactImportReport = z.infer<typeof contactImportReport>;

/** The console's calls, typed by what they hit (console/src/api/client.ts). */
export const contactEndpoints = {
  'GET /api/contacts': { query: contactListQuery, response: pageOf(contactSummarySchema) },
  'GET /api/contacts/:id': { response: contactViewSchema },
  'PATCH /api/contacts/:id': { body: contactChangesSchema, response: contactViewSchema },
  'GET /api/contacts/:id/merge-preview': { query: mergePreviewQuery, response: mergePreviewSchema },
  'POST /api/contacts/:id/merge': { body: mergeBody, response: contactViewSchema },
  'POST /api/contacts/:id/unmerge': { body: unmergeBody, response: contactViewSchema },
  'GET /api/contacts/:id/export': { response: contactExportSchema },
  'POST /api/contacts/:id/erase': { body: eraseBody, response: eraseResponseSchema },
  'POST /api/contacts/import': { body: contactImportBody, response: contactImportReport },
} as const satisfies Endpoints;
