/**
 * Text → sparse feature names for the intent classifier: stemmed word unigrams and bigrams
 * (natural's Porter stemmers, per language) plus character 3–5-grams inside word boundaries on
 * accent-folded text, so typos, missing accents and unseen inflections still share features.
 */
import type { Locale } from '../../kernel/contracts/messages.js';
import { letterTokenizer, porterStemmerEn, porterStemmerEs } from './natural-parts.js';

const NUMBER = /\p{N}+/gu;
const COMBINING_MARKS = /\p{M}+/gu;

/** Lower-case and strip diacritics ("Atención" → "atencion"); ñ becomes n, which users often type anyway. */
export function foldText(text: string): string {
  return text.normalize('NFD').replace(COMBINING_MARKS, '').toLowerCase();
}

/** Lower-cased words (natural's tokenizer, accents kept) followed by the numbers in the text. */
export function words(text: string): string[] {
  const lower = text.toLowerCase();
  const tokens = letterTokenizer.tokenize(lower);
  const numbers = lower.match(NUMBER);
  if (numbers) for (const n of numbers) tokens.push(n);
  return tokens;
}

const stemCache = new Map<string, string>();

function stem(word: string, language: Locale, mode: Stemming): string {
  if (mode === 'none') return foldText(word);
  const key = mode[0]! + language + word;
  let s = stemCache.get(key);
  if (s === undefined) {
    const stemmer = language === 'es' ? porterStemmerEs : porterStemmerEn;
    // 'accented': stem the accented form (the Spanish stemmer's suffix rules see the accents),
    // then fold; 'folded': fold first, so "llámame" and "llamame" get one stem.
    const input = mode === 'folded' ? foldText(word) : word;
    s = foldText(/^\p{N}+$/u.test(input) ? input : stemmer.stem(input));
    if (stemCache.size > 200_000) stemCache.clear();
    stemCache.set(key, s);
  }
  return s;
}

/** How word features are stemmed: the accented word, the accent-folded word, or not at all. */
export type Stemming = 'accented' | 'folded' | 'none';

export interface FeatureOptions {
  /** Character n-gram sizes, inclusive. */
  charMin: number;
  charMax: number;
  wordBigrams: boolean;
  /** Also emit the unstemmed (folded) words, so exact technical terms count on their own. */
  rawWords?: boolean;
  /** Default 'accented'. */
  stemming?: Stemming;
}

export const DEFAULT_FEATURES: FeatureOptions = { charMin: 3, charMax: 5, wordBigrams: true };

/** Feature names (with repeats: the caller counts term frequency). */
export function featurize(
  text: string,
  language: Locale,
  opts: FeatureOptions = DEFAULT_FEATURES,
): string[] {
  const out: string[] = [];
  const tokens = words(text);
  const mode = opts.stemming ?? 'accented';
  const stems = tokens.map((t) => stem(t, language, mode));
  let prev = '<s>';
  for (const s of stems) {
    out.push('w ' + s);
    if (opts.wordBigrams) out.push('b ' + prev + ' ' + s);
    prev = s;
  }
  if (opts.wordBigrams && stems.length > 0) out.push('b ' + prev + ' </s>');
  if (opts.rawWords) for (const token of tokens) out.push('u ' + foldText(token));
  for (const token of tokens) {
    const padded = '<' + foldText(token) + '>';
    if (padded.length <= opts.charMin) {
      out.push('c' + padded);
      continue;
    }
    for (let n = opts.charMin; n <= opts.charMax; n++) {
      for (let i = 0; i + n <= padded.length; i++) out.push('c' + padded.slice(i, i + n));
    }
  }
  return out;
}
