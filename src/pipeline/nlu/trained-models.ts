/**
 * Training that repeats is done once: a trained classifier is cached on disk under a key made of
 * everything it depends on — the catalogue's phrases (in order), the background class, the
 * effective classifier options and a fingerprint of this folder's code — so every instance, every
 * restart and every test app that trains the same catalogue with the same code loads it instead
 * (milliseconds instead of seconds of CPU). A miss trains in a worker thread, off the event loop,
 * so a publish or a start never stalls requests; the result is then written to the cache.
 *
 * The cache is kernel/compute/disk-cache.ts: entries written to a temporary file and renamed, a
 * corrupt or foreign entry read as a miss. Concurrent requests for one key in a process share one
 * training.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { IntentDefinition } from '../../kernel/contracts/nlu.js';
import {
  cacheKey,
  createDiskCache,
  sourceVersion,
  type DiskCache,
} from '../../kernel/compute/disk-cache.js';
import { moduleUrl, runOffThread } from '../../kernel/compute/off-thread.js';
import { DEFAULT_CLASSIFIER, SoftmaxClassifier, type ClassifierOptions } from './classifier.js';
import { SELECTION_MAX_EXAMPLES } from './model-selection.js';
import {
  trainSnapshot,
  type TrainedClassifier,
  type TrainedSnapshot,
  type TrainingSettings,
  type TrainOptions,
} from './training.js';
import { decodeTrained, encodeTrained } from './snapshot-codec.js';

/** Where trained models are kept and how a miss trains. */
export interface ModelStore {
  /** Directory of the model cache; none: every training runs. */
  cacheDir?: string;
  /** Train a miss in a worker thread (default true); false trains on the calling thread. */
  offThread?: boolean;
}

const FORMAT = 'charla-nlu-model-1';
const HERE = path.dirname(fileURLToPath(import.meta.url));

let codeVersion: Promise<string> | undefined;
/** Fingerprint of the NLU's code (this folder): a change to it makes every model key new. */
export const nluCodeVersion = (): Promise<string> => (codeVersion ??= sourceVersion([HERE]));

const fullOptions = (partial: Partial<ClassifierOptions> | undefined): ClassifierOptions => ({
  ...DEFAULT_CLASSIFIER,
  ...partial,
});

/**
 * The options a training will use, as far as they are known before it: exactly the given ones,
 * or — when model selection runs — the base options for large catalogues (selection keeps them)
 * and a marker for small ones (selection depends on the data, which the key holds anyway).
 */
function effectiveOptions(
  catalogue: IntentDefinition[],
  settings: TrainingSettings,
  trainOptions: TrainOptions,
): unknown {
  if (trainOptions.classifier) return fullOptions(trainOptions.classifier);
  if (settings.modelSelection === false) return fullOptions(settings.classifier);
  const phrases = catalogue.reduce(
    (n, i) => n + (i.training.es?.length ?? 0) + (i.training.en?.length ?? 0),
    0,
  );
  return phrases >= SELECTION_MAX_EXAMPLES
    ? fullOptions(settings.classifier)
    : { select: settings.classifier ?? null };
}

/** The cache key of one training. */
export async function modelKey(
  catalogue: IntentDefinition[],
  settings: TrainingSettings = {},
  trainOptions: TrainOptions = {},
): Promise<string> {
  return cacheKey(
    FORMAT,
    await nluCodeVersion(),
    catalogue.map((i) => [i.name, i.training.es ?? [], i.training.en ?? []]),
    settings.background ?? null,
    effectiveOptions(catalogue, settings, trainOptions),
  );
}

const caches = new Map<string, DiskCache>();
const cacheAt = (dir: string) => caches.get(dir) ?? caches.set(dir, createDiskCache(dir)).get(dir)!;
const inFlight = new Map<string, Promise<TrainedSnapshot>>();

/** A decoded entry whose arrays fit its labels and features (anything else is a miss). */
function usable(trained: TrainedSnapshot): boolean {
  try {
    if (trained.snapshot) SoftmaxClassifier.fromSnapshot(trained.snapshot);
    return true;
  } catch {
    return false;
  }
}

async function trainOrLoad(
  key: string,
  catalogue: IntentDefinition[],
  settings: TrainingSettings,
  trainOptions: TrainOptions,
  store: ModelStore,
): Promise<TrainedSnapshot> {
  const cache = store.cacheDir ? cacheAt(store.cacheDir) : undefined;
  const stored = await cache?.get(key);
  const hit = stored ? decodeTrained(stored) : undefined;
  if (hit && usable(hit)) return hit;
  // Only what training reads crosses to the worker (not answers, actions or quick replies).
  const phrases = catalogue.map((i) => ({ name: i.name, training: i.training }));
  const trained =
    store.offThread === false
      ? trainSnapshot(phrases, settings, trainOptions)
      : await runOffThread<TrainedSnapshot>(
          moduleUrl(import.meta.url, './training'),
          'trainSnapshot',
          [phrases, settings, trainOptions],
        );
  await cache?.set(key, encodeTrained(trained));
  return trained;
}

/**
 * The classifier trained on `catalogue`: from the cache, or trained (off the event loop unless
 * `store.offThread` is false) and then cached.
 */
export async function prepareClassifier(
  catalogue: IntentDefinition[],
  settings: TrainingSettings,
  trainOptions: TrainOptions,
  store: ModelStore,
): Promise<TrainedClassifier> {
  const key = await modelKey(catalogue, settings, trainOptions);
  let job = inFlight.get(key);
  if (!job) {
    job = trainOrLoad(key, catalogue, settings, trainOptions, store).finally(() =>
      inFlight.delete(key),
    );
    inFlight.set(key, job);
  }
  const { snapshot, trainedWith } = await job;
  return { classifier: snapshot ? SoftmaxClassifier.fromSnapshot(snapshot) : null, trainedWith };
}
