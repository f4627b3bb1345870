/**
 * The studio draft: the live catalogue plus unpublished edits, one document (`_id: 'draft'`).
 * Absent means "no edits": the draft reads as the live version. Edits run under the studio lock
 * (lock.ts) and bump `revision`.
 */
import { createHash } from 'node:crypto';
import type { IntentDefinition } from '../../kernel/contracts/nlu.js';
import type { FlowDefinition } from '../../pipeline/flows/schema.js';
import { CatalogueDraftModel } from '../../kernel/db/models/catalogue.js';
import type { VersionedCatalogue } from './versions.js';

export const DRAFT_ID = 'draft';

export interface Draft {
  baseVersion: number;
  revision: number;
  /** False while the draft is the live version untouched. */
  changed: boolean;
  updatedAt: Date | null;
  updatedBy: string | null;
  intents: IntentDefinition[];
  flows: FlowDefinition[];
}

interface StoredDraft {
  _id: string;
  baseVersion: number;
  revision: number;
  intents: IntentDefinition[];
  flows: FlowDefinition[];
  updatedBy?: string;
  updatedAt?: Date;
}

const byName = <T extends { name: string }>(a: T, b: T) => a.name.localeCompare(b.name);

export async function readDraft(live: VersionedCatalogue): Promise<Draft> {
  const doc = await CatalogueDraftModel.findById(DRAFT_ID).lean<StoredDraft>();
  if (!doc) {
    return {
      baseVersion: live.version,
      revision: 0,
      changed: false,
      updatedAt: null,
      updatedBy: null,
      intents: [...live.intents].sort(byName),
      flows: [...live.flows].sort(byName),
    };
  }
  return {
    baseVersion: doc.baseVersion,
    revision: doc.revision,
    changed: true,
    updatedAt: doc.updatedAt ?? null,
    updatedBy: doc.updatedBy ?? null,
    intents: [...doc.intents].sort(byName),
    flows: [...doc.flows].sort(byName),
  };
}

export interface DraftContent {
  intents: IntentDefinition[];
  flows: FlowDefinition[];
}

/**
 * Applies `mutate` to the draft and saves it; `mutate` returns false when nothing changed (the
 * draft is then left as it was). Call under the studio lock.
 */
export async function saveDraftEdit(
  live: VersionedCatalogue,
  by: string,
  mutate: (content: DraftContent) => boolean,
): Promise<Draft> {
  const current = await readDraft(live);
  const content: DraftContent = {
    intents: structuredClone(current.intents),
    flows: structuredClone(current.flows),
  };
  if (!mutate(content)) return current;
  const revision = current.revision + 1;
  await CatalogueDraftModel.replaceOne(
    { _id: DRAFT_ID },
    {
      _id: DRAFT_ID,
      baseVersion: current.baseVersion,
      revision,
      intents: content.intents,
      flows: content.flows,
      updatedBy: by,
    },
    { upsert: true },
  );
  return readDraft(live);
}

/** Drops the draft: it reads as the live version again (after a publish). */
export async function discardDraft(): Promise<void> {
  await CatalogueDraftModel.deleteOne({ _id: DRAFT_ID });
}

/** Inserts or replaces the definition with this name; false when it was already identical. */
export function upsertByName<T extends { name: string }>(list: T[], def: T): boolean {
  const i = list.findIndex((d) => d.name === def.name);
  if (i === -1) {
    list.push(def);
    return true;
  }
  if (JSON.stringify(list[i]) === JSON.stringify(def)) return false;
  list[i] = def;
  return true;
}

export function removeByName<T extends { name: string }>(list: T[], name: string): boolean {
  const i = list.findIndex((d) => d.name === name);
  if (i === -1) return false;
  list.splice(i, 1);
  return true;
}

/** A key for a trained model: changes exactly when the training data of the intents changes. */
export function trainingKey(intents: IntentDefinition[]): string {
  const data = [...intents].sort(byName).map((i) => [i.name, i.training.es, i.training.en]);
  return createHash('sha256').update(JSON.stringify(data)).digest('hex').slice(0, 16);
}
