/**
 * The leads API's shapes, declared once (leads, the CSV export's filters, segments, scoring): the
 * routes validate and document with them, the views return their types, the console imports the
 * types (console/README.md). A schema file: it imports only zod and other schema files.
 */
import { z } from 'zod';
import { noContent, pageOf, pagination, type Endpoints } from '../../http/schemas.js';
import { objectId, optionalFilter } from '../../kernel/schema-helpers.js';
import { CHANNEL_IDS, LEAD_STATUSES, LOCALES, RFM_SEGMENTS } from '../../kernel/vocabulary.js';
import { leadPropensity } from '../propensity/schemas.js';
import { leadCustomerValueSchema } from '../value/schemas.js';

const nullableString = z.string().nullable();
const isoDate = z.iso.datetime({ offset: true }).or(z.iso.date());
const consentFilter = z.enum(['granted', 'withheld']);

// ── Leads ───────────────────────────────────────────────────────────────────────────────────────

export const LEAD_SORTS = ['createdAt', 'updatedAt', 'score', 'name', 'status'] as const;

/** The lead filters the list (GET /api/leads) and the CSV export share (src/features/leads/filters.ts). */
export const leadFilterQuery = {
  email: optionalFilter(z.string().trim().toLowerCase().max(320)),
  status: optionalFilter(z.enum(LEAD_STATUSES)),
  channel: optionalFilter(z.enum(CHANNEL_IDS)),
  owner: optionalFilter(objectId),
  q: optionalFilter(z.string().trim().min(1).max(200)),
  createdFrom: optionalFilter(isoDate),
  createdTo: optionalFilter(isoDate),
  /** Score range, inclusive. */
  scoreMin: optionalFilter(z.coerce.number().min(0).max(1_000_000)),
  scoreMax: optionalFilter(z.coerce.number().min(0).max(1_000_000)),
  /** The contact's language and marketing consent (resolved in src/features/leads/contact-scope.ts). */
  language: optionalFilter(z.enum(LOCALES)),
  consent: optionalFilter(consentFilter),
  sort: optionalFilter(z.enum(LEAD_SORTS)),
  order: optionalFilter(z.enum(['asc', 'desc'])),
  /** A saved segment (src/features/leads/segments/) the leads must also belong to. */
  segment: optionalFilter(objectId),
};
/** GET /api/leads/export.csv: the list's filters (consent=granted: only contacts who agreed). */
export const leadExportQuery = z.object(leadFilterQuery);
export type LeadFilterQuery = z.infer<typeof leadExportQuery>;
export const leadListQuery = z.object({ ...leadFilterQuery, ...pagination });

/** A matching scoring rule: why a lead has its score. */
export const scoreReasonSchema = z
  .object({
    rule: z.string(),
    points: z.number(),
    label: z.object({ en: z.string(), es: z.string() }),
  })
  .meta({ id: 'ScoreReason' });
export type ScoreReason = z.infer<typeof scoreReasonSchema>;

export const leadSchema = z
  .object({
    id: z.string(),
    name: nullableString,
    email: nullableString,
    phone: nullableString,
    company: nullableString,
    interest: nullableString,
    status: z.enum(LEAD_STATUSES),
    score: z.number(),
    /** The matching scoring rules: why the lead has its score. */
    scoreReasons: z.array(scoreReasonSchema),
    scoredAt: nullableString,
    language: z.enum(LOCALES).nullable(),
    marketingConsent: z.boolean(),
    lastContactAt: nullableString,
    channel: z.enum(CHANNEL_IDS),
    contactId: nullableString,
    conversationId: nullableString,
    owner: nullableString,
    notes: nullableString,
    /** What the won lead was worth, in BASE_CURRENCY; null when not recorded. */
    amount: z.number().nullable(),
    tags: z.array(z.string()),
    /**
     * Likelihood to be won from the propensity model (src/features/propensity/): p in 0–1 and the
     * lead's three strongest factors; null while the model falls back to the rule score (too
     * little won/lost history) or before the lead was first scored — the console then labels
     * the score "rule score".
     */
    propensity: leadPropensity.nullable(),
    /**
     * The lead's contact as a customer, from the latest value fit (src/features/value/): 12-month
     * CLV, historic revenue and orders in BASE_CURRENCY; null without a contact, before any fit or
     * when the contact has no orders.
     */
    customerValue: leadCustomerValueSchema.nullable(),
    createdAt: nullableString,
    updatedAt: nullableString,
  })
  .meta({ id: 'Lead' });
export type LeadView = z.infer<typeof leadSchema>;

export const leadIdParams = z.object({ id: objectId });

const leadTags = z.array(z.string().trim().min(1).max(50)).max(50);
export const leadPatchBody = z
  .object({
    status: z.enum(LEAD_STATUSES).optional(),
    /** A User id; null clears the owner. */
    owner: objectId.nullable().optional(),
    notes: z.string().max(5000).nullable().optional(),
    /** A won lead's amount in BASE_CURRENCY (only with status won); null clears it. */
    amount: z.number().min(0).max(1e12).nullable().optional(),
    tags: leadTags.optional(),
  })
  .strict()
  .refine((p) => Object.values(p).some((v) => v !== undefined), 'nothing to change');
/** What a staff edit may change (PATCH /api/leads/:id, and `set` of a bulk edit). */
export type LeadChanges = z.infer<typeof leadPatchBody>;

export const leadBulkBody = z
  .object({
    ids: z.array(objectId).min(1).max(200),
    set: z
      .object({
        status: z.enum(LEAD_STATUSES).optional(),
        owner: objectId.nullable().optional(),
        tags: leadTags.optional(),
      })
      .strict()
      .refine((s) => Object.values(s).some((v) => v !== undefined), 'nothing to change'),
  })
  .strict();
export const leadBulkResponse = z.object({ updated: z.number().int(), items: z.array(leadSchema) });

export const leadOwnerSchema = z
  .object({ id: z.string(), name: z.string() })
  .meta({ id: 'LeadOwner' });
export type LeadOwner = z.infer<typeof leadOwnerSchema>;
export const leadOwnersResponse = z.object({ items: z.array(leadOwnerSchema) });

// ── One lead (GET /api/leads/:id) ──────────────────────────────────────────────────────────────

export const consentRecordSchema = z.object({
  granted: z.boolean(),
  at: nullableString,
  channel: nullableString,
  wording: nullableString,
  by: z.enum(['customer', 'staff', 'system']),
  actor: z.string(),
});
export type ConsentRecordView = z.infer<typeof consentRecordSchema>;

/** A contact's marketing consent as the lead and contact pages show it. */
export const consentSchema = z
  .object({
    granted: z.boolean(),
    updatedAt: nullableString,
    /** Consent given or withdrawn for one channel only (channel → granted); wins there. */
    channels: z.record(z.string(), z.boolean()).optional(),
    history: z.array(consentRecordSchema),
  })
  .meta({ id: 'MarketingConsent' });
export type ConsentView = z.infer<typeof consentSchema>;

export const leadDetailSchema = z
  .object({
    lead: leadSchema,
    consent: consentSchema.nullable(),
    transcript: z.array(
      z.object({
        id: z.string(),
        author: z.string(),
        direction: z.string(),
        text: z.string(),
        at: nullableString,
      }),
    ),
    otherLeads: z.array(leadSchema),
    cases: z.array(
      z.object({
        id: z.string(),
        number: z.string(),
        type: z.string(),
        subject: nullableString,
        status: z.string(),
        createdAt: nullableString,
      }),
    ),
    timeline: z.array(
      z.object({
        at: nullableString,
        action: z.string(),
        actor: z.string(),
        actorName: nullableString,
        before: z.record(z.string(), z.unknown()).nullable(),
        after: z.record(z.string(), z.unknown()).nullable(),
      }),
    ),
  })
  .meta({ id: 'LeadDetail' });
export type LeadDetailView = z.infer<typeof leadDetailSchema>;

// ── Segments ───────────────────────────────────────────────────────────────────────────────────

const word = z.string().trim().min(1).max(100);

/** What a segment selects (src/features/leads/segments/definition.ts turns it into a query). */
export const segmentFilterSchema = z
  .object({
    /** The lead has every one of these tags. */
    tags: z.array(z.string().trim().min(1).max(50)).max(20).optional(),
    /** The lead came from one of these channels. */
    channels: z.array(z.enum(CHANNEL_IDS)).min(1).optional(),
    /** The contact's language. */
    language: z.enum(LOCALES).optional(),
    /** granted: only contacts who gave marketing consent; withheld: the others (as GET /api/leads). */
    consent: consentFilter.optional(),
    scoreMin: z.number().int().min(0).max(100).optional(),
    scoreMax: z.number().int().min(0).max(100).optional(),
    /** Last customer message on or after / before this date. */
    lastContactFrom: isoDate.optional(),
    lastContactTo: isoDate.optional(),
    /** Last customer message within the last N days (counted at query time). */
    lastContactWithinDays: z.number().int().min(1).max(3650).optional(),
    /** The contact has (true) or has no (false) case that is open or pending. */
    hasOpenCase: z.boolean().optional(),
    /** The lead's conversations saw at least one of these intents. */
    intents: z.array(word).min(1).max(50).optional(),
    statuses: z.array(z.enum(LEAD_STATUSES)).min(1).optional(),
    /** The contact read as frustrated in one of their conversations (true) or never (false). */
    frustrated: z.boolean().optional(),
    /** The contact's RFM segment in the latest value fit is one of these (src/features/value/rfm.ts). */
    valueSegments: z.array(z.enum(RFM_SEGMENTS)).min(1).optional(),
    /** The contact is (true) or is not (false) on the value feature's "at risk, high value" list. */
    atRiskHighValue: z.boolean().optional(),
  })
  .strict()
  .refine((f) => f.scoreMin === undefined || f.scoreMax === undefined || f.scoreMin <= f.scoreMax, {
    message: 'scoreMin must not be above scoreMax',
    path: ['scoreMin'],
  })
  .meta({ id: 'SegmentFilter' });
export type SegmentFilter = z.infer<typeof segmentFilterSchema>;

export const segmentBody = z
  .object({
    name: z.string().trim().min(1).max(100),
    description: z.string().trim().max(500).nullable().optional(),
    filter: segmentFilterSchema,
  })
  .strict();
export type SegmentInput = z.infer<typeof segmentBody>;

export const segmentSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    description: nullableString,
    /** As stored: it passed `segmentFilterSchema` when saved and is checked again when counted. */
    filter: segmentFilterSchema,
    /** Leads in the segment now. */
    count: z.number().int(),
    createdBy: nullableString,
    createdAt: nullableString,
    updatedAt: nullableString,
  })
  .meta({ id: 'Segment' });
export type SegmentView = z.infer<typeof segmentSchema>;

export const segmentIdParams = z.object({ id: objectId });
export const segmentCountBody = z.object({ filter: segmentFilterSchema }).strict();
export const segmentCountResponse = z.object({ count: z.number().int() });

// ── Scoring rules ──────────────────────────────────────────────────────────────────────────────

export const MAX_RULES_YAML = 64 * 1024;

export const scoringRulesSchema = z
  .object({
    yaml: z.string(),
    rules: z.array(z.record(z.string(), z.unknown())),
    version: z.number().int(),
    updatedAt: nullableString,
    updatedBy: nullableString,
  })
  .meta({ id: 'ScoringRules' });
export type ScoringRulesView = z.infer<typeof scoringRulesSchema>;

export const scoringRulesBody = z.object({ yaml: z.string().max(MAX_RULES_YAML) }).strict();
export const scoringPreviewBody = z
  .object({ leadId: objectId, yaml: z.string().max(MAX_RULES_YAML).optional() })
  .strict();
export const scoringPreviewResponse = z.object({
  score: z.number(),
  reasons: z.array(scoreReasonSchema),
  stored: z.object({ score: z.number(), reasons: z.array(scoreReasonSchema) }),
});

/** The console's calls, typed by what they hit (console/src/api/client.ts). The CSV export is a link. */
export const leadEndpoints = {
  'GET /api/leads': { query: leadListQuery, response: pageOf(leadSchema) },
  'GET /api/leads/owners': { response: leadOwnersResponse },
  'GET /api/leads/:id': { response: leadDetailSchema },
  'PATCH /api/leads/:id': { body: leadPatchBody, response: leadSchema },
  'POST /api/leads/bulk': { body: leadBulkBody, response: leadBulkResponse },
  'GET /api/segments': { response: pageOf(segmentSchema) },
  'GET /api/segments/:id': { response: segmentSchema },
  'POST /api/segments/count': { body: segmentCountBody, response: segmentCountResponse },
  'POST /api/segments': { body: segmentBody, response: segmentSchema },
  'PUT /api/segments/:id': { body: segmentBody, response: segmentSchema },
  'DELETE /api/segments/:id': { response: noContent },
  'GET /api/scoring/rules': { response: scoringRulesSchema },
  'PUT /api/scoring/rules': { body: scoringRulesBody, response: scoringRulesSchema },
  'POST /api/scoring/preview': { body: scoringPreviewBody, response: scoringPreviewResponse },
} as const satisfies Endpoints;
