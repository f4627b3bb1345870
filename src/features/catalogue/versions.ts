/**
 * Published catalogue versions: whole snapshots numbered 1, 2, 3… (`_id`). Version 1 is the
 * seeded catalogue (files + per-name definitions, see index.ts); every publish and every rollback
 * appends the next number, so the live catalogue is always the highest version and history is
 * never rewritten.
 */
import { isDeepStrictEqual } from 'node:util';
import type { IntentDefinition } from '../../kernel/contracts/nlu.js';
import { parseFlowDefinition, type FlowDefinition } from '../../pipeline/flows/schema.js';
import { isDuplicateKeyError } from '../../kernel/db/errors.js';
import { CatalogueVersionModel } from '../../kernel/db/models/catalogue.js';
import { parseIntentDefinition } from '../../pipeline/catalogue/schema.js';
import type { ClassifierOptions } from '../../pipeline/nlu/classifier.js';
import type { CatalogueDiff, CatalogueReport, IntentChange, VersionSummary } from './schemas.js';

export interface VersionedCatalogue {
  version: number;
  intents: IntentDefinition[];
  flows: FlowDefinition[];
  /** Classifier options chosen at publish time: every instance trains with exactly these. */
  classifier?: Partial<ClassifierOptions>;
}

export interface VersionListItem {
  version: number;
  publishedAt: Date;
  publishedBy: string;
  publishedByName?: string;
  summary: VersionSummary;
}

interface StoredVersion {
  _id: number;
  intents: unknown[];
  flows: unknown[];
  publishedAt: Date;
  publishedBy: string;
  publishedByName?: string;
  summary: VersionSummary;
  report?: CatalogueReport;
  classifier?: Partial<ClassifierOptions>;
}

export class VersionNotFoundError extends Error {
  constructor(readonly version: number) {
    super(`catalogue version ${version} does not exist`);
    this.name = 'VersionNotFoundError';
  }
}

/** The highest published version number, or undefined before the first one. */
export async function latestVersionNumber(): Promise<number | undefined> {
  const doc = await CatalogueVersionModel.findOne({}, { _id: 1 })
    .sort({ _id: -1 })
    .lean<{ _id: number }>();
  return doc?._id;
}

function parseStored(doc: StoredVersion): VersionedCatalogue {
  return {
    version: doc._id,
    intents: doc.intents.map((i) => parseIntentDefinition(i, `catalogue v${doc._id}`)),
    flows: doc.flows.map((f) => parseFlowDefinition(f, `catalogue v${doc._id}`)),
    ...(doc.classifier ? { classifier: doc.classifier } : {}),
  };
}

export async function loadVersion(version: number): Promise<VersionedCatalogue> {
  const doc = await CatalogueVersionModel.findById(version).lean<StoredVersion>();
  if (!doc) throw new VersionNotFoundError(version);
  return parseStored(doc);
}

export async function versionReport(version: number): Promise<CatalogueReport | undefined> {
  const doc = await CatalogueVersionModel.findById(version, { report: 1 }).lean<StoredVersion>();
  if (!doc) throw new VersionNotFoundError(version);
  return doc.report;
}

type Definitions = Pick<VersionedCatalogue, 'intents' | 'flows'>;

function countChanges(next: Definitions, previous?: Definitions): VersionSummary['changes'] {
  if (!previous) return { added: next.intents.length + next.flows.length, removed: 0, changed: 0 };
  const d = diffCatalogues(previous, next);
  return {
    added: d.intents.added.length + d.flows.added.length,
    removed: d.intents.removed.length + d.flows.removed.length,
    changed: d.intents.changed.length + d.flows.changed.length,
  };
}

export function summarize(next: Definitions, previous?: Definitions): VersionSummary {
  const phrases = { es: 0, en: 0 };
  for (const i of next.intents) {
    phrases.es += i.training.es.length;
    phrases.en += i.training.en.length;
  }
  return {
    intents: next.intents.length,
    flows: next.flows.length,
    phrases,
    changes: countChanges(next, previous),
  };
}

export interface AppendInput extends Definitions {
  publishedBy: string;
  publishedByName?: string;
  report?: CatalogueReport;
  rolledBackFrom?: number;
  classifier?: Partial<ClassifierOptions>;
}

/** Stores the next version (numbers are `_id`s: two concurrent appends never share one). */
export async function appendVersion(input: AppendInput): Promise<number> {
  for (let attempt = 0; attempt < 20; attempt++) {
    const latest = await latestVersionNumber();
    const previous = latest ? await loadVersion(latest) : undefined;
    const summary = summarize(input, previous);
    if (input.rolledBackFrom !== undefined) summary.rolledBackFrom = input.rolledBackFrom;
    const version = (latest ?? 0) + 1;
    try {
      await CatalogueVersionModel.create({
        _id: version,
        intents: input.intents,
        flows: input.flows,
        publishedAt: new Date(),
        publishedBy: input.publishedBy,
        publishedByName: input.publishedByName,
        summary,
        report: input.report,
        classifier: input.classifier,
      });
      return version;
    } catch (err) {
      if (!isDuplicateKeyError(err)) throw err; // someone published meanwhile: take the next
    }
  }
  throw new Error('could not store a new catalogue version (too many concurrent publishes)');
}

/**
 * The live catalogue: the highest version, or — on a database with none yet — `seed()` stored as
 * version 1 (race-safe: the first instance to store it wins, the others read it).
 */
export async function loadLiveVersion(
  seed: () => Promise<Definitions>,
): Promise<VersionedCatalogue> {
  const latest = await latestVersionNumber();
  if (latest !== undefined) return loadVersion(latest);
  const seeded = await seed();
  try {
    await CatalogueVersionModel.create({
      _id: 1,
      intents: seeded.intents,
      flows: seeded.flows,
      publishedAt: new Date(),
      publishedBy: 'seed',
      summary: summarize(seeded),
    });
  } catch (err) {
    if (!isDuplicateKeyError(err)) throw err;
  }
  return loadVersion((await latestVersionNumber()) ?? 1);
}

export async function listVersions(limit = 100): Promise<VersionListItem[]> {
  const docs = await CatalogueVersionModel.find(
    {},
    { _id: 1, publishedAt: 1, publishedBy: 1, publishedByName: 1, summary: 1 },
  )
    .sort({ _id: -1 })
    .limit(limit)
    .lean<StoredVersion[]>();
  return docs.map((d) => ({
    version: d._id,
    publishedAt: d.publishedAt,
    publishedBy: d.publishedBy,
    ...(d.publishedByName ? { publishedByName: d.publishedByName } : {}),
    summary: d.summary,
  }));
}

const phraseCounts = (i: IntentDefinition) => ({
  es: i.training.es.length,
  en: i.training.en.length,
});

function changedFields(a: object, b: object): string[] {
  const ra = a as Record<string, unknown>;
  const rb = b as Record<string, unknown>;
  const keys = [...new Set([...Object.keys(ra), ...Object.keys(rb)])].sort();
  return keys.filter((k) => !isDeepStrictEqual(ra[k], rb[k]));
}

export function diffCatalogues(before: Definitions, after: Definitions): CatalogueDiff {
  const bi = new Map(before.intents.map((i) => [i.name, i]));
  const ai = new Map(after.intents.map((i) => [i.name, i]));
  const bf = new Map(before.flows.map((f) => [f.name, f]));
  const af = new Map(after.flows.map((f) => [f.name, f]));
  const intentChanges: IntentChange[] = [];
  for (const [name, next] of ai) {
    const prev = bi.get(name);
    if (!prev) continue;
    const fields = changedFields(prev, next);
    if (fields.length === 0) continue;
    const p = phraseCounts(prev);
    const n = phraseCounts(next);
    intentChanges.push({
      name,
      fields,
      phrases: { es: { before: p.es, after: n.es }, en: { before: p.en, after: n.en } },
    });
  }
  return {
    intents: {
      added: [...ai.values()]
        .filter((i) => !bi.has(i.name))
        .map((i) => ({ name: i.name, phrases: phraseCounts(i) })),
      removed: [...bi.values()]
        .filter((i) => !ai.has(i.name))
        .map((i) => ({ name: i.name, phrases: phraseCounts(i) })),
      changed: intentChanges,
    },
    flows: {
      added: [...af.keys()].filter((n) => !bf.has(n)),
      removed: [...bf.keys()].filter((n) => !af.has(n)),
      changed: [...af.entries()]
        .filter(([n]) => bf.has(n))
        .map(([name, f]) => ({ name, fields: changedFields(bf.get(name)!, f) }))
        .filter((c) => c.fields.length > 0),
    },
  };
}

/** Version `version` against the one before it (version 1: everything is added). */
export async function diffVersion(
  version: number,
): Promise<CatalogueDiff & { version: number; previous: number | null }> {
  const next = await loadVersion(version);
  const previous = version > 1 ? await loadVersion(version - 1).catch(() => undefined) : undefined;
  return {
    version,
    previous: previous?.version ?? null,
    ...diffCatalogues(previous ?? { intents: [], flows: [] }, next),
  };
}
