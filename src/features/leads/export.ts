/**
 * Leads as CSV (UTF-8 with a BOM, so Excel shows accents right), streamed from a MongoDB cursor
 * in constant memory: leads are read in batches with the contact facts they carry (language,
 * marketing consent), and rows go through csv-stringify, which quotes them.
 * Cells that begin with = + - @ (or tab / CR) are prefixed with `'` so a spreadsheet never runs
 * them as formulas (OWASP "CSV injection").
 */
import { Readable } from 'node:stream';
import { stringify } from 'csv-stringify';
import { allOf } from './segments/definition.js';
import { Lead, type LeadDoc } from '../../kernel/db/models/lead.js';

export const EXPORT_COLUMNS = [
  'id',
  'name',
  'email',
  'phone',
  'company',
  'interest',
  'status',
  'score',
  'channel',
  'language',
  'marketingConsent',
  'createdAt',
  'updatedAt',
] as const;

const BATCH = 500;

/** `=SUM(A1)` → `'=SUM(A1)`; other text unchanged. */
export function neutraliseFormula(value: string): string {
  return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}

const iso = (d: unknown): string => (d instanceof Date ? d.toISOString() : '');

/** Only what a row shows is read from the database. */
const PROJECTION = Object.fromEntries(
  [
    'name',
    'email',
    'phone',
    'company',
    'interest',
    'status',
    'score',
    'channel',
    'language',
    'marketingConsent',
    'createdAt',
    'updatedAt',
  ].map((f) => [f, 1]),
);

function rowOf(lead: LeadDoc): string[] {
  const stamps = lead as { createdAt?: Date; updatedAt?: Date };
  const cells = [
    lead._id.toHexString(),
    lead.name ?? '',
    lead.email ?? '',
    lead.phone ?? '',
    lead.company ?? '',
    lead.interest ?? '',
    lead.status,
    String(lead.score ?? 0),
    lead.channel,
    lead.language ?? '',
    lead.marketingConsent === true ? 'yes' : 'no',
    iso(stamps.createdAt),
    iso(stamps.updatedAt),
  ];
  return cells.map(neutraliseFormula);
}

export interface ExportOptions {
  filter: Record<string, unknown>;
  sort: Record<string, 1 | -1>;
  /** Only contacts who granted marketing consent. */
  requireConsent?: boolean;
}

/**
 * The rows, from one cursor over the leads alone: each lead carries its contact's language and
 * consent (copied by the scoring job and by every consent change, src/kernel/db/contacts.ts), so
 * the export makes no per-batch contact look-ups, which FerretDB would serve with scans.
 */
async function* exportRows(opts: ExportOptions): AsyncGenerator<string[]> {
  const filter = opts.requireConsent ? allOf(opts.filter, { marketingConsent: true }) : opts.filter;
  const cursor = Lead.find(filter, PROJECTION)
    .sort(opts.sort)
    .lean<LeadDoc[]>()
    .cursor({ batchSize: BATCH });
  try {
    for await (const lead of cursor) yield rowOf(lead as LeadDoc);
  } finally {
    await cursor.close();
  }
}

/** The CSV as a byte stream (back-pressure from the HTTP response pauses the cursor). */
export function leadsCsv(opts: ExportOptions): Readable {
  const csv = stringify({ bom: true, header: true, columns: [...EXPORT_COLUMNS], quoted: true });
  const rows = Readable.from(exportRows(opts));
  rows.on('error', (err) => csv.destroy(err));
  return rows.pipe(csv);
}
