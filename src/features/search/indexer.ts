/**
 * The backfill: messages, contacts, cases and leads stored before search existed (or written
 * past the models' hooks) get their terms. One pass over each collection with a cursor (a
 * single scan on FerretDB), writing in batches; then a setting marks it done, so later starts
 * skip it. New documents get their terms when they are written (src/kernel/db/messages.ts,
 * src/kernel/db/models/searchable.ts).
 */
import type { Logger } from 'pino';
import type { mongo } from 'mongoose';
import { Case } from '../../kernel/db/models/case.js';
import { Contact } from '../../kernel/db/models/contact.js';
import { Lead } from '../../kernel/db/models/lead.js';
import { Message } from '../../kernel/db/models/message.js';
import { searchTermsOf } from '../../kernel/db/models/searchable.js';
import { Setting } from '../../kernel/db/models/setting.js';
import { searchTerms } from '../../kernel/search-terms.js';

/** Raise when the terms change (a new normalisation): the next start indexes everything again. */
export const INDEX_VERSION = 1;
const SETTING = 'search.backfill';
const BATCH = 500;

type Doc = Record<string, unknown> & { _id: mongo.ObjectId };

interface Pass {
  name: string;
  collection: mongo.Collection;
  field: string;
  filter: Record<string, unknown>;
  terms: (doc: Doc) => string[];
}

function passes(force: boolean): Pass[] {
  const missing = (field: string) => (force ? {} : { [field]: { $exists: false } });
  return [
    {
      name: 'messages',
      collection: Message.collection as unknown as mongo.Collection,
      field: 'terms',
      filter: { ...missing('terms'), author: { $in: ['customer', 'staff'] } },
      terms: (d) => searchTerms(typeof d.text === 'string' ? d.text : ''),
    },
    ...[Contact, Lead, Case].map((model) => ({
      name: model.collection.collectionName,
      collection: model.collection as unknown as mongo.Collection,
      field: 'searchTerms',
      filter: missing('searchTerms'),
      terms: (d: Doc) => searchTermsOf(model, d),
    })),
  ];
}

async function run(pass: Pass): Promise<number> {
  let done = 0;
  let batch: Doc[] = [];
  const flush = async () => {
    if (batch.length === 0) return;
    await pass.collection.bulkWrite(
      batch.map((d) => ({
        updateOne: { filter: { _id: d._id }, update: { $set: { [pass.field]: pass.terms(d) } } },
      })),
      { ordered: false },
    );
    done += batch.length;
    batch = [];
  };
  const cursor = pass.collection.find(pass.filter).batchSize(BATCH);
  for await (const doc of cursor) {
    batch.push(doc as Doc);
    if (batch.length >= BATCH) await flush();
  }
  await flush();
  return done;
}

/** Indexes what has no terms yet (everything with `force`); skipped once done for this version. */
export async function backfillSearchTerms(
  logger: Logger,
  opts: { force?: boolean } = {},
): Promise<Record<string, number> | null> {
  const mark = await Setting.findById(SETTING).lean<{ value?: { version?: number } }>();
  if (!opts.force && mark?.value?.version === INDEX_VERSION) return null;
  const counts: Record<string, number> = {};
  for (const pass of passes(opts.force === true)) counts[pass.name] = await run(pass);
  await Setting.updateOne(
    { _id: SETTING },
    { $set: { value: { version: INDEX_VERSION, at: new Date() } } },
    { upsert: true },
  );
  logger.info({ counts }, 'search: terms backfilled');
  return counts;
}
