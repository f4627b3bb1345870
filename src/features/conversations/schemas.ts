/**
 * The conversations API's shapes, declared once: the routes validate and document with them
 * (GET /api/openapi.json), the view builders return their types, the console imports the types
 * (console/README.md). A schema file: it imports only zod and other schema files.
 */
import { z } from 'zod';
import {
  localeOrNull,
  personSchema,
  optionalFilter,
  pageOf,
  pageQuery,
  type Endpoints,
} from '../../http/schemas.js';
import {
  CHANNEL_IDS,
  CONVERSATION_STATUSES,
  LOCALES,
  MESSAGE_STATUSES,
} from '../../kernel/vocabulary.js';

export const MAX_STAFF_TEXT = 4000;

/** The inbox's views (views.ts): the member of staff's own, waiting, all open, closed. */
export const INBOX_VIEWS = ['mine', 'unassigned', 'open', 'closed'] as const;
export type InboxView = (typeof INBOX_VIEWS)[number];

export const sentimentSchema = z
  .object({
    trend: z.array(z.object({ at: z.string(), score: z.number().min(-1).max(1) })),
    frustratedAt: z.string().nullable(),
  })
  .describe(
    'sentiment of the last customer messages (-1 negative … 1 positive), oldest first; ' +
      'frustratedAt: when two negative messages in a row raised the priority',
  )
  .meta({ id: 'ConversationSentiment' });
/** A conversation's sentiment trend (oldest first) and when the customer read as frustrated. */
export type SentimentView = z.infer<typeof sentimentSchema>;

export const conversationSummarySchema = z
  .object({
    id: z.string(),
    channel: z.string(),
    status: z.enum(CONVERSATION_STATUSES),
    locale: localeOrNull,
    contact: personSchema,
    lastMessageAt: z.string().nullable(),
    lastMessageText: z.string().nullable(),
    lastIntent: z.string().nullable(),
    assignee: personSchema.nullable(),
    /** The team it is routed or handed to, while with staff (src/features/assignment/). */
    team: personSchema.nullable(),
    escalation: z
      .object({ reason: z.string().nullable(), queuedAt: z.string().nullable() })
      .nullable(),
    createdAt: z.string().nullable(),
    /** `high` once the customer read as frustrated (src/pipeline/insight/trend.ts). */
    priority: z.enum(['high']).nullable(),
    sentiment: sentimentSchema,
    /** The customer wrote since the caller last opened it (conversations with staff only). */
    unread: z.boolean(),
  })
  .meta({ id: 'ConversationSummary' });
export type ConversationSummary = z.infer<typeof conversationSummarySchema>;

export const messageSchema = z
  .object({
    id: z.string(),
    conversationId: z.string(),
    channel: z.string(),
    direction: z.enum(['in', 'out']),
    author: z.enum(['customer', 'bot', 'staff', 'system']),
    text: z.string(),
    status: z.enum(MESSAGE_STATUSES),
    createdAt: z.string(),
    error: z.string().optional(),
    internal: z.literal(true).optional(),
    staff: personSchema.optional(),
    nlu: z
      .object({
        intent: z.string().nullable(),
        confidence: z.number(),
        language: z.string().nullable(),
      })
      .optional(),
    sentiment: z.number().optional(),
    quickReplies: z.array(z.object({ title: z.string(), payload: z.string() })).optional(),
    awaiting: z.object({ flow: z.string(), slot: z.string() }).optional(),
    attachments: z
      .array(
        z.object({
          kind: z.string(),
          url: z.string().optional(),
          mimeType: z.string().optional(),
          name: z.string().optional(),
        }),
      )
      .optional(),
  })
  .meta({ id: 'ConversationMessage' });
export type MessageView = z.infer<typeof messageSchema>;

/** The customer beside a conversation or a case: how to reach them, where, in which language. */
export const contactCardSchema = z.object({
  id: z.string(),
  name: z.string().nullable(),
  emails: z.array(z.string()),
  phones: z.array(z.string()),
  channels: z.array(z.string()),
  tags: z.array(z.string()),
  locale: localeOrNull,
});
export type ContactCard = z.infer<typeof contactCardSchema>;

export const conversationDetailSchema = conversationSummarySchema
  .omit({ contact: true, escalation: true })
  .extend({
    contactId: z.string(),
    contact: contactCardSchema,
    flow: z
      .object({
        name: z.string(),
        slot: z.string().nullable(),
        slots: z.record(z.string(), z.unknown()),
        attempts: z.number(),
        startedAt: z.string().nullable(),
      })
      .nullable(),
    suspendedFlow: z.object({ name: z.string(), slot: z.string().nullable() }).nullable(),
    intentsSeen: z.array(z.string()),
    statusHistory: z.array(
      z.object({
        status: z.string(),
        at: z.string(),
        by: z.string().nullable(),
        /** Who `by` is, by name (staff name, Admin); null for `customer` and unknown ids. */
        byName: z.string().nullable(),
        reason: z.string().nullable(),
      }),
    ),
    escalation: z
      .object({
        reason: z.string().nullable(),
        queuedAt: z.string().nullable(),
        assignedAt: z.string().nullable(),
        closedAt: z.string().nullable(),
        afterHours: z.boolean(),
      })
      .nullable(),
    messages: z.array(messageSchema),
  })
  .meta({ id: 'ConversationDetail' });
export type ConversationDetail = z.infer<typeof conversationDetailSchema>;

const isoDate = z
  .string()
  .refine((v) => !Number.isNaN(Date.parse(v)), 'must be an ISO date or date-time');

export const conversationListQuery = z.object({
  view: optionalFilter(z.enum(INBOX_VIEWS)).describe(
    'mine (yours, agents and admins only), unassigned (waiting, longest first), open, closed',
  ),
  channel: optionalFilter(z.enum(CHANNEL_IDS)),
  team: optionalFilter(z.string().trim().max(64)).describe(
    'a team id: conversations routed or handed to that team',
  ),
  status: optionalFilter(z.enum(CONVERSATION_STATUSES)),
  language: optionalFilter(z.enum(LOCALES)),
  intent: optionalFilter(z.string().trim().min(1).max(100)),
  from: optionalFilter(isoDate),
  to: optionalFilter(isoDate),
  q: optionalFilter(z.string().trim().max(200)),
  ...pageQuery,
});

/** Any string: an id that is not one (malformed) is as unknown as a missing one → 404. */
/** POST /api/conversations/:id/transcript-email (transcript-routes.ts). */
export const transcriptEmailAnswer = z
  .object({
    sentTo: z.string().describe("the customer's address the transcript went to"),
    messages: z.number().int().describe('messages in the transcript (internal notes left out)'),
    locale: z.enum(['es', 'en']).describe("the letter's language"),
  })
  .meta({ id: 'TranscriptEmail' });

export const conversationIdParams = z.object({
  id: z.string().max(64).describe('conversation id (24 hex digits)'),
});

export const staffTextBody = z.object({
  text: z
    .string()
    .trim()
    .min(1, 'must not be empty')
    .max(MAX_STAFF_TEXT, `must be at most ${MAX_STAFF_TEXT} characters`),
});

export const staffMessageResponse = z.object({ message: messageSchema });

export const inboxCountsSchema = z
  .object({
    /** Yours (assigned to you); null for roles that are never assigned. */
    mine: z.number().int().nullable(),
    mineUnread: z.number().int().nullable(),
    /** Your conversations (newest first, at most 500): the console's alerts follow these. */
    mineIds: z.array(z.string()),
    unassigned: z.number().int(),
    open: z.number().int(),
    /** Open conversations per channel. */
    channels: z.record(z.string(), z.number().int()),
    /** Conversations with staff per team id (src/features/assignment/). */
    teams: z.record(z.string(), z.number().int()),
  })
  .meta({ id: 'InboxCounts' });
export type InboxCounts = z.infer<typeof inboxCountsSchema>;

/** The console's calls, typed by what they hit (console/src/api/client.ts). */
export const conversationEndpoints = {
  'GET /api/conversations': {
    query: conversationListQuery,
    response: pageOf(conversationSummarySchema),
  },
  'GET /api/conversations/views': { response: inboxCountsSchema },
  'GET /api/conversations/:id': { response: conversationDetailSchema },
  'POST /api/conversations/:id/seen': { response: z.null() },
  'POST /api/conversations/:id/claim': { response: conversationSummarySchema },
  'POST /api/conversations/:id/close': { response: conversationSummarySchema },
  'POST /api/conversations/:id/reply': { body: staffTextBody, response: staffMessageResponse },
  'POST /api/conversations/:id/note': { body: staffTextBody, response: staffMessageResponse },
  'POST /api/conversations/:id/transcript-email': { response: transcriptEmailAnswer },
} as const satisfies Endpoints;
