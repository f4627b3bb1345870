/**
 * The cases API's shapes, declared once: the routes validate and document with them, the view
 * builders return their types, the console imports the types (console/README.md). A schema file:
 * it imports only zod and other schema files. Recipe "add a field to cases": docs/ARCHITECTURE.md.
 */
import { z } from 'zod';
import {
  personSchema,
  objectIdString,
  optionalFilter,
  pageOf,
  pagination,
  type Endpoints,
} from '../../http/schemas.js';
import {
  CASE_PRIORITIES,
  CASE_STATUSES,
  CASE_TYPES,
  CHANNEL_IDS,
  SLA_STATES,
} from '../../kernel/vocabulary.js';
import { contactCardSchema, messageSchema } from '../conversations/schemas.js';

export const MAX_NOTE = 4000;

const nullableString = z.string().nullable();
const slaState = z.enum(SLA_STATES);
export const slaTargetSchema = z.object({
  dueAt: nullableString,
  state: slaState,
  metAt: nullableString,
});
export type TargetView = z.infer<typeof slaTargetSchema>;

export const caseSchema = z
  .object({
    id: z.string(),
    number: z.string(),
    type: z.string(),
    subject: nullableString,
    description: nullableString,
    email: nullableString,
    phone: nullableString,
    preferredTime: nullableString,
    status: z.enum(CASE_STATUSES),
    priority: z.enum(CASE_PRIORITIES),
    channel: z.enum(CHANNEL_IDS).nullable(),
    contactId: nullableString,
    conversationId: nullableString,
    contact: personSchema.nullable(),
    assignee: personSchema.nullable(),
    sla: z.object({
      state: slaState,
      firstResponse: slaTargetSchema,
      resolution: slaTargetSchema,
      nextDueAt: nullableString,
    }),
    csat: z
      .object({
        rating: z.number().int().nullable(),
        requestedAt: nullableString,
        at: nullableString,
      })
      .nullable(),
    resolvedAt: nullableString,
    createdAt: nullableString,
    updatedAt: nullableString,
  })
  .meta({ id: 'Case' });
export type CaseSummary = z.infer<typeof caseSchema>;

export const caseEventSchema = z.object({
  at: z.string(),
  kind: z.string(),
  by: personSchema.nullable(),
  from: nullableString,
  to: nullableString,
});
export type CaseEventView = z.infer<typeof caseEventSchema>;

export const caseDetailSchema = caseSchema
  .extend({
    customer: contactCardSchema.nullable(),
    conversation: z
      .object({ id: z.string(), channel: z.string(), status: z.string(), locale: nullableString })
      .nullable(),
    messages: z.array(messageSchema),
    notes: z.array(
      z.object({ id: z.string(), text: z.string(), by: personSchema.nullable(), at: z.string() }),
    ),
    timeline: z.array(caseEventSchema),
  })
  .meta({ id: 'CaseDetail' });
export type CaseDetail = z.infer<typeof caseDetailSchema>;

export const caseListQuery = z.object({
  status: optionalFilter(z.enum(CASE_STATUSES)),
  priority: optionalFilter(z.enum(CASE_PRIORITIES)),
  sla: optionalFilter(slaState),
  assignee: optionalFilter(z.union([z.literal('none'), objectIdString])),
  channel: optionalFilter(z.enum(CHANNEL_IDS)),
  type: optionalFilter(z.enum(CASE_TYPES)),
  number: optionalFilter(z.string().trim().max(20)),
  conversationId: optionalFilter(objectIdString),
  ...pagination,
});

export const caseIdParams = z.object({
  id: z.string().max(64).describe('case id (24 hex digits)'),
});

export const casePatchBody = z
  .object({
    status: z.enum(CASE_STATUSES).optional(),
    priority: z.enum(CASE_PRIORITIES).optional(),
    assignee: objectIdString.nullable().optional().describe('a staff user id (agent or admin)'),
    note: z
      .string()
      .trim()
      .min(1, 'must not be empty')
      .max(MAX_NOTE, `must be at most ${MAX_NOTE} characters`)
      .optional(),
  })
  .strict()
  .refine((b) => Object.values(b).some((v) => v !== undefined), 'nothing to change');
export type CasePatch = z.input<typeof casePatchBody>;

export const caseAssigneesResponse = z.object({ items: z.array(personSchema) });

/** The console's calls, typed by what they hit (console/src/api/client.ts). */
export const caseEndpoints = {
  'GET /api/cases': { query: caseListQuery, response: pageOf(caseSchema) },
  'GET /api/cases/assignees': { response: caseAssigneesResponse },
  'GET /api/cases/:id': { response: caseDetailSchema },
  'PATCH /api/cases/:id': { body: casePatchBody, response: caseSchema },
} as const satisfies Endpoints;
