/**
 * The model cache and off-thread training (trained-models.ts): a trained model is the same
 * whether trained in place, in a worker thread or loaded from the cache; the cache is read when
 * it holds the key, ignores what it cannot use, and concurrent trainings of one catalogue share
 * one entry.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { IntentDefinition } from '../../../src/kernel/contracts/nlu.js';
import { createNlu } from '../../../src/pipeline/nlu/index.js';
import { modelKey, prepareClassifier } from '../../../src/pipeline/nlu/trained-models.js';
import { encodeTrained } from '../../../src/pipeline/nlu/snapshot-codec.js';
import { trainSnapshot } from '../../../src/pipeline/nlu/training.js';

const CATALOGUE: IntentDefinition[] = [
  {
    name: 'pricing',
    training: {
      es: ['cuánto cuesta', 'qué precio tiene', 'tarifas del plan'],
      en: ['how much is it', 'what are your prices', 'price of the plan'],
    },
  },
  {
    name: 'location',
    training: {
      es: ['dónde estáis', 'cuál es la dirección', 'dónde está la tienda'],
      en: ['where are you', 'what is your address', 'where is the shop'],
    },
  },
];
const OTHER: IntentDefinition[] = [
  { name: 'thanks', training: { es: ['gracias', 'muchas gracias'], en: ['thanks', 'thank you'] } },
  { name: 'goodbye', training: { es: ['adiós', 'hasta luego'], en: ['bye', 'see you'] } },
];
/** Without the per-catalogue option search: its cross-validation would make each training slow. */
const FIXED = { modelSelection: false } as const;
const PROBES = ['cuánto cuesta el plan', 'where is your shop', 'hola qué tal', 'thank you'];

const dirs: string[] = [];
const freshDir = () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'charla-nlu-cache-test-'));
  dirs.push(dir);
  return dir;
};
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

function probabilities(nlu: ReturnType<typeof createNlu>) {
  return PROBES.map((t) => nlu.rank(t, 5));
}

describe('trained models', () => {
  it('trains in a worker thread the same model as in place, and caches it on disk', async () => {
    const dir = freshDir();
    const inPlace = createNlu(FIXED);
    inPlace.train(CATALOGUE);
    const offThread = createNlu({ ...FIXED, store: { cacheDir: dir } });
    offThread.use(await offThread.prepare(CATALOGUE));
    expect(probabilities(offThread)).toEqual(probabilities(inPlace));
    expect(offThread.trainedWith()).toEqual(inPlace.trainedWith());
    const files = readdirSync(dir);
    expect(files).toEqual([`${await modelKey(CATALOGUE, FIXED)}.bin`]);

    // A second NLU with the same catalogue loads that entry.
    const loaded = createNlu({ ...FIXED, store: { cacheDir: dir, offThread: false } });
    loaded.use(await loaded.prepare(CATALOGUE));
    expect(probabilities(loaded)).toEqual(probabilities(inPlace));
  });

  it('reads the entry stored under the key (so a hit trains nothing)', async () => {
    const dir = freshDir();
    // Plant another catalogue's model under this catalogue's key: a hit must return it.
    const key = await modelKey(CATALOGUE, FIXED);
    const planted = encodeTrained(trainSnapshot(OTHER, FIXED));
    writeFileSync(path.join(dir, `${key}.bin`), Buffer.alloc(0));
    const { createDiskCache } = await import('../../../src/kernel/compute/disk-cache.js');
    await createDiskCache(dir).set(key, planted);
    const { classifier } = await prepareClassifier(CATALOGUE, FIXED, {}, { cacheDir: dir });
    expect(classifier?.labels).toContain('thanks');
    expect(classifier?.labels).not.toContain('pricing');
  });

  it('ignores corrupt or foreign entries, trains, and replaces them', async () => {
    const dir = freshDir();
    const key = await modelKey(CATALOGUE, FIXED);
    const file = path.join(dir, `${key}.bin`);
    for (const junk of [
      Buffer.from('not a cache entry'),
      Buffer.from(`charla-cache-1 ${key} 5 0000\nhello`),
    ]) {
      writeFileSync(file, junk);
      const { classifier } = await prepareClassifier(
        CATALOGUE,
        FIXED,
        {},
        {
          cacheDir: dir,
          offThread: false,
        },
      );
      expect(classifier?.labels).toContain('pricing');
      expect(readFileSync(file).toString('latin1')).toMatch(new RegExp(`^charla-cache-1 ${key} `));
    }
  });

  it('keys on the phrases, the options and the background class', async () => {
    const base = await modelKey(CATALOGUE);
    const edited = structuredClone(CATALOGUE);
    edited[0]!.training.en.push('is it expensive');
    expect(await modelKey(edited)).not.toBe(base);
    expect(
      await modelKey(CATALOGUE, { modelSelection: false, classifier: { epochs: 3 } }),
    ).not.toBe(await modelKey(CATALOGUE, { modelSelection: false }));
    expect(await modelKey(CATALOGUE, { background: { es: ['qué tiempo hace'] } })).not.toBe(base);
    // The same effective options are the same key: `{}` is the defaults.
    expect(await modelKey(CATALOGUE, {}, { classifier: {} })).toBe(
      await modelKey(CATALOGUE, { modelSelection: false }),
    );
  });

  it('concurrent trainings of one catalogue share one entry and leave no temporary files', async () => {
    const dir = freshDir();
    const models = await Promise.all(
      Array.from({ length: 4 }, () => prepareClassifier(OTHER, FIXED, {}, { cacheDir: dir })),
    );
    expect(
      new Set(models.map((m) => JSON.stringify(m.classifier?.predict('gracias', 'es').label))),
    ).toEqual(new Set(['"thanks"']));
    expect(readdirSync(dir)).toEqual([`${await modelKey(OTHER, FIXED)}.bin`]);
  });
});
