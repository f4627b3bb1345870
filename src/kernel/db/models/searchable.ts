/**
 * A schema plugin keeping `searchTerms` (src/kernel/search-terms.ts) next to the fields a
 * contact, lead or case is found by (issue 19.7): set on save and insertMany, and refreshed
 * after a mongoose update that touches one of those fields (the update's documents re-read and
 * their terms written through the native collection, so no hook runs twice). Writes through
 * `Model.collection` bypass it; the search feature's backfill (src/features/search/indexer.ts)
 * fills documents that have no terms yet.
 */
import type { Model, Query, Schema, Types } from 'mongoose';
import { searchTerms } from '../../search-terms.js';

type Doc = Record<string, unknown>;

export interface SearchableSpec {
  /** The top-level fields the terms come from. */
  fields: readonly string[];
  /** A document's terms (given at least `fields`). */
  terms: (doc: Doc) => string[];
}

const asTexts = (v: unknown): string[] =>
  Array.isArray(v)
    ? v.map((x) => (typeof x === 'string' ? x : ''))
    : typeof v === 'string'
      ? [v]
      : [];

/** Phones as a search finds them: the full number's digits and the last nine (national part). */
export function phoneTexts(phones: unknown): string[] {
  return asTexts(phones).flatMap((p) => {
    const digits = p.replace(/\D/g, '');
    return digits.length > 9 ? [digits, digits.slice(-9)] : [digits];
  });
}

/** Terms from some text fields, phones given separately. */
export function termsOf(doc: Doc, texts: readonly string[], phones: readonly string[] = []) {
  return searchTerms(
    ...texts.flatMap((f) => asTexts(doc[f])),
    ...phones.flatMap((f) => phoneTexts(doc[f])),
  );
}

function touches(update: unknown, fields: readonly string[]): boolean {
  if (!update || typeof update !== 'object') return false;
  if (Array.isArray(update)) return true; // an aggregation pipeline: assume it does
  const keys: string[] = [];
  for (const [k, v] of Object.entries(update as Doc)) {
    if (k.startsWith('$') && v && typeof v === 'object') keys.push(...Object.keys(v as Doc));
    else keys.push(k);
  }
  return keys.some((k) => fields.includes(k.split('.')[0]!));
}

const REFRESH_BATCH = 500;

async function refresh(model: Model<Doc>, filter: Doc, spec: SearchableSpec): Promise<void> {
  const projection = Object.fromEntries(spec.fields.map((f) => [f, 1]));
  // Through mongoose: the filter is cast as the update's was (string ids → ObjectIds).
  const docs = await model.find(filter, projection).limit(REFRESH_BATCH).lean<Doc[]>();
  if (docs.length === 0) return;
  await model.collection.bulkWrite(
    docs.map((d) => ({
      updateOne: {
        filter: { _id: d._id as Types.ObjectId },
        update: { $set: { searchTerms: spec.terms(d) } },
      },
    })),
    { ordered: false },
  );
}

const SPECS = new WeakMap<Schema, SearchableSpec>();

/** The terms a searchable model's document is stored with (the backfill writes these). */
export function searchTermsOf(model: { schema: Schema }, doc: Doc): string[] {
  const spec = SPECS.get(model.schema);
  if (!spec) throw new Error('not a searchable model');
  return spec.terms(doc);
}

export function searchable(schema: Schema, spec: SearchableSpec): void {
  SPECS.set(schema, spec);
  schema.add({ searchTerms: { type: [String], default: undefined } });
  schema.index({ searchTerms: 1 });
  schema.pre('save', function () {
    if (this.isNew || spec.fields.some((f) => this.isModified(f))) {
      this.set('searchTerms', spec.terms(this.toObject() as Doc));
    }
  });
  // insertMany's hook gets the raw documents (mongoose 9: no `next`; its typing lacks the event).
  const hooks = schema as unknown as {
    pre(event: 'insertMany', fn: (docs: Doc | Doc[]) => void): void;
  };
  hooks.pre('insertMany', (docs) => {
    for (const d of Array.isArray(docs) ? docs : [docs]) d.searchTerms = spec.terms(d);
  });
  schema.post(
    ['updateOne', 'updateMany', 'findOneAndUpdate'],
    async function (this: Query<unknown, Doc>, res: unknown) {
      if (!touches(this.getUpdate(), spec.fields)) return;
      const model = this.model as unknown as Model<Doc>;
      const id = (res as { _id?: unknown } | null)?._id;
      await refresh(model, id ? { _id: id } : (this.getFilter() as Doc), spec);
    },
  );
}
