/**
 * Lead scoring rules as data: the YAML an admin edits (scoring/rules.yaml seeds it), validated
 * with zod. Every rule has an id, points (negative allowed), a label in Spanish and English (the
 * reason shown beside the score) and exactly one condition.
 */
import { parse as parseYaml, YAMLParseError } from 'yaml';
import { z } from 'zod';
import { CHANNEL_IDS } from '../../../kernel/contracts/messages.js';
import { LEAD_STATUSES } from '../../../kernel/db/models/lead.js';

export const SCORED_FIELDS = ['name', 'email', 'phone', 'company', 'interest'] as const;

const names = z.array(z.string().trim().min(1).max(100)).min(1).max(50);

export const conditionSchema = z.union([
  z.object({ field: z.enum(SCORED_FIELDS) }).strict(),
  z.object({ intent: names }).strict(),
  z.object({ returnedWithinDays: z.number().int().min(1).max(365) }).strict(),
  z.object({ consent: z.boolean() }).strict(),
  z.object({ channel: z.array(z.enum(CHANNEL_IDS)).min(1) }).strict(),
  z.object({ tag: z.string().trim().min(1).max(50) }).strict(),
  z.object({ status: z.array(z.enum(LEAD_STATUSES)).min(1) }).strict(),
]);

const label = z
  .object({ en: z.string().trim().min(1).max(80), es: z.string().trim().min(1).max(80) })
  .strict();

export const ruleSchema = z
  .object({
    id: z
      .string()
      .regex(/^[a-z0-9_-]{1,40}$/, 'lowercase letters, digits, _ or -, at most 40')
      .describe('unique rule id'),
    points: z.number().int().min(-100).max(100),
    label,
    when: conditionSchema,
  })
  .strict();

export const rulesSchema = z
  .object({ rules: z.array(ruleSchema).max(100) })
  .strict()
  .superRefine((value, ctx) => {
    const seen = new Set<string>();
    value.rules.forEach((rule, i) => {
      if (seen.has(rule.id)) {
        ctx.addIssue({ code: 'custom', path: ['rules', i, 'id'], message: 'duplicate rule id' });
      }
      seen.add(rule.id);
    });
  });

export type ScoringRule = z.infer<typeof ruleSchema>;
export type ScoringRules = z.infer<typeof rulesSchema>;
export type RuleCondition = z.infer<typeof conditionSchema>;

export interface RulesProblem {
  /** `rules.2.points`, or `yaml` for a syntax error. */
  path: string;
  message: string;
  /** 1-based line of a YAML syntax error, when known. */
  line?: number;
}

/** The rules in `text`, or the problems that keep it from being valid. */
export function parseRules(
  text: string,
): { ok: true; rules: ScoringRules } | { ok: false; problems: RulesProblem[] } {
  let data: unknown;
  try {
    data = parseYaml(text, { prettyErrors: true });
  } catch (err) {
    const line = err instanceof YAMLParseError ? err.linePos?.[0]?.line : undefined;
    return { ok: false, problems: [{ path: 'yaml', message: (err as Error).message, line }] };
  }
  const parsed = rulesSchema.safeParse(data ?? {});
  if (!parsed.success) {
    return {
      ok: false,
      problems: parsed.error.issues.map((i) => ({
        path: i.path.join('.') || '(root)',
        message: i.message,
      })),
    };
  }
  return { ok: true, rules: parsed.data };
}
