/**
 * Limits on what admins can put in the catalogue, so one publish cannot make every instance train
 * for minutes or store megabytes of definitions. They are checked when a definition is saved in
 * the draft (PUT) and on the whole draft when it is edited or published; breaking one answers 400
 * `limit_exceeded` with the limit and the count in the admin's language. Documented in the
 * catalogue README; the shipped catalogue uses a fraction of each.
 */
import type { Locale } from '../../kernel/contracts/messages.js';
import type { IntentDefinition } from '../../kernel/contracts/nlu.js';
import type { IssueDetail } from './issues.js';

export const CATALOGUE_LIMITS = {
  /** Intents in the catalogue. */
  intents: 100,
  /** Flows in the catalogue. */
  flows: 30,
  /** Training phrases of one intent in one language. */
  phrasesPerLanguage: 400,
  /** Training phrases in the whole catalogue (training time grows with them). */
  phrases: 12_000,
  /** Characters in one training phrase. */
  phraseLength: 300,
  /** Slots (questions) in one flow. */
  slots: 20,
  /** Characters of one flow's definition as JSON (its texts in both languages). */
  flowSize: 20_000,
} as const;

type Texts = Record<Locale, string>;
const T = {
  intents: {
    es: 'Hay demasiadas intenciones: como máximo {limit} (el borrador tendría {count}).',
    en: 'Too many intents: at most {limit} (the draft would have {count}).',
  },
  flows: {
    es: 'Hay demasiados flujos: como máximo {limit} (el borrador tendría {count}).',
    en: 'Too many flows: at most {limit} (the draft would have {count}).',
  },
  phrasesPerLanguage: {
    es: 'Demasiadas frases de entrenamiento: como máximo {limit} por idioma (hay {count}).',
    en: 'Too many training phrases: at most {limit} per language (there are {count}).',
  },
  phrases: {
    es: 'El catálogo tendría demasiadas frases de entrenamiento: como máximo {limit} en total (tendría {count}).',
    en: 'The catalogue would have too many training phrases: at most {limit} in all (it would have {count}).',
  },
  phraseLength: {
    es: 'La frase es demasiado larga: como máximo {limit} caracteres (tiene {count}).',
    en: 'The phrase is too long: at most {limit} characters (it has {count}).',
  },
  slots: {
    es: 'El flujo tiene demasiados campos: como máximo {limit} (tiene {count}).',
    en: 'The flow has too many slots: at most {limit} (it has {count}).',
  },
  flowSize: {
    es: 'El flujo es demasiado grande: como máximo {limit} caracteres (tiene {count}).',
    en: 'The flow is too large: at most {limit} characters (it has {count}).',
  },
} satisfies Record<keyof typeof CATALOGUE_LIMITS, Texts>;

function problem(
  path: string,
  limit: keyof typeof CATALOGUE_LIMITS,
  count: number,
  locale: Locale,
): IssueDetail {
  const message = T[limit][locale]
    .replace('{limit}', CATALOGUE_LIMITS[limit].toLocaleString(locale))
    .replace('{count}', count.toLocaleString(locale));
  return { path, message };
}

const LOCALES: readonly Locale[] = ['es', 'en'];

/** Problems of one intent against the per-intent limits; `prefix` is prepended to paths. */
export function intentLimitProblems(
  intent: Pick<IntentDefinition, 'training'>,
  locale: Locale,
  prefix = '',
): IssueDetail[] {
  const problems: IssueDetail[] = [];
  for (const language of LOCALES) {
    const phrases = intent.training?.[language] ?? [];
    if (!Array.isArray(phrases)) continue;
    if (phrases.length > CATALOGUE_LIMITS.phrasesPerLanguage)
      problems.push(
        problem(`${prefix}training.${language}`, 'phrasesPerLanguage', phrases.length, locale),
      );
    phrases.forEach((text, i) => {
      if (typeof text === 'string' && text.length > CATALOGUE_LIMITS.phraseLength)
        problems.push(
          problem(`${prefix}training.${language}.${i}`, 'phraseLength', text.length, locale),
        );
    });
  }
  return problems;
}

/** Problems of one flow against the per-flow limits. */
export function flowLimitProblems(
  flow: { slots?: unknown },
  locale: Locale,
  prefix = '',
): IssueDetail[] {
  const problems: IssueDetail[] = [];
  const slots = Array.isArray(flow.slots) ? flow.slots.length : 0;
  if (slots > CATALOGUE_LIMITS.slots)
    problems.push(problem(`${prefix}slots`, 'slots', slots, locale));
  const size = JSON.stringify(flow).length;
  if (size > CATALOGUE_LIMITS.flowSize)
    problems.push(problem(prefix.replace(/\.$/, ''), 'flowSize', size, locale));
  return problems;
}

/** Every limit the draft breaks: counts of the whole catalogue and each definition's own. */
export function draftLimitProblems(
  draft: { intents: unknown[]; flows: unknown[] },
  locale: Locale,
): IssueDetail[] {
  const problems: IssueDetail[] = [];
  if (draft.intents.length > CATALOGUE_LIMITS.intents)
    problems.push(problem('intents', 'intents', draft.intents.length, locale));
  if (draft.flows.length > CATALOGUE_LIMITS.flows)
    problems.push(problem('flows', 'flows', draft.flows.length, locale));
  let phrases = 0;
  for (const raw of draft.intents) {
    const intent = raw as Partial<IntentDefinition>;
    for (const language of LOCALES) {
      const list = intent.training?.[language];
      if (Array.isArray(list)) phrases += list.length;
    }
    if (intent.training)
      problems.push(
        ...intentLimitProblems(intent as IntentDefinition, locale, `intents.${intent.name}.`),
      );
  }
  if (phrases > CATALOGUE_LIMITS.phrases)
    problems.push(problem('intents', 'phrases', phrases, locale));
  for (const raw of draft.flows) {
    const flow = raw as { name?: string; slots?: unknown };
    problems.push(...flowLimitProblems(flow, locale, `flows.${flow.name}.`));
  }
  return problems;
}
