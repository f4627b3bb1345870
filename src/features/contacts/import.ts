/**
 * Contacts from CSV (POST /api/contacts/import): the rows are read (import-rows.ts), then matched
 * by email and phone against the customers already stored (merged-away and erased ones left out)
 * and against the earlier rows of the same file. A row whose email or phone a stored customer
 * has updates that customer; rows sharing an email or phone become one customer (the later row
 * says `sameAsLine`); a row that would join two different customers is an error (merge them
 * first). An update adds emails, phones and tags, fills a missing name and language, appends
 * notes and sets the custom fields the file gives. Marketing consent is never imported.
 * A dry run reports exactly what the real run would do; the real run writes it and leaves one
 * audit entry (`contacts.import`, counts and ids, no personal values).
 */
import type { CountryCode } from 'libphonenumber-js';
import { Types } from 'mongoose';
import { recordAudit } from '../../kernel/audit.js';
import { Contact } from '../../kernel/db/models/contact.js';
import { searchTermsOf } from '../../kernel/db/models/searchable.js';
import { invalid } from '../../kernel/errors.js';
import type { Actor } from '../../kernel/roles.js';
import { columnsOf, readCsv, readRow, type Candidate } from './import-rows.js';
import type { ContactImportBody, ContactImportReport, ContactImportRow } from './schemas.js';

/** A customer as the import builds it: a stored one (`id`) or one the file creates. */
interface Target {
  id?: string;
  firstLine: number;
  name?: string;
  emails: string[];
  phones: string[];
  tags: string[];
  notes?: string;
  locale?: string;
  customFields: Record<string, string>;
  changed: Set<string>;
}

const keysOf = (c: Candidate) => [
  ...c.emails.map((e) => `e:${e}`),
  ...c.phones.map((p) => `p:${p}`),
];
const CHUNK = 500;

/** key → ids of the stored customers that have it. */
async function storedMatches(candidates: Candidate[]): Promise<Map<string, Target[]>> {
  const emails = [...new Set(candidates.flatMap((c) => c.emails))];
  const phones = [...new Set(candidates.flatMap((c) => c.phones))];
  const byKey = new Map<string, Target[]>();
  const queries: Array<Record<string, unknown>> = [];
  for (let i = 0; i < emails.length; i += CHUNK)
    queries.push({ emails: { $in: emails.slice(i, i + CHUNK) } });
  for (let i = 0; i < phones.length; i += CHUNK)
    queries.push({ phones: { $in: phones.slice(i, i + CHUNK) } });
  const seen = new Map<string, Target>();
  for (const query of queries) {
    const docs = await Contact.find({
      ...query,
      mergedInto: { $exists: false },
      erasedAt: { $exists: false },
    })
      .select({ name: 1, emails: 1, phones: 1, tags: 1, notes: 1, locale: 1, customFields: 1 })
      .lean<Array<Record<string, unknown> & { _id: Types.ObjectId }>>();
    for (const d of docs) {
      const id = d._id.toHexString();
      const target = seen.get(id) ?? storedTarget(id, d);
      seen.set(id, target);
      for (const key of [
        ...target.emails.map((e) => `e:${e}`),
        ...target.phones.map((p) => `p:${p}`),
      ]) {
        const list = byKey.get(key) ?? [];
        if (!list.includes(target)) list.push(target);
        byKey.set(key, list);
      }
    }
  }
  return byKey;
}

function storedTarget(id: string, d: Record<string, unknown>): Target {
  return {
    id,
    firstLine: 0,
    name: (d.name as string | undefined) ?? undefined,
    emails: [...((d.emails as string[] | undefined) ?? [])],
    phones: [...((d.phones as string[] | undefined) ?? [])],
    tags: [...((d.tags as string[] | undefined) ?? [])],
    notes: (d.notes as string | undefined) ?? undefined,
    locale: (d.locale as string | undefined) ?? undefined,
    customFields: { ...((d.customFields as Record<string, string> | undefined) ?? {}) },
    changed: new Set(),
  };
}

/** Folds a row into its customer; answers the fields it changed. */
function apply(t: Target, c: Candidate): string[] {
  const changes: string[] = [];
  const add = (key: 'emails' | 'phones' | 'tags', values: string[]) => {
    const fresh = values.filter((v) => !t[key].includes(v));
    if (fresh.length) {
      t[key].push(...fresh);
      changes.push(key);
    }
  };
  add('emails', c.emails);
  add('phones', c.phones);
  add('tags', c.tags);
  if (c.name && !t.name) {
    t.name = c.name;
    changes.push('name');
  }
  if (c.locale && !t.locale) {
    t.locale = c.locale;
    changes.push('locale');
  }
  if (c.notes && !(t.notes ?? '').includes(c.notes)) {
    t.notes = t.notes ? `${t.notes}\n${c.notes}` : c.notes;
    changes.push('notes');
  }
  const fields = Object.entries(c.customFields).filter(([k, v]) => t.customFields[k] !== v);
  if (fields.length) {
    Object.assign(t.customFields, Object.fromEntries(fields));
    changes.push('customFields');
  }
  changes.forEach((f) => t.changed.add(f));
  return changes;
}

const rowOf = (c: Candidate, fields: Partial<ContactImportRow>): ContactImportRow => ({
  line: c.line,
  action: 'error',
  contactId: null,
  sameAsLine: null,
  name: c.name ?? null,
  emails: c.emails,
  phones: c.phones,
  changes: [],
  errors: c.errors,
  ...fields,
});

/** Matches every row to its customer; answers the report rows and the customers touched. */
async function plan(candidates: Candidate[]) {
  const stored = await storedMatches(candidates.filter((c) => c.errors.length === 0));
  const byKey = new Map<string, Target>();
  const targets: Target[] = [];
  const rows = candidates.map((c): ContactImportRow => {
    if (c.errors.length) return rowOf(c, {});
    const keys = keysOf(c);
    const found = new Set<Target>();
    for (const k of keys) {
      stored.get(k)?.forEach((t) => found.add(byKey.get(k) ?? t));
      const inFile = byKey.get(k);
      if (inFile) found.add(inFile);
    }
    if (found.size > 1) {
      return rowOf(c, { errors: [{ column: '', code: 'matches_several', value: '' }] });
    }
    let target = [...found][0];
    const isNew = !target;
    if (!target) {
      target = {
        firstLine: c.line,
        emails: [],
        phones: [],
        tags: [],
        customFields: {},
        changed: new Set(),
      };
    } else if (!targets.includes(target)) {
      target.firstLine = c.line;
    }
    if (!targets.includes(target)) targets.push(target);
    const changes = apply(target, c);
    for (const k of keysOf(c)) byKey.set(k, target);
    if (isNew) return rowOf(c, { action: 'create', changes });
    return rowOf(c, {
      action: 'update',
      contactId: target.id ?? null,
      sameAsLine: target.firstLine === c.line ? null : target.firstLine,
      changes,
    });
  });
  return { rows, targets };
}

const contactFields = (t: Target) => ({
  ...(t.name ? { name: t.name } : {}),
  emails: t.emails,
  phones: t.phones,
  tags: t.tags,
  ...(t.notes ? { notes: t.notes } : {}),
  ...(t.locale ? { locale: t.locale } : {}),
  ...(Object.keys(t.customFields).length ? { customFields: t.customFields } : {}),
});

/** Writes the plan: new customers in bulk, stored ones updated with what changed. */
async function write(targets: Target[]): Promise<{ created: string[]; updated: string[] }> {
  const fresh = targets.filter((t) => !t.id);
  const changed = targets.filter((t) => t.id && t.changed.size > 0);
  for (const t of fresh) t.id = new Types.ObjectId().toHexString();
  for (let i = 0; i < fresh.length; i += CHUNK) {
    await Contact.insertMany(
      fresh
        .slice(i, i + CHUNK)
        .map((t) => ({ _id: new Types.ObjectId(t.id), ...contactFields(t) })),
      { ordered: true },
    );
  }
  for (let i = 0; i < changed.length; i += CHUNK) {
    await Contact.bulkWrite(
      changed.slice(i, i + CHUNK).map((t) => {
        const all = contactFields(t) as Record<string, unknown>;
        const $set = Object.fromEntries([...t.changed].map((f) => [f, all[f]]));
        // bulkWrite runs no model hooks: the search terms from the contact as it will be.
        if (['name', 'emails', 'phones'].some((f) => t.changed.has(f))) {
          $set.searchTerms = searchTermsOf(Contact, all);
        }
        return { updateOne: { filter: { _id: new Types.ObjectId(t.id) }, update: { $set } } };
      }),
    );
  }
  return { created: fresh.map((t) => t.id!), updated: changed.map((t) => t.id!) };
}

/** The dry run or the import itself. */
export async function importContacts(
  body: ContactImportBody,
  actor: Actor,
  opts: { defaultCountry: CountryCode },
): Promise<ContactImportReport> {
  const { headers, rows: raw } = readCsv(body.csv);
  const columns = columnsOf(headers, body.mapping);
  if (!columns.some((c) => c.field === 'email' || c.field === 'phone')) {
    throw invalid('no_email_or_phone_column', 'Map at least one column to email or phone.');
  }
  const candidates = raw.map((r) => readRow(r.line, r.cells, columns, opts.defaultCountry));
  const { rows, targets } = await plan(candidates);
  const touched = targets.filter((t) => !t.id || t.changed.size > 0);
  const summary = {
    rows: rows.length,
    created: targets.filter((t) => !t.id).length,
    updated: targets.filter((t) => t.id && t.changed.size > 0).length,
    errors: rows.filter((r) => r.action === 'error').length,
  };
  if (body.dryRun || touched.length === 0) return { dryRun: body.dryRun, columns, rows, summary };
  const lineTarget = new Map<number, Target>();
  for (const t of targets) lineTarget.set(t.firstLine, t);
  const written = await write(targets);
  for (const row of rows) {
    if (row.action === 'create') row.contactId = lineTarget.get(row.line)?.id ?? null;
    if (row.action === 'update' && row.sameAsLine !== null && !row.contactId) {
      row.contactId = lineTarget.get(row.sameAsLine)?.id ?? null;
    }
  }
  await recordAudit({
    actor,
    action: 'contacts.import',
    targetType: 'contacts',
    targetId: 'bulk',
    details: {
      ...summary,
      columns: columns.map((c) => c.field),
      createdIds: written.created.slice(0, 100),
      updatedIds: written.updated.slice(0, 100),
    },
  });
  return { dryRun: false, columns, rows, summary };
}
