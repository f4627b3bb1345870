/**
 * Validation of studio edits: one intent or flow (shape, with localized `{path, message}`
 * details) and a whole draft (every definition plus the references between them), which is what
 * publishing requires.
 */
import type { Locale } from '../../kernel/contracts/messages.js';
import type { IntentDefinition } from '../../kernel/contracts/nlu.js';
import { flowSchema, type FlowDefinition } from '../../pipeline/flows/schema.js';
import { issueText, localizeIssues, type IssueDetail } from './issues.js';
import { intentSchema } from '../../pipeline/catalogue/schema.js';

export type DefinitionKind = 'intent' | 'flow';

export type Checked<T> = { ok: true; value: T } | { ok: false; details: IssueDetail[] };

/**
 * Validates one definition sent for `name` (the body's `name` may be left out; when present it
 * must be `name`).
 */
export function checkDefinition(
  kind: 'intent',
  name: string,
  input: unknown,
  locale: Locale,
): Checked<IntentDefinition>;
export function checkDefinition(
  kind: 'flow',
  name: string,
  input: unknown,
  locale: Locale,
): Checked<FlowDefinition>;
export function checkDefinition(
  kind: DefinitionKind,
  name: string,
  input: unknown,
  locale: Locale,
): Checked<IntentDefinition | FlowDefinition> {
  const body =
    input && typeof input === 'object' && !Array.isArray(input)
      ? (input as Record<string, unknown>)
      : input;
  if (body && typeof body === 'object' && !Array.isArray(body)) {
    const given = (body as Record<string, unknown>).name;
    if (given !== undefined && given !== name) {
      return {
        ok: false,
        details: [
          {
            path: 'name',
            message: issueText('nameMismatch', locale, { body: String(given), path: name }),
          },
        ],
      };
    }
  }
  const withName =
    body && typeof body === 'object' && !Array.isArray(body) ? { ...body, name } : body;
  const schema = kind === 'intent' ? intentSchema : flowSchema;
  const parsed = schema.safeParse(withName);
  if (parsed.success) return { ok: true, value: parsed.data };
  return { ok: false, details: localizeIssues(parsed.error, locale) };
}

export interface CatalogueDraftContent {
  intents: unknown[];
  flows: unknown[];
}

/**
 * Every problem that keeps a draft from going live: definitions that no longer validate (stored
 * before a schema change) and intents that start a missing flow. Paths are
 * `intents.<name>.<field>` / `flows.<name>.<field>`.
 */
export function draftProblems(draft: CatalogueDraftContent, locale: Locale): IssueDetail[] {
  const problems: IssueDetail[] = [];
  const intents: IntentDefinition[] = [];
  const flowNames = new Set<string>();
  for (const raw of draft.flows) {
    const name = String((raw as { name?: unknown }).name ?? '');
    const parsed = flowSchema.safeParse(raw);
    if (parsed.success) flowNames.add(parsed.data.name);
    else problems.push(...localizeIssues(parsed.error, locale, `flows.${name}`));
  }
  for (const raw of draft.intents) {
    const name = String((raw as { name?: unknown }).name ?? '');
    const parsed = intentSchema.safeParse(raw);
    if (parsed.success) intents.push(parsed.data);
    else problems.push(...localizeIssues(parsed.error, locale, `intents.${name}`));
  }
  if (draft.intents.length === 0)
    problems.push({ path: 'intents', message: issueText('noIntents', locale) });
  for (const intent of intents) {
    if (intent.action?.type === 'flow' && !flowNames.has(intent.action.flow)) {
      problems.push({
        path: `intents.${intent.name}.action.flow`,
        message: issueText('missingFlow', locale, {
          intent: intent.name,
          flow: intent.action.flow,
        }),
      });
    }
  }
  return problems;
}

/** The draft's definitions parsed (defaults applied); call after `draftProblems` found none. */
export function parseDraft(draft: CatalogueDraftContent): {
  intents: IntentDefinition[];
  flows: FlowDefinition[];
} {
  return {
    intents: draft.intents.map((i) => intentSchema.parse(i)),
    flows: draft.flows.map((f) => flowSchema.parse(f)),
  };
}
