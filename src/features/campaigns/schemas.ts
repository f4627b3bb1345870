/**
 * Marketing campaigns (issue 21): the shapes of the API, declared once — the routes validate and
 * document with these, the console imports the types. Imports only zod and schema files.
 */
import { z } from 'zod';
import { pageOf, pagination, type Endpoints } from '../../http/schemas.js';
import { LOCALES } from '../../kernel/vocabulary.js';

/** The channels a campaign may use (WhatsApp only with an approved template, `template`). */
export const CAMPAIGN_CHANNELS = ['email', 'telegram', 'webchat', 'whatsapp'] as const;
export type CampaignChannel = (typeof CAMPAIGN_CHANNELS)[number];

export const CAMPAIGN_STATUSES = [
  'draft',
  'scheduled',
  'sending',
  'paused',
  'cancelled',
  'done',
] as const;
export type CampaignStatus = (typeof CAMPAIGN_STATUSES)[number];

/** One recipient's path: queued → sending → sent | failed; skipped when refused at send time. */
export const RECIPIENT_STATES = ['queued', 'sending', 'sent', 'failed', 'skipped'] as const;
export type RecipientState = (typeof RECIPIENT_STATES)[number];

/** Why a contact of the segment is not (or no longer) a recipient. */
export const EXCLUSION_REASONS = [
  'no_consent',
  'unsubscribed',
  'unreachable',
  'erased',
  'duplicate',
] as const;
export type ExclusionReason = (typeof EXCLUSION_REASONS)[number];

/** The variables a campaign text may hold. */
export const CAMPAIGN_VARIABLES = ['contact.name'] as const;
const VARIABLE = /\{\{\s*([^{}]*?)\s*\}\}/g;
const unknownVariables = (text: string) =>
  [...text.matchAll(VARIABLE)]
    .map((m) => m[1] ?? '')
    .filter((n) => !(CAMPAIGN_VARIABLES as readonly string[]).includes(n));

export const MAX_CAMPAIGN_TEXT = 4000;

const content = z
  .object({
    subject: z.string().trim().min(1).max(200).optional().describe('email only'),
    text: z
      .string()
      .trim()
      .min(1, 'must not be empty')
      .max(MAX_CAMPAIGN_TEXT)
      .refine((t) => unknownVariables(t).length === 0, {
        message: `unknown variable: only ${CAMPAIGN_VARIABLES.map((v) => `{{${v}}}`).join(', ')}`,
      }),
  })
  .strict();
export type CampaignContent = z.infer<typeof content>;

/** The text per language; the contact's language, else the other one. */
export const campaignMessage = z
  .object({ es: content.optional(), en: content.optional() })
  .strict()
  .refine((m) => m.es || m.en, 'give the text in at least one language (es or en)');
export type CampaignMessage = z.infer<typeof campaignMessage>;

/** The message as a recipient's view of a stored campaign (empty for WhatsApp: a template). */
const messageView = z.object({ es: content.optional(), en: content.optional() });

/**
 * A WhatsApp campaign's message: one of the stored approved templates (GET
 * /api/campaigns/whatsapp-templates) and the values of its body's {{1}}, {{2}}… in order, each
 * of which may use {{contact.name}}. Without `language` each contact gets the approved template
 * of that name in their language (else the first approved one).
 */
export const campaignTemplate = z
  .object({
    name: z.string().trim().min(1).max(512),
    language: z.string().trim().min(2).max(15).optional(),
    variables: z
      .array(
        z
          .string()
          .trim()
          .min(1, 'must not be empty')
          .max(1024)
          .refine((t) => unknownVariables(t).length === 0, {
            message: `unknown variable: only ${CAMPAIGN_VARIABLES.map((v) => `{{${v}}}`).join(', ')}`,
          }),
      )
      .max(20)
      .default([]),
  })
  .strict()
  .meta({ id: 'CampaignTemplate' });
export type CampaignTemplate = z.infer<typeof campaignTemplate>;

/** A/B: extra variants, each with its share (percent); the main message gets what is left. */
const variant = z
  .object({
    name: z.string().trim().min(1).max(40),
    weight: z.number().int().min(1).max(99),
    message: campaignMessage,
  })
  .strict();

const HHMM = /^([01]\d|2[0-3]):[0-5]\d$/;
/** No sending between `start` and `end`, each contact's local time (may span midnight). */
export const quietHours = z
  .object({
    start: z.string().regex(HHMM, 'must be a time HH:MM (00:00–23:59)'),
    end: z.string().regex(HHMM, 'must be a time HH:MM (00:00–23:59)'),
  })
  .strict()
  .refine((q) => q.start !== q.end, 'quiet hours must start and end at different times')
  .describe('e.g. {start: "21:00", end: "09:00"}: a recipient inside them waits until they end');
export type QuietHours = z.infer<typeof quietHours>;

/** A wall-clock time without an offset, read in each contact's own time zone. */
export const sendAtLocal = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}T([01]\d|2[0-3]):[0-5]\d$/, 'must be a local time YYYY-MM-DDTHH:MM')
  .refine((v) => {
    const d = new Date(`${v}:00Z`);
    return !Number.isNaN(d.getTime()) && d.toISOString().startsWith(v);
  }, 'is not a real date')
  .describe(
    'each contact gets it at this time on their own clock (their time zone, else DEFAULT_TIMEZONE)',
  );

const oneSchedule = (
  b: { sendAt?: string | undefined; sendAtLocal?: string | undefined } | null | undefined,
) => !(b?.sendAt && b?.sendAtLocal);
const ONE_SCHEDULE = {
  message: 'give sendAt (one instant) or sendAtLocal (each contact’s local time), not both',
  path: ['sendAtLocal'],
};

const campaignFields = z
  .object({
    name: z.string().trim().min(1, 'must not be empty').max(120),
    segmentId: z.string().regex(/^[0-9a-f]{24}$/i, 'must be a segment id'),
    channel: z.enum(CAMPAIGN_CHANNELS),
    /** Required on every channel but WhatsApp, where free text is refused (`template`). */
    message: campaignMessage.optional(),
    /** WhatsApp only (and required there). */
    template: campaignTemplate.optional(),
    variants: z
      .array(variant)
      .max(3)
      .optional()
      .refine((v) => !v || v.reduce((sum, x) => sum + x.weight, 0) <= 99, {
        message: 'the variants’ weights must leave at least 1% for the main message',
      })
      .refine((v) => !v || new Set(v.map((x) => x.name)).size === v.length, {
        message: 'each variant needs its own name',
      })
      .refine((v) => !v || v.every((x) => x.name !== 'A'), {
        message: '“A” is the main message’s name',
      }),
    sendAt: z.iso.datetime({ offset: true }).optional().describe('when to send; absent: on send'),
    sendAtLocal: sendAtLocal.optional(),
    quietHours: quietHours.optional(),
  })
  .strict();
export const campaignCreateBody = campaignFields.refine(oneSchedule, ONE_SCHEDULE);
export type CampaignCreateBody = z.infer<typeof campaignCreateBody>;

/** A draft's changes: any field of the creation; `sendAt: null` clears the schedule. */
export const campaignUpdateBody = campaignFields
  .partial()
  .extend({
    sendAt: z.iso.datetime({ offset: true }).nullable().optional(),
    sendAtLocal: sendAtLocal.nullable().optional(),
    quietHours: quietHours.nullable().optional(),
    /** null: no text (a campaign moving to WhatsApp). */
    message: campaignMessage.nullable().optional(),
    /** null: no template (a campaign leaving WhatsApp). */
    template: campaignTemplate.nullable().optional(),
  })
  .strict()
  .refine((b) => !(b.sendAt && b.sendAtLocal), ONE_SCHEDULE);
export type CampaignUpdateBody = z.infer<typeof campaignUpdateBody>;

export const campaignIdParams = z.object({ id: z.string().max(64) });

export const campaignSendBody = z
  .object({
    sendAt: z.iso.datetime({ offset: true }).optional(),
    sendAtLocal: sendAtLocal.optional(),
  })
  .strict()
  .refine(oneSchedule, ONE_SCHEDULE)
  .nullish();

const variantView = z.object({ name: z.string(), weight: z.number(), message: messageView });

export const campaignSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    segmentId: z.string(),
    channel: z.enum(CAMPAIGN_CHANNELS),
    status: z.enum(CAMPAIGN_STATUSES),
    /** Empty ({}) for WhatsApp, which sends `template`. */
    message: messageView,
    template: z
      .object({ name: z.string(), language: z.string().nullable(), variables: z.array(z.string()) })
      .nullable(),
    variants: z.array(variantView),
    /** When it starts: sendAt, or the first instant any zone reaches sendAtLocal. */
    sendAt: z.string().nullable(),
    sendAtLocal: z.string().nullable(),
    quietHours: z.object({ start: z.string(), end: z.string() }).nullable(),
    startedAt: z.string().nullable(),
    finishedAt: z.string().nullable(),
    /** Recipients per state (queued, sent…, total) and per tracked step (clicked, replied…). */
    counts: z.record(z.string(), z.number()),
    createdBy: z.string().nullable(),
    createdAt: z.string(),
  })
  .meta({ id: 'Campaign' });
export type CampaignView = z.infer<typeof campaignSchema>;

export const campaignListQuery = z.object({ status: z.enum(CAMPAIGN_STATUSES).optional() });

export const audiencePreviewSchema = z
  .object({
    channel: z.enum(CAMPAIGN_CHANNELS),
    /** Contacts in the segment (each once, merged contacts counted as their survivor). */
    segmentContacts: z.number().int(),
    /** Who would receive it now. */
    count: z.number().int(),
    /** One count per reason (an object with every key, so the OpenAPI document lists them). */
    excluded: z.object(
      Object.fromEntries(EXCLUSION_REASONS.map((r) => [r, z.number().int()])) as Record<
        (typeof EXCLUSION_REASONS)[number],
        z.ZodNumber
      >,
    ),
    sample: z.array(
      z.object({
        contactId: z.string(),
        name: z.string().nullable(),
        language: z.enum(LOCALES),
      }),
    ),
  })
  .meta({ id: 'CampaignAudience' });
export type AudiencePreview = z.infer<typeof audiencePreviewSchema>;

export const audienceQuery = z.object({
  segmentId: z.string().regex(/^[0-9a-f]{24}$/i, 'must be a segment id'),
  channel: z.enum(CAMPAIGN_CHANNELS),
});

/** A recipient's tracked steps, each its first time (null: not reached). */
export const TRACKED_STEPS = [
  'delivered',
  'read',
  'clicked',
  'replied',
  'converted',
  'unsubscribed',
] as const;
export type TrackedStep = (typeof TRACKED_STEPS)[number];

export const recipientsQuery = z.object({
  status: z.enum([...RECIPIENT_STATES, ...TRACKED_STEPS]).optional(),
  ...pagination,
});

export const recipientSchema = z
  .object({
    id: z.string(),
    contactId: z.string(),
    name: z.string().nullable(),
    state: z.enum(RECIPIENT_STATES),
    variant: z.string(),
    language: z.enum(LOCALES).nullable(),
    /** Why it was skipped or failed. */
    reason: z.string().nullable(),
    skipped: z.enum(EXCLUSION_REASONS).nullable(),
    /** The contact's time zone used for scheduling and quiet hours. */
    timeZone: z.string().nullable(),
    /** When it is due (its local send time, after quiet hours); null: at once. */
    dueAt: z.string().nullable(),
    sentAt: z.string().nullable(),
    deliveredAt: z.string().nullable(),
    readAt: z.string().nullable(),
    clickedAt: z.string().nullable(),
    repliedAt: z.string().nullable(),
    convertedAt: z.string().nullable(),
    unsubscribedAt: z.string().nullable(),
    failedAt: z.string().nullable(),
  })
  .meta({ id: 'CampaignRecipient' });
export type RecipientView = z.infer<typeof recipientSchema>;

const funnel = z.object({
  recipients: z.number().int(),
  queued: z.number().int(),
  sending: z.number().int(),
  sent: z.number().int(),
  failed: z.number().int(),
  skipped: z.number().int(),
  delivered: z.number().int(),
  read: z.number().int(),
  clicked: z.number().int(),
  replied: z.number().int(),
  converted: z.number().int(),
  unsubscribed: z.number().int(),
});
export type Funnel = z.infer<typeof funnel>;

/** What picks the winning variant: clicks for email, replies for chat. */
export const WINNER_METRICS = ['clicked', 'replied'] as const;

export const campaignReportSchema = z
  .object({
    campaignId: z.string(),
    status: z.enum(CAMPAIGN_STATUSES),
    funnel,
    variants: z.array(
      z.object({ name: z.string(), weight: z.number(), funnel, rate: z.number().nullable() }),
    ),
    /** The variant with the best rate of `metric` among those sent (null: none sent, or one variant). */
    winner: z
      .object({ variant: z.string(), metric: z.enum(WINNER_METRICS), rate: z.number() })
      .nullable(),
    metric: z.enum(WINNER_METRICS),
    byChannel: z.array(z.object({ channel: z.string(), funnel })),
    byLanguage: z.array(z.object({ language: z.string(), funnel })),
  })
  .meta({ id: 'CampaignReport' });
export type CampaignReport = z.infer<typeof campaignReportSchema>;

export const campaignTestBody = z
  .object({ language: z.enum(LOCALES).optional(), variant: z.string().max(40).optional() })
  .strict()
  .nullish();
export const campaignTestResponse = z
  .object({
    to: z.string(),
    language: z.enum(LOCALES),
    subject: z.string().nullable(),
    text: z.string(),
  })
  .meta({ id: 'CampaignTestSend' });

export const whatsappTemplateSchema = z
  .object({
    name: z.string(),
    language: z.string(),
    status: z.string().describe('APPROVED, PENDING, REJECTED, PAUSED… only APPROVED can be sent'),
    category: z.string().nullable(),
    body: z.string(),
    variables: z.number().int().describe('how many {{n}} placeholders the body has'),
    syncedAt: z.string(),
  })
  .meta({ id: 'WhatsAppTemplate' });
export type WhatsAppTemplateView = z.infer<typeof whatsappTemplateSchema>;

export const campaignEndpoints = {
  'GET /api/campaigns/whatsapp-templates': { response: z.array(whatsappTemplateSchema) },
  'POST /api/campaigns/whatsapp-templates/sync': { response: z.array(whatsappTemplateSchema) },
  'GET /api/campaigns': { query: campaignListQuery, response: pageOf(campaignSchema) },
  'POST /api/campaigns': { body: campaignCreateBody, response: campaignSchema },
  'GET /api/campaigns/:id': { response: campaignSchema },
  'PATCH /api/campaigns/:id': { body: campaignUpdateBody, response: campaignSchema },
  'GET /api/campaigns/:id/audience': { response: audiencePreviewSchema },
  'GET /api/campaigns/audience': { query: audienceQuery, response: audiencePreviewSchema },
  'POST /api/campaigns/:id/send': { body: campaignSendBody, response: campaignSchema },
  'POST /api/campaigns/:id/pause': { response: campaignSchema },
  'POST /api/campaigns/:id/resume': { response: campaignSchema },
  'POST /api/campaigns/:id/cancel': { response: campaignSchema },
  'POST /api/campaigns/:id/test': { body: campaignTestBody, response: campaignTestResponse },
  'GET /api/campaigns/:id/recipients': {
    query: recipientsQuery,
    response: pageOf(recipientSchema),
  },
  'GET /api/campaigns/:id/report': { response: campaignReportSchema },
} as const satisfies Endpoints;

// ---------------------------------------------------------------- ongoing web chat campaigns

/** URL patterns: `*` is any run of characters; no other syntax (never compiled as a regex). */
export const URL_PATTERN_MAX = 300;
export const ONGOING_AUDIENCES = ['all', 'returning'] as const;
export type OngoingAudience = (typeof ONGOING_AUDIENCES)[number];

const ongoingText = z
  .object({ text: z.string().trim().min(1, 'must not be empty').max(1000) })
  .strict();
const ongoingMessage = z
  .object({ es: ongoingText.optional(), en: ongoingText.optional() })
  .strict()
  .refine((m) => m.es || m.en, 'give the text in at least one language (es or en)');

export const ongoingRules = z
  .object({
    urlPattern: z
      .string()
      .trim()
      .min(1)
      .max(URL_PATTERN_MAX)
      .regex(/^[\x21-\x7e]+$/, 'printable characters without spaces')
      .refine((p) => !/\*{2,}/.test(p), 'one * at a time'),
    secondsOnPage: z.number().int().min(0).max(3600),
    audience: z.enum(ONGOING_AUDIENCES),
  })
  .strict();

export const ongoingCreateBody = z
  .object({
    name: z.string().trim().min(1).max(120),
    rules: ongoingRules,
    message: ongoingMessage,
    enabled: z.boolean().default(false),
  })
  .strict();
export type OngoingCreateBody = z.infer<typeof ongoingCreateBody>;

export const ongoingUpdateBody = z
  .object({
    name: z.string().trim().min(1).max(120).optional(),
    rules: ongoingRules.optional(),
    message: ongoingMessage.optional(),
    enabled: z.boolean().optional(),
  })
  .strict();
export type OngoingUpdateBody = z.infer<typeof ongoingUpdateBody>;

export const ongoingCampaignSchema = z.object({
  id: z.string(),
  name: z.string(),
  rules: ongoingRules,
  message: z.object({ es: ongoingText.optional(), en: ongoingText.optional() }),
  enabled: z.boolean(),
  counts: z.object({ shown: z.number().int(), replied: z.number().int() }),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type OngoingCampaignView = z.infer<typeof ongoingCampaignSchema>;

const visitorId = z
  .string()
  .regex(/^[\w-]{16,64}$/, '16–64 letters, digits, - or _')
  .describe('a random id the widget keeps in localStorage');

/** The widget asks on each page: with its session (Bearer token) when it has one. */
export const ongoingMatchBody = z
  .object({
    url: z.string().url().max(2000),
    visitorId: visitorId.optional(),
    sessionId: z.string().max(200).optional(),
    locale: z.enum(LOCALES).optional(),
  })
  .strict();
export const ongoingMatchSchema = z.object({
  campaign: z
    .object({ id: z.string(), text: z.string(), secondsOnPage: z.number().int() })
    .nullable(),
});
export const ongoingShownBody = z
  .object({
    visitorId: visitorId.optional(),
    sessionId: z.string().max(200).optional(),
    url: z.string().url().max(2000),
  })
  .strict();
export const ongoingShownSchema = z.object({ recorded: z.boolean() });

export const ongoingEndpoints = {
  'GET /api/ongoing-campaigns': { response: z.array(ongoingCampaignSchema) },
  'POST /api/ongoing-campaigns': { body: ongoingCreateBody, response: ongoingCampaignSchema },
  'PATCH /api/ongoing-campaigns/:id': { body: ongoingUpdateBody, response: ongoingCampaignSchema },
} as const satisfies Endpoints;
