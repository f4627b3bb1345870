/**
 * Loaders for the public intent corpora in ../shared/data/nlu (see its README.md): each becomes
 * train / validation / test lists of labelled utterances. Out-of-scope utterances carry OOS.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Locale } from '../src/kernel/contracts/messages.js';

export const OOS = 'oos';

export interface Utterance {
  text: string;
  label: string;
}

export interface Corpus {
  name: string;
  language: Locale;
  train: Utterance[];
  /** For threshold choice only; never used to train the model that is tested. */
  validation: Utterance[];
  test: Utterance[];
  /** Whether the corpus has out-of-scope test utterances (CLINC150). */
  hasOos: boolean;
  /** Braun: the validation utterances were carved out of `train` (train without them to tune). */
  validationInTrain: boolean;
}

/** The training data to use when scoring on the validation split (hyper-parameter tuning). */
export function trainForValidation(corpus: Corpus): Utterance[] {
  if (!corpus.validationInTrain) return corpus.train;
  const held = new Set(corpus.validation);
  return corpus.train.filter((u) => !held.has(u));
}

/** Seed of the training-order shuffle: fixed, so every run and both systems see one order. */
export const TRAIN_ORDER_SEED = 20261201;

/** Deterministic PRNG (mulberry32). */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * A Fisher–Yates shuffle with a fixed seed (a new array; the same objects). The corpora list
 * their training utterances grouped by intent, and NLP.js's accuracy depends on that order
 * (grouped CLINC150: 83.9 % in-scope, shuffled 87.3 %), so every training split is shuffled once
 * here and both systems train on the same shuffled order.
 */
export function seededShuffle<T>(items: readonly T[], seed = TRAIN_ORDER_SEED): T[] {
  const out = [...items];
  const random = mulberry32(seed);
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

type Pair = [string, string];

export function loadClinc150(dir: string): Corpus {
  const data = JSON.parse(readFileSync(join(dir, 'clinc150', 'data_full.json'), 'utf8')) as Record<
    string,
    Pair[]
  >;
  const rows = (split: string, oos = false): Utterance[] =>
    (data[split] ?? []).map(([text, label]) => ({ text, label: oos ? OOS : label }));
  return {
    name: 'clinc150',
    language: 'en',
    train: seededShuffle([...rows('train'), ...rows('oos_train', true)]),
    validation: [...rows('val'), ...rows('oos_val', true)],
    test: [...rows('test'), ...rows('oos_test', true)],
    hasOos: true,
    validationInTrain: false,
  };
}

/**
 * Braun et al. corpora mark each sentence `training: true/false`; there is no validation split,
 * every `validationEvery`-th training sentence of each intent is also listed as validation, for
 * tuning runs that train without it (`trainForValidation`). The benchmarked model trains on the
 * full training split.
 */
export function loadBraun(dir: string, file: string, name: string, validationEvery = 5): Corpus {
  const data = JSON.parse(readFileSync(join(dir, 'braun2017', file), 'utf8')) as {
    sentences: { text: string; intent: string; training: boolean }[];
  };
  const train: Utterance[] = [];
  const test: Utterance[] = [];
  const validation: Utterance[] = [];
  const seen = new Map<string, number>();
  for (const s of data.sentences) {
    const u = { text: s.text, label: s.intent };
    if (!s.training) {
      test.push(u);
      continue;
    }
    train.push(u);
    const n = (seen.get(s.intent) ?? 0) + 1;
    seen.set(s.intent, n);
    if (n % validationEvery === 0) validation.push(u);
  }
  return {
    name,
    language: 'en',
    train: seededShuffle(train),
    validation,
    test,
    hasOos: false,
    validationInTrain: true,
  };
}

export function loadSchusterEs(dir: string): Corpus {
  const read = (file: string): Utterance[] =>
    readFileSync(join(dir, 'schuster2019-es', file), 'utf8')
      .split('\n')
      .filter((line) => line.trim() !== '')
      .map((line) => {
        const cols = line.split('\t');
        return { label: cols[0] ?? '', text: (cols[2] ?? '').trim() };
      });
  return {
    name: 'schuster2019-es',
    language: 'es',
    train: seededShuffle(read('train-es.tsv')),
    validation: read('eval-es.tsv'),
    test: read('test-es.tsv'),
    hasOos: false,
    validationInTrain: false,
  };
}
