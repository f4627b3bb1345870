/**
 * The schema of a flow definition (flows/*.yaml, and admin-edited versions in MongoDB). A flow asks
 * for slots one by one, optionally confirms a summary, then runs one completion action.
 */
import { z } from 'zod';

/** A text in both languages the product speaks. */
export const localizedText = z.object({
  es: z.string().trim().min(1, 'Spanish text is empty'),
  en: z.string().trim().min(1, 'English text is empty'),
});
export type LocalizedText = z.infer<typeof localizedText>;

export const SLOT_TYPES = [
  'name',
  'email',
  'phone',
  'company',
  'text',
  'time',
  'confirm',
  /** A marketing opt-in: yes grants, no / skip / unclear after maxAttempts is no (a boolean). */
  'consent',
] as const;
export type SlotType = (typeof SLOT_TYPES)[number];

export const COMPLETION_ACTIONS = [
  'create_lead',
  'create_case',
  'create_callback',
  'send_transcript',
  'escalate',
  'none',
] as const;
export type CompletionAction = (typeof COMPLETION_ACTIONS)[number];

const slotName = z
  .string()
  .regex(/^[a-z][a-z0-9_]*$/, 'slot names are lower_snake_case (e.g. preferred_time)');

export const slotSchema = z
  .object({
    name: slotName,
    type: z.enum(SLOT_TYPES),
    required: z.boolean().default(true),
    /** Not asked when the contact already has this value (e.g. email known from an earlier lead). */
    skipIfKnown: z.boolean().default(false),
    /** How the slot reads in the confirmation summary. */
    label: localizedText,
    prompt: localizedText,
    /** Asked after an answer that does not validate. */
    reprompt: localizedText,
    /** For a `confirm` slot: what is said when the customer answers no (the flow ends). */
    declined: localizedText.optional(),
  })
  .strict()
  .refine((s) => s.type !== 'confirm' || s.declined !== undefined, {
    message: 'a confirm slot needs a `declined` text (said when the customer answers no)',
    path: ['declined'],
  });
export type SlotDefinition = z.infer<typeof slotSchema>;

export const flowSchema = z
  .object({
    name: z.string().regex(/^[a-z][a-z0-9_]*$/, 'flow names are lower_snake_case'),
    description: z.string().optional(),
    slots: z.array(slotSchema).default([]),
    /** Invalid answers allowed per slot before `onMaxAttempts` applies. */
    maxAttempts: z.number().int().min(1).max(10).default(3),
    /** What happens after too many invalid answers to a required slot (optional slots are skipped). */
    onMaxAttempts: z.enum(['cancel', 'escalate']).default('cancel'),
    /** A recognised intent mid-flow: answer it and ask the slot again, or leave the flow for it. */
    onIntent: z.enum(['reask', 'leave']).default('reask'),
    confirmation: z
      .object({
        /** `{summary}` is replaced by the captured slots, one `label: value` per line. */
        prompt: localizedText,
        reprompt: localizedText,
        /**
         * `choose` asks which detail to change (buttons) and keeps the rest; `restart` asks every
         * slot again; `cancel` leaves the flow.
         */
        onReject: z.enum(['choose', 'restart', 'cancel']).default('choose'),
        rejected: localizedText,
      })
      .strict()
      .optional(),
    completion: z
      .object({
        action: z.enum(COMPLETION_ACTIONS),
        /** `{slot}` placeholders, plus `{number}` for actions that open a case. */
        messages: localizedText,
      })
      .strict(),
  })
  .strict()
  .superRefine((flow, ctx) => {
    const seen = new Set<string>();
    flow.slots.forEach((slot, i) => {
      if (seen.has(slot.name)) {
        ctx.addIssue({
          code: 'custom',
          path: ['slots', i, 'name'],
          message: `slot "${slot.name}" is defined twice`,
        });
      }
      seen.add(slot.name);
    });
    if (flow.confirmation && seen.has('confirm')) {
      ctx.addIssue({
        code: 'custom',
        path: ['slots'],
        message: 'a slot named "confirm" clashes with the confirmation step',
      });
    }
    const placeholders = [
      ...[flow.completion.messages.es, flow.completion.messages.en].flatMap((t) =>
        [...t.matchAll(/\{(\w+)\}/g)].map((m) => m[1]),
      ),
    ];
    for (const p of placeholders) {
      if (p && p !== 'number' && !seen.has(p)) {
        ctx.addIssue({
          code: 'custom',
          path: ['completion', 'messages'],
          message: `placeholder {${p}} is not a slot of this flow`,
        });
      }
    }
  });
export type FlowDefinition = z.infer<typeof flowSchema>;

export class FlowDefinitionError extends Error {
  constructor(
    readonly source: string,
    readonly issues: string[],
  ) {
    super(`Invalid flow definition ${source}:\n  - ${issues.join('\n  - ')}`);
    this.name = 'FlowDefinitionError';
  }
}

/** Formats zod issues as `path: message` lines an admin can act on. */
export function describeIssues(error: z.ZodError): string[] {
  return error.issues.map((i) => `${i.path.length ? i.path.join('.') : '(root)'}: ${i.message}`);
}

/** Validates a parsed flow document; throws FlowDefinitionError naming each problem. */
export function parseFlowDefinition(input: unknown, source = 'flow'): FlowDefinition {
  const res = flowSchema.safeParse(input);
  if (!res.success) throw new FlowDefinitionError(source, describeIssues(res.error));
  return res.data;
}
