/**
 * Reading a contacts CSV (csv-parse): the header row names the columns, a mapping says which
 * field each column fills (guessed from Spanish or English headers when the caller sends none),
 * and every data row becomes a candidate with its values read as the bot reads them — emails as
 * in a staff edit, phones in E.164 tried in the row's language regions then DEFAULT_COUNTRY —
 * and a list of what is wrong with it, per cell. Nothing here touches the database.
 */
import { parse } from 'csv-parse/sync';
import type { CountryCode } from 'libphonenumber-js';
import { invalid } from '../../kernel/errors.js';
import { parsePhone } from '../../pipeline/flows/slots.js';
import { plausibleRegions } from '../../pipeline/flows/regions.js';
import { readEmail } from './edits.js';
import { IMPORT_MAX_ROWS, type ContactImportRow, type ImportField } from './schemas.js';

export type RowError = ContactImportRow['errors'][number];

/** One data row, read. */
export interface Candidate {
  line: number;
  name?: string;
  emails: string[];
  phones: string[];
  tags: string[];
  notes?: string;
  locale?: 'es' | 'en';
  customFields: Record<string, string>;
  errors: RowError[];
}

export interface Column {
  header: string;
  field: ImportField;
}

const CUSTOM_FIELD_NAME = /^[\p{L}\p{N}][\p{L}\p{N} _.-]{0,39}$/u;
const LIMITS = { name: 200, notes: 5000, tag: 100, custom: 500 };

/** Header words (accents and case folded) → field. */
const GUESSES: Record<string, ImportField> = {};
const guess = (field: ImportField, words: string[]) => words.forEach((w) => (GUESSES[w] = field));
guess('name', [
  'name',
  'full name',
  'nombre',
  'nombre completo',
  'customer',
  'cliente',
  'contact',
  'contacto',
]);
guess('email', [
  'email',
  'e-mail',
  'mail',
  'email address',
  'correo',
  'correo electronico',
  'emails',
]);
guess('phone', [
  'phone',
  'phone number',
  'telephone',
  'mobile',
  'cell',
  'telefono',
  'movil',
  'celular',
  'tel',
  'whatsapp',
  'phones',
  'telefonos',
]);
guess('tags', ['tags', 'tag', 'labels', 'etiquetas', 'etiqueta']);
guess('notes', ['notes', 'note', 'comments', 'notas', 'nota', 'comentarios', 'observaciones']);
guess('language', ['language', 'lang', 'locale', 'idioma', 'lengua']);

const fold = (header: string) =>
  header
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[_\s]+/g, ' ')
    .trim();

export const guessField = (header: string): ImportField => GUESSES[fold(header)] ?? 'ignore';

const LANGUAGES: Record<string, 'es' | 'en'> = {
  es: 'es',
  spanish: 'es',
  espanol: 'es',
  castellano: 'es',
  en: 'en',
  english: 'en',
  ingles: 'en',
};

/** `es`, `en-GB`, `Español`, `English` → the locale; anything else → undefined. */
function languageOf(cell: string): 'es' | 'en' | undefined {
  const key = fold(cell);
  return LANGUAGES[key] ?? LANGUAGES[/^(es|en)[-_]/.exec(key)?.[1] ?? ''];
}

/** The separator of the header line: `,`, or `;` (spreadsheets in Spanish) or tab when more of them. */
function delimiterOf(csv: string): string {
  const end = csv.indexOf('\n');
  const head = end < 0 ? csv : csv.slice(0, end);
  const count = (d: string) => head.split(d).length - 1;
  return [';', '\t'].reduce((best, d) => (count(d) > count(best) ? d : best), ',');
}

/** The header row and the data rows with their line numbers; a 400 when unreadable or too long. */
export function readCsv(csv: string): {
  headers: string[];
  rows: Array<{ line: number; cells: string[] }>;
} {
  let records: Array<{ record: string[]; info: { lines: number } }>;
  try {
    records = parse(csv, {
      bom: true,
      delimiter: delimiterOf(csv),
      skip_empty_lines: true,
      trim: true,
      relax_column_count: true,
      info: true,
    }) as unknown as typeof records;
  } catch (err) {
    const e = err as { lines?: number };
    throw invalid('csv_unreadable', `The CSV cannot be read (line ${e.lines ?? '?'}).`);
  }
  const [head, ...data] = records;
  if (!head || data.length === 0) {
    throw invalid('csv_empty', 'The CSV needs a header row and at least one row of customers.');
  }
  if (data.length > IMPORT_MAX_ROWS) {
    throw invalid('too_many_rows', `At most ${IMPORT_MAX_ROWS} customers per import.`);
  }
  return {
    headers: head.record,
    rows: data.map((r) => ({ line: r.info.lines, cells: r.record })),
  };
}

/** The columns with their fields; the caller's mapping must name real headers. */
export function columnsOf(headers: string[], mapping?: Record<string, ImportField>): Column[] {
  if (mapping) {
    const unknown = Object.keys(mapping).filter((h) => !headers.includes(h));
    if (unknown.length) {
      throw invalid('unknown_column', `The file has no column "${unknown[0]}".`);
    }
  }
  const columns = headers.map((header) => ({
    header,
    field: mapping ? (mapping[header] ?? 'ignore') : guessField(header),
  }));
  for (const single of ['name', 'notes', 'language'] as const) {
    if (columns.filter((c) => c.field === single).length > 1) {
      throw invalid('column_mapped_twice', `Only one column can be the ${single}.`);
    }
  }
  return columns;
}

const split = (cell: string) =>
  cell
    .split(/[;,|\n]/)
    .map((v) => v.trim())
    .filter((v) => v !== '');

const shown = (v: string) => v.slice(0, 100);

/** Reads one row's cells into a candidate, noting each bad cell. */
export function readRow(
  line: number,
  cells: string[],
  columns: Column[],
  defaultCountry: CountryCode,
): Candidate {
  const c: Candidate = { line, emails: [], phones: [], tags: [], customFields: {}, errors: [] };
  const bad = (column: string, code: RowError['code'], value: string) =>
    c.errors.push({ column, code, value: shown(value) });
  const pending: Array<{ column: string; typed: string }> = [];
  columns.forEach(({ header, field }, i) => {
    const cell = cells[i]?.trim() ?? '';
    if (cell === '' || field === 'ignore') return;
    if (field === 'name' || field === 'notes') {
      if (cell.length > LIMITS[field]) bad(header, 'too_long', cell);
      else c[field] = cell;
    } else if (field === 'email') {
      for (const typed of split(cell)) {
        const email = readEmail(typed);
        if (email) c.emails.push(email);
        else bad(header, 'invalid_email', typed);
      }
    } else if (field === 'phone') {
      for (const typed of split(cell)) pending.push({ column: header, typed });
    } else if (field === 'tags') {
      for (const tag of split(cell)) {
        if (tag.length > LIMITS.tag) bad(header, 'too_long', tag);
        else c.tags.push(tag);
      }
    } else if (field === 'language') {
      const locale = languageOf(cell);
      if (locale) c.locale = locale;
      else bad(header, 'invalid_language', cell);
    } else if (!CUSTOM_FIELD_NAME.test(header.trim())) {
      bad(header, 'invalid_custom_field', header);
    } else if (cell.length > LIMITS.custom) {
      bad(header, 'too_long', cell);
    } else {
      c.customFields[header.trim()] = cell;
    }
  });
  // Phones last: a national number is read in the row's own language regions when it has one.
  const regions = plausibleRegions({ locale: c.locale ?? 'es', fallback: defaultCountry });
  for (const { column, typed } of pending) {
    const phone = parsePhone(typed, regions);
    if (phone) c.phones.push(phone);
    else bad(column, 'invalid_phone', typed);
  }
  c.emails = [...new Set(c.emails)];
  c.phones = [...new Set(c.phones)];
  c.tags = [...new Set(c.tags)];
  if (c.errors.length === 0 && c.emails.length === 0 && c.phones.length === 0) {
    bad('', 'no_email_or_phone', c.name ?? '');
  }
  return c;
}
