/**
 * Sequences (issue 21.6): autoresponders that follow up by themselves. A trigger enrols a contact;
 * steps wait, send a marketing message on a channel, or branch; a reply, a conversion or an
 * unsubscribe ends the contact's run. Declared once: the routes validate and document with these,
 * the console imports the types. Imports only zod and schema files.
 */
import { z } from 'zod';
import { pageOf, type Endpoints } from '../../http/schemas.js';
import { LEAD_STATUSES, LOCALES } from '../../kernel/vocabulary.js';

export const SEQUENCE_TRIGGERS = [
  'lead.created',
  'lead.status',
  'case.resolved',
  'tag.added',
  'segment.entered',
] as const;
export type SequenceTriggerType = (typeof SEQUENCE_TRIGGERS)[number];

/** The channels a sequence may send on (the marketing sender checks consent and reach). */
export const SEQUENCE_CHANNELS = ['email', 'telegram', 'webchat', 'whatsapp'] as const;
export type SequenceChannel = (typeof SEQUENCE_CHANNELS)[number];

export const SEQUENCE_EXITS = ['reply', 'conversion', 'unsubscribe'] as const;
export type SequenceExit = (typeof SEQUENCE_EXITS)[number];

export const ENROLMENT_STATUSES = ['active', 'completed', 'exited', 'stopped'] as const;
export type EnrolmentStatus = (typeof ENROLMENT_STATUSES)[number];

export const MAX_STEPS = 20;
const WEEKDAYS = [0, 1, 2, 3, 4, 5, 6] as const;

export const sequenceTriggerSchema = z
  .discriminatedUnion('type', [
    z.object({ type: z.literal('lead.created') }).strict(),
    z.object({ type: z.literal('lead.status'), status: z.enum(LEAD_STATUSES) }).strict(),
    z.object({ type: z.literal('case.resolved') }).strict(),
    z
      .object({
        type: z.literal('tag.added'),
        tag: z.string().trim().toLowerCase().min(1).max(40),
      })
      .strict(),
    z
      .object({ type: z.literal('segment.entered'), segmentId: z.string().regex(/^[0-9a-f]{24}$/) })
      .strict(),
  ])
  .meta({ id: 'SequenceTrigger' });
export type SequenceTrigger = z.infer<typeof sequenceTriggerSchema>;

const messageText = z.string().trim().min(1, 'must not be empty').max(4000);
export const sequenceMessageSchema = z
  .object({
    es: z.object({ subject: z.string().trim().max(200).optional(), text: messageText }).optional(),
    en: z.object({ subject: z.string().trim().max(200).optional(), text: messageText }).optional(),
  })
  .strict()
  .refine((m) => m.es || m.en, 'a message in Spanish, English or both');
export type SequenceMessage = z.infer<typeof sequenceMessageSchema>;

const hhmm = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'HH:MM, 24-hour');

/**
 * One step. `wait`: N days, or until the next weekday and time (UTC); `send`: a message on a
 * channel; `branch`: go to step `goto` (0-based; the step count = the end) when the condition
 * holds, else carry on.
 */
export const sequenceStepSchema = z
  .discriminatedUnion('kind', [
    z
      .object({
        kind: z.literal('wait'),
        days: z.number().min(0).max(365).optional(),
        until: z
          .object({ weekday: z.union(WEEKDAYS.map((d) => z.literal(d))), time: hhmm })
          .optional(),
      })
      .strict()
      .refine((s) => (s.days === undefined) !== (s.until === undefined), 'days or until, not both'),
    z
      .object({
        kind: z.literal('send'),
        channel: z.enum(SEQUENCE_CHANNELS),
        message: sequenceMessageSchema,
      })
      .strict(),
    z
      .object({
        kind: z.literal('branch'),
        when: z.discriminatedUnion('on', [
          z.object({ on: z.literal('replied') }).strict(),
          z.object({ on: z.literal('lead_status'), status: z.enum(LEAD_STATUSES) }).strict(),
        ]),
        goto: z.number().int().min(0).max(MAX_STEPS),
      })
      .strict(),
  ])
  .meta({ id: 'SequenceStep' });
export type SequenceStep = z.infer<typeof sequenceStepSchema>;

const name = z.string().trim().min(1, 'must not be empty').max(120);
const steps = z
  .array(sequenceStepSchema)
  .min(1, 'at least one step')
  .max(MAX_STEPS)
  .refine((list) => list.every((s) => s.kind !== 'branch' || s.goto <= list.length), {
    message: 'a branch goes to a step that does not exist',
  });

export const sequenceCreateBody = z
  .object({
    name,
    trigger: sequenceTriggerSchema,
    steps,
    exitOn: z.array(z.enum(SEQUENCE_EXITS)).default([...SEQUENCE_EXITS]),
    active: z.boolean().default(true),
  })
  .strict();
export const sequenceUpdateBody = z
  .object({
    name: name.optional(),
    trigger: sequenceTriggerSchema.optional(),
    steps: steps.optional(),
    exitOn: z.array(z.enum(SEQUENCE_EXITS)).optional(),
    active: z.boolean().optional(),
  })
  .strict()
  .refine((b) => Object.keys(b).length > 0, 'nothing to change');

export const sequenceSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    trigger: sequenceTriggerSchema,
    steps: z.array(sequenceStepSchema),
    exitOn: z.array(z.enum(SEQUENCE_EXITS)),
    active: z.boolean(),
    /** Contacts per enrolment status. */
    counts: z.object({
      active: z.number().int(),
      completed: z.number().int(),
      exited: z.number().int(),
      stopped: z.number().int(),
    }),
    updatedAt: z.string().nullable(),
  })
  .meta({ id: 'Sequence' });
export type SequenceView = z.infer<typeof sequenceSchema>;

export const enrolmentSchema = z
  .object({
    id: z.string(),
    sequenceId: z.string(),
    sequenceName: z.string(),
    contactId: z.string(),
    /** The customer's name (contact, else lead), null when none is known. */
    contactName: z.string().nullable(),
    status: z.enum(ENROLMENT_STATUSES),
    /** The step it is at (0-based), or the step count when finished. */
    step: z.number().int(),
    nextAt: z.string().nullable(),
    /** Why it ended: `replied`, `converted`, `unsubscribed`, `stopped by staff`, `completed`… */
    reason: z.string().nullable(),
    history: z.array(
      z.object({ at: z.string(), step: z.number().int(), event: z.string(), detail: z.string() }),
    ),
    enrolledAt: z.string(),
  })
  .meta({ id: 'SequenceEnrolment' });
export type EnrolmentView = z.infer<typeof enrolmentSchema>;

export const sequenceIdParams = z.object({ id: z.string().regex(/^[0-9a-f]{24}$/, 'an id') });
export const enrolmentParams = z.object({
  id: z.string().regex(/^[0-9a-f]{24}$/, 'an id'),
  enrolmentId: z.string().regex(/^[0-9a-f]{24}$/, 'an id'),
});
export const contactIdParams = z.object({ id: z.string().regex(/^[0-9a-f]{24}$/, 'an id') });
export const enrolBody = z.object({ contactId: z.string().regex(/^[0-9a-f]{24}$/) }).strict();
export const languageOf = (l: unknown): (typeof LOCALES)[number] => (l === 'en' ? 'en' : 'es');

export const sequenceEndpoints = {
  'GET /api/sequences': { response: pageOf(sequenceSchema) },
  'POST /api/sequences': { body: sequenceCreateBody, response: sequenceSchema },
  'GET /api/sequences/:id': { response: sequenceSchema },
  'PATCH /api/sequences/:id': { body: sequenceUpdateBody, response: sequenceSchema },
  'DELETE /api/sequences/:id': { response: z.null() },
  'GET /api/sequences/:id/enrolments': { response: pageOf(enrolmentSchema) },
  'POST /api/sequences/:id/enrolments': { body: enrolBody, response: enrolmentSchema },
  'POST /api/sequences/:id/enrolments/:enrolmentId/stop': { response: enrolmentSchema },
  'GET /api/contacts/:id/sequences': { response: z.object({ items: z.array(enrolmentSchema) }) },
} as const satisfies Endpoints;
