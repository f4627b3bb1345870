/**
 * Validation problems of a catalogue definition as `{path, message}` an admin can act on, in the
 * admin's language: each message names what is wrong and how to fix it. zod's own texts (and the
 * English custom messages of the schemas) are replaced here, by issue code.
 */
import type { z } from 'zod';
import type { Locale } from '../../kernel/contracts/messages.js';

export interface IssueDetail {
  /** Dotted path inside the definition, e.g. `training.es` or `slots.0.prompt.en`. */
  path: string;
  message: string;
}

type Texts = Record<Locale, string>;
/** Fills `{key}`; unknown keys stay as written (`{number}` is a placeholder admins type). */
const fmt = (template: string, vars: Record<string, string | number>) =>
  template.replace(/\{(\w+)\}/g, (m, k: string) => (k in vars ? String(vars[k]) : m));

const T = {
  snakeCase: {
    es: 'Usa minúsculas, números y guiones bajos, empezando por una letra (por ejemplo: horario_verano).',
    en: 'Use lower-case letters, digits and underscores, starting with a letter (for example: summer_hours).',
  },
  format: {
    es: 'El formato no es válido.',
    en: 'The format is not valid.',
  },
  required: {
    es: 'Falta este campo: añádelo ({expected}).',
    en: 'This field is missing: add it ({expected}).',
  },
  wrongType: {
    es: 'Debe ser {expected}, no {received}.',
    en: 'It must be {expected}, not {received}.',
  },
  emptyText: {
    es: 'El texto está vacío: escríbelo.',
    en: 'The text is empty: write it.',
  },
  tooFewItems: {
    es: 'Añade al menos {minimum} (ahora hay menos).',
    en: 'Add at least {minimum} (there are fewer now).',
  },
  tooFewPhrases: {
    es: 'Añade al menos una frase.',
    en: 'Add at least one phrase.',
  },
  tooSmallNumber: {
    es: 'Debe ser como mínimo {minimum}.',
    en: 'It must be at least {minimum}.',
  },
  tooBigNumber: {
    es: 'Debe ser como máximo {maximum}.',
    en: 'It must be at most {maximum}.',
  },
  tooBig: {
    es: 'Es demasiado largo: como máximo {maximum}.',
    en: 'It is too long: at most {maximum}.',
  },
  notInteger: { es: 'Debe ser un número entero.', en: 'It must be a whole number.' },
  unknownKeys: {
    es: 'Campo desconocido: {keys}. Quítalo o revisa cómo está escrito.',
    en: 'Unknown field: {keys}. Remove it or check its spelling.',
  },
  oneOf: {
    es: 'Debe ser uno de: {values}.',
    en: 'It must be one of: {values}.',
  },
  actionType: {
    es: 'Elige un tipo de acción: answer (responder), flow (iniciar un flujo) o builtin (acción integrada).',
    en: 'Choose an action type: answer, flow (start a flow) or builtin (a built-in action).',
  },
  invalid: { es: 'El valor no es válido.', en: 'The value is not valid.' },
  answersNeeded: {
    es: 'Una intención que responde necesita respuestas en español y en inglés: añade `answers.es` y `answers.en`.',
    en: 'An intent that answers needs answers in Spanish and English: add `answers.es` and `answers.en`.',
  },
  declinedNeeded: {
    es: 'Un paso de confirmación necesita el texto `declined` (lo que se dice si el cliente responde que no).',
    en: 'A confirm slot needs a `declined` text (what is said when the customer answers no).',
  },
  slotTwice: {
    es: 'El campo "{name}" está definido dos veces: cambia el nombre de uno.',
    en: 'Slot "{name}" is defined twice: rename one of them.',
  },
  confirmClash: {
    es: 'Un campo llamado "confirm" choca con el paso de confirmación: cámbiale el nombre.',
    en: 'A slot named "confirm" clashes with the confirmation step: rename it.',
  },
  placeholder: {
    es: 'El marcador {{name}} no es un campo de este flujo: usa uno de sus campos o {number}.',
    en: 'Placeholder {{name}} is not a slot of this flow: use one of its slots or {number}.',
  },
  nameMismatch: {
    es: 'El nombre del cuerpo ("{body}") no coincide con el de la dirección ("{path}"): usa el mismo.',
    en: 'The name in the body ("{body}") differs from the one in the address ("{path}"): use the same.',
  },
  missingFlow: {
    es: 'La intención "{intent}" inicia el flujo "{flow}", que no existe en el borrador: créalo o elige otro flujo.',
    en: 'Intent "{intent}" starts flow "{flow}", which is not in the draft: create it or choose another flow.',
  },
  noIntents: {
    es: 'El borrador no tiene ninguna intención: añade al menos una.',
    en: 'The draft has no intents: add at least one.',
  },
  invalidDefinition: {
    es: 'La definición guardada de "{name}" ya no es válida: {problem}',
    en: 'The stored definition of "{name}" is no longer valid: {problem}',
  },
} satisfies Record<string, Texts>;

export type IssueTextKey = keyof typeof T;

/** A catalogue-level problem text (not a zod issue), filled with `vars`. */
export function issueText(
  key: IssueTextKey,
  locale: Locale,
  vars: Record<string, string | number> = {},
): string {
  // `{{name}}` renders as `{value}`: the inner placeholder is filled, the outer braces stay.
  return fmt(T[key][locale], vars);
}

const TYPE_NAMES: Record<string, Texts> = {
  string: { es: 'un texto', en: 'a text' },
  number: { es: 'un número', en: 'a number' },
  boolean: { es: 'verdadero o falso', en: 'true or false' },
  array: { es: 'una lista', en: 'a list' },
  object: { es: 'un objeto', en: 'an object' },
  undefined: { es: 'nada', en: 'nothing' },
  null: { es: 'nulo', en: 'null' },
};
const typeName = (t: string, locale: Locale) => TYPE_NAMES[t]?.[locale] ?? t;

function received(input: unknown): string {
  if (input === null) return 'null';
  if (Array.isArray(input)) return 'array';
  return typeof input;
}

/** The custom (English) messages the schemas raise, matched to their translation. */
const CUSTOM: Array<{ match: RegExp; text: (m: RegExpMatchArray, l: Locale) => string }> = [
  { match: /needs answers in es and en/, text: (_m, l) => issueText('answersNeeded', l) },
  { match: /confirm slot needs a `declined`/, text: (_m, l) => issueText('declinedNeeded', l) },
  {
    match: /^slot "(.+)" is defined twice/,
    text: (m, l) => issueText('slotTwice', l, { name: m[1]! }),
  },
  { match: /clashes with the confirmation step/, text: (_m, l) => issueText('confirmClash', l) },
  {
    match: /^placeholder \{(\w+)\} is not a slot/,
    text: (m, l) => issueText('placeholder', l, { name: m[1]! }),
  },
];

function describe(issue: z.core.$ZodIssue, locale: Locale): string {
  const last = issue.path.at(-1);
  switch (issue.code) {
    case 'invalid_type':
      if (issue.input === undefined) {
        return issueText('required', locale, { expected: typeName(issue.expected, locale) });
      }
      return issueText('wrongType', locale, {
        expected: typeName(issue.expected, locale),
        received: typeName(received(issue.input), locale),
      });
    case 'too_small':
      if (issue.origin === 'string') return issueText('emptyText', locale);
      if (issue.origin === 'array') {
        return issue.path[0] === 'training' || issue.path[0] === 'answers'
          ? issueText('tooFewPhrases', locale)
          : issueText('tooFewItems', locale, { minimum: Number(issue.minimum) });
      }
      return issueText('tooSmallNumber', locale, { minimum: Number(issue.minimum) });
    case 'too_big':
      return issue.origin === 'number'
        ? issueText('tooBigNumber', locale, { maximum: Number(issue.maximum) })
        : issueText('tooBig', locale, { maximum: Number(issue.maximum) });
    case 'invalid_format':
      return last === 'name' ? issueText('snakeCase', locale) : issueText('format', locale);
    case 'unrecognized_keys':
      return issueText('unknownKeys', locale, { keys: issue.keys.join(', ') });
    case 'invalid_value':
      return issueText('oneOf', locale, { values: issue.values.map(String).join(', ') });
    case 'invalid_union':
      return last === 'action' || issue.path.includes('action')
        ? issueText('actionType', locale)
        : issueText('invalid', locale);
    case 'custom': {
      for (const c of CUSTOM) {
        const m = issue.message.match(c.match);
        if (m) return c.text(m, locale);
      }
      return locale === 'en' ? issue.message : issueText('invalid', locale);
    }
    default:
      if (issue.code === 'not_multiple_of') return issueText('notInteger', locale);
      return issueText('invalid', locale);
  }
}

/** zod issues → `{path, message}` in `locale` (an empty path is the definition itself). */
export function localizeIssues(error: z.ZodError, locale: Locale, prefix = ''): IssueDetail[] {
  // One detail per unknown field, at that field, so an editor can point at it.
  const issues = error.issues.flatMap((issue): z.core.$ZodIssue[] =>
    issue.code === 'unrecognized_keys'
      ? issue.keys.map((key) => ({ ...issue, keys: [key], path: [...issue.path, key] }))
      : [issue],
  );
  const seen = new Set<string>();
  return issues.flatMap((issue): IssueDetail[] => {
    // An integer check surfaces as invalid_type with expected "int" in zod 4.
    const message =
      issue.code === 'invalid_type' && issue.expected === 'int'
        ? issueText('notInteger', locale)
        : describe(issue, locale);
    const path = [prefix, ...issue.path.map(String)].filter((p) => p !== '').join('.');
    // The same problem raised twice (a placeholder in both languages) is listed once.
    const key = `${path}\u0000${message}`;
    if (seen.has(key)) return [];
    seen.add(key);
    return [{ path, message }];
  });
}

/** `es` or `en` from an Accept-Language header (first supported language wins; default en). */
export function localeFromHeader(header: string | undefined, fallback: Locale = 'en'): Locale {
  if (!header) return fallback;
  const ranked = header
    .split(',')
    .map((part) => {
      const [tag = '', ...params] = part.trim().split(';');
      const q = params.find((p) => p.trim().startsWith('q='));
      return { lang: tag.trim().toLowerCase().slice(0, 2), q: q ? Number(q.split('=')[1]) : 1 };
    })
    .filter((r) => r.lang === 'es' || r.lang === 'en')
    .sort((a, b) => b.q - a.q);
  return (ranked[0]?.lang as Locale | undefined) ?? fallback;
}
