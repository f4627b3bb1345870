/**
 * Leads as CSV (UTF-8 with a BOM, so Excel shows accents right), streamed from a MongoDB cursor
 * in constant memory: leads are read in batches with the contact facts they carry (language,
 * marketing consent), and rows go through csv-stringify, which quotes them.
 * Cells that begin with = + - @ (or tab / CR) are prefixed with `'` so a spreadsheet never runs
 * them as formulas (OWASP "CSV injection"), except a phone number in E.164 (`+34612345678`: a
 * plus and digits only is no formula, and the quote would corrupt every phone of the file).
 * Owners are written by name (the staff list is read once per export), tags `; `-separated.
 */
import { Readable } from 'node:stream';
import { stringify } from 'csv-stringify';
import { allOf } from './segments/definition.js';
import { Lead, type LeadDoc } from '../../kernel/db/models/lead.js';
import { User, type UserDoc } from '../../kernel/db/models/user.js';

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
  'owner',
  'tags',
  'notes',
  'createdAt',
  'updatedAt',
] as const;

const BATCH = 500;

/** A whole cell that is an international phone number: `+`, then 6 to 15 digits. */
const PHONE_CELL = /^\+\d{6,15}$/;

/** `=SUM(A1)` → `'=SUM(A1)`, `+1+2` → `'+1+2`; a phone such as `+34612345678` and other text unchanged. */
export function neutraliseFormula(value: string): string {
  if (PHONE_CELL.test(value)) return value;
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
    'intentsSeen',
    'owner',
    'tags',
    'notes',
    'createdAt',
    'updatedAt',
  ].map((f) => [f, 1]),
);

/** Staff ids → name (else email), for the owner column. */
async function ownerNames(): Promise<Map<string, string>> {
  const users = await User.find({}, { name: 1, email: 1 }).lean<UserDoc[]>();
  return new Map(users.map((u) => [u._id.toHexString(), u.name || u.email]));
}

/**
 * What the lead wants: the interest captured with it, else the intents the person asked about
 * (pricing, demo…: collected by the scoring job), so the column is not blank for every lead the
 * bot captured without an interest question.
 */
const interestOf = (lead: LeadDoc): string => lead.interest || (lead.intentsSeen ?? []).join('; ');

function rowOf(lead: LeadDoc, owners: Map<string, string>): string[] {
  const stamps = lead as { createdAt?: Date; updatedAt?: Date };
  const cells = [
    lead._id.toHexString(),
    lead.name ?? '',
    lead.email ?? '',
    lead.phone ?? '',
    lead.company ?? '',
    interestOf(lead),
    lead.status,
    String(lead.score ?? 0),
    lead.channel,
    lead.language ?? '',
    lead.marketingConsent === true ? 'yes' : 'no',
    lead.owner ? (owners.get(lead.owner.toHexString()) ?? lead.owner.toHexString()) : '',
    (lead.tags ?? []).join('; '),
    lead.notes ?? '',
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
  const owners = await ownerNames();
  const cursor = Lead.find(filter, PROJECTION)
    .sort(opts.sort)
    .lean<LeadDoc[]>()
    .cursor({ batchSize: BATCH });
  try {
    for await (const lead of cursor) yield rowOf(lead as LeadDoc, owners);
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
