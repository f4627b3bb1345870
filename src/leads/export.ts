/**
 * Leads as CSV (UTF-8 with a BOM, so Excel shows accents right), streamed from a MongoDB cursor
 * in constant memory: leads are read in batches, each batch's contacts looked up by _id (for
 * language and marketing consent), and rows go through csv-stringify, which quotes them.
 * Cells that begin with = + - @ (or tab / CR) are prefixed with `'` so a spreadsheet never runs
 * them as formulas (OWASP "CSV injection").
 */
import { Readable } from 'node:stream';
import { stringify } from 'csv-stringify';
import type { Types } from 'mongoose';
import { Contact, type ContactDoc } from '../store/models/contact.js';
import { Lead, type LeadDoc } from '../store/models/lead.js';

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

interface ContactFacts {
  language: string;
  consent: boolean;
}

async function contactFacts(ids: Types.ObjectId[]): Promise<Map<string, ContactFacts>> {
  if (ids.length === 0) return new Map();
  const contacts = await Contact.find(
    { _id: { $in: ids } },
    { locale: 1, 'marketingConsent.granted': 1 },
  ).lean<ContactDoc[]>();
  return new Map(
    contacts.map((c) => [
      c._id.toHexString(),
      { language: c.locale ?? '', consent: c.marketingConsent?.granted === true },
    ]),
  );
}

const iso = (d: unknown): string => (d instanceof Date ? d.toISOString() : '');

function rowOf(lead: LeadDoc, facts: ContactFacts | undefined): string[] {
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
    facts?.language ?? '',
    facts?.consent ? 'yes' : 'no',
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

async function* exportRows(opts: ExportOptions): AsyncGenerator<string[]> {
  const cursor = Lead.find(opts.filter).sort(opts.sort).lean<LeadDoc[]>().cursor({
    batchSize: BATCH,
  });
  let batch: LeadDoc[] = [];
  const flush = async function* (leads: LeadDoc[]) {
    const ids = leads.flatMap((l) => (l.contactId ? [l.contactId] : []));
    const facts = await contactFacts(ids);
    for (const lead of leads) {
      const f = lead.contactId ? facts.get(lead.contactId.toHexString()) : undefined;
      if (opts.requireConsent && !f?.consent) continue;
      yield rowOf(lead, f);
    }
  };
  try {
    for await (const lead of cursor) {
      batch.push(lead as LeadDoc);
      if (batch.length >= BATCH) {
        yield* flush(batch);
        batch = [];
      }
    }
    yield* flush(batch);
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
