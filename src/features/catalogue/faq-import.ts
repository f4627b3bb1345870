/**
 * FAQ in bulk: question/answer pairs from CSV (csv-parse) into answer intents of the draft.
 *
 * Columns (header row, any order, case-insensitive): `intent`, `question_es`, `question_en`,
 * `answer_es`, `answer_en`. Question variants are separated by `|` or given on repeated rows of
 * the same intent; answers likewise (each one is an answer variant the bot rotates through). An
 * empty `intent` is named from the row's first question (`faq_<words>`). An intent already in
 * the draft gets the new phrases added and, for each language the CSV answers, its answers
 * replaced; a new one becomes `action: answer`. Each intent is validated as a whole: rows of an
 * intent that does not validate are reported as errors and nothing of it is saved.
 */
import { parse } from 'csv-parse/sync';
import type { Locale } from '../../kernel/contracts/messages.js';
import type { IntentDefinition } from '../../kernel/contracts/nlu.js';
import { normalizePhrase } from './report.js';
import { localizeIssues, type IssueDetail } from './issues.js';
import { intentSchema } from '../../pipeline/catalogue/schema.js';
import type { FaqImportReport, FaqRowResult } from './schemas.js';

export const FAQ_COLUMNS = ['intent', 'question_es', 'question_en', 'answer_es', 'answer_en'];
export const MAX_FAQ_ROWS = 2000;

export class FaqCsvError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FaqCsvError';
  }
}

interface FaqEntry {
  name: string;
  lines: number[];
  training: Record<Locale, string[]>;
  answers: Record<Locale, string[]>;
  errors: IssueDetail[];
}

const TEXTS = {
  header: {
    es: 'La primera fila debe nombrar las columnas; falta alguna de question_es / question_en (columnas: {columns}).',
    en: 'The first row must name the columns; question_es or question_en is missing (columns: {columns}).',
  },
  unreadable: {
    es: 'El CSV no se puede leer (línea {line}): {reason}',
    en: 'The CSV cannot be read (line {line}): {reason}',
  },
  tooMany: {
    es: 'Demasiadas filas: como máximo {max} por importación.',
    en: 'Too many rows: at most {max} per import.',
  },
  noName: {
    es: 'Falta el nombre de la intención y no hay ninguna pregunta de la que sacarlo.',
    en: 'The intent name is missing and there is no question to derive it from.',
  },
  notAnswer: {
    es: 'La intención "{name}" no responde con un texto (su acción es {action}): importa las preguntas en otra intención.',
    en: 'Intent "{name}" does not answer with a text (its action is {action}): import the questions into another intent.',
  },
} satisfies Record<string, Record<Locale, string>>;

const say = (key: keyof typeof TEXTS, locale: Locale, vars: Record<string, string | number>) =>
  TEXTS[key][locale].replace(/\{(\w+)\}/g, (m, k: string) => (k in vars ? String(vars[k]) : m));

const splitVariants = (cell: string | undefined) =>
  (cell ?? '')
    .split('|')
    .map((s) => s.trim())
    .filter((s) => s !== '');

/** `¿Cuánto cuesta el envío?` → `faq_cuanto_cuesta_el_envio` (at most 40 characters). */
export function faqIntentName(question: string): string {
  const words = normalizePhrase(question)
    .split(' ')
    .map((w) => w.replace(/[^a-z0-9]/g, ''))
    .filter(Boolean);
  let name = 'faq';
  for (const w of words) {
    if (`${name}_${w}`.length > 40) break;
    name = `${name}_${w}`;
  }
  return name;
}

function addUnique(list: string[], items: string[]) {
  const seen = new Set(list.map(normalizePhrase));
  for (const item of items) {
    const key = normalizePhrase(item);
    if (seen.has(key)) continue;
    seen.add(key);
    list.push(item);
  }
}

function readRows(
  csv: string,
  locale: Locale,
): Array<{ line: number; cells: Record<string, string> }> {
  let records: Array<{ record: Record<string, string>; info: { lines: number } }>;
  try {
    records = parse(csv, {
      bom: true,
      columns: (header: string[]) => header.map((h) => h.trim().toLowerCase()),
      skip_empty_lines: true,
      trim: true,
      relax_column_count: true,
      info: true,
    }) as unknown as typeof records;
  } catch (err) {
    const e = err as { lines?: number; message?: string };
    throw new FaqCsvError(
      say('unreadable', locale, { line: e.lines ?? '?', reason: e.message ?? String(err) }),
    );
  }
  const columns = records[0] ? Object.keys(records[0].record) : [];
  if (records.length > 0 && !columns.includes('question_es') && !columns.includes('question_en')) {
    throw new FaqCsvError(say('header', locale, { columns: FAQ_COLUMNS.join(', ') }));
  }
  if (records.length > MAX_FAQ_ROWS) {
    throw new FaqCsvError(say('tooMany', locale, { max: MAX_FAQ_ROWS }));
  }
  return records.map((r) => ({ line: r.info.lines, cells: r.record }));
}

/** Groups the rows by intent, collecting question and answer variants per language. */
function collect(rows: ReturnType<typeof readRows>) {
  const entries = new Map<string, FaqEntry>();
  const rowsOut: Array<{ line: number; name: string }> = [];
  for (const { line, cells } of rows) {
    const qEs = splitVariants(cells.question_es);
    const qEn = splitVariants(cells.question_en);
    const name = (cells.intent ?? '').trim() || faqIntentName(qEn[0] ?? qEs[0] ?? '');
    if (name === 'faq') {
      rowsOut.push({ line, name: '' });
      continue;
    }
    const entry = entries.get(name) ?? {
      name,
      lines: [],
      training: { es: [], en: [] },
      answers: { es: [], en: [] },
      errors: [],
    };
    entry.lines.push(line);
    addUnique(entry.training.es, qEs);
    addUnique(entry.training.en, qEn);
    addUnique(entry.answers.es, splitVariants(cells.answer_es));
    addUnique(entry.answers.en, splitVariants(cells.answer_en));
    entries.set(name, entry);
    rowsOut.push({ line, name });
  }
  return { entries, rowsOut };
}

/** The intent the entry makes of `existing` (or a new answer intent), or its problems. */
function merge(
  entry: FaqEntry,
  existing: IntentDefinition | undefined,
  locale: Locale,
): { ok: true; intent: IntentDefinition } | { ok: false; errors: IssueDetail[] } {
  const action = existing?.action ?? { type: 'answer' as const };
  if (action.type !== 'answer') {
    return {
      ok: false,
      errors: [
        {
          path: 'intent',
          message: say('notAnswer', locale, { name: entry.name, action: action.type }),
        },
      ],
    };
  }
  const training = {
    es: [...(existing?.training.es ?? [])],
    en: [...(existing?.training.en ?? [])],
  };
  addUnique(training.es, entry.training.es);
  addUnique(training.en, entry.training.en);
  const answers = {
    es: entry.answers.es.length ? entry.answers.es : (existing?.answers?.es ?? []),
    en: entry.answers.en.length ? entry.answers.en : (existing?.answers?.en ?? []),
  };
  const parsed = intentSchema.safeParse({ name: entry.name, action, training, answers });
  if (!parsed.success) return { ok: false, errors: localizeIssues(parsed.error, locale) };
  return { ok: true, intent: parsed.data };
}

/**
 * Applies the CSV to `intents` (the draft's, changed in place) and reports per row. Throws
 * FaqCsvError when the CSV itself cannot be read.
 */
export function importFaq(
  csv: string,
  intents: IntentDefinition[],
  locale: Locale,
): FaqImportReport {
  const { entries, rowsOut } = collect(readRows(csv, locale));
  const outcome = new Map<
    string,
    { status: 'created' | 'updated' | 'error'; errors?: IssueDetail[] }
  >();
  for (const entry of entries.values()) {
    const index = intents.findIndex((i) => i.name === entry.name);
    const merged = merge(entry, index >= 0 ? intents[index] : undefined, locale);
    if (!merged.ok) {
      outcome.set(entry.name, { status: 'error', errors: merged.errors });
      continue;
    }
    if (index >= 0) intents[index] = merged.intent;
    else intents.push(merged.intent);
    outcome.set(entry.name, { status: index >= 0 ? 'updated' : 'created' });
  }
  const rows: FaqRowResult[] = rowsOut.map(({ line, name }) => {
    if (!name) {
      return {
        line,
        intent: '',
        status: 'error',
        errors: [{ path: 'intent', message: say('noName', locale, {}) }],
      };
    }
    const o = outcome.get(name)!;
    return { line, intent: name, status: o.status, ...(o.errors ? { errors: o.errors } : {}) };
  });
  const names = (s: string) => [...outcome].filter(([, o]) => o.status === s).map(([n]) => n);
  return { created: names('created'), updated: names('updated'), rows };
}
