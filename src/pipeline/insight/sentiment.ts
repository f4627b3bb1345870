/**
 * Sentiment of a customer message, es/en: natural's SentimentAnalyzer over the AFINN vocabulary
 * (Spanish: AFINN-short translated; English: AFINN-165) with natural's Porter stemmers, plus a
 * few customer-service words AFINN lacks or scores for another register ("harto", "funciona",
 * "esperando" is hope in AFINN but waiting here). Negations ("no", "not", "nada", "nothing") flip
 * what follows up to the end of the clause: natural's negation never resets, so the text is scored
 * clause by clause (split at punctuation and at "pero"/"but") and the clause scores are averaged
 * per word. The score is that average clamped to [-1, 1]: a rough polarity of the wording, not a
 * judgement of the customer — sarcasm, irony and other languages read as neutral or wrong.
 * Senticon was measured too (test/pipeline/insight/sentiment.test.ts): weaker on short support messages.
 */
import { createRequire } from 'node:module';
import type { Locale } from '../../kernel/contracts/messages.js';
import { letterTokenizer, porterStemmerEn, porterStemmerEs } from '../nlu/natural-parts.js';

const require = createRequire(import.meta.url);

interface Stemmer {
  stem(token: string): string;
}
interface Analyzer {
  vocabulary: Record<string, number>;
  negations: string[];
  getSentiment(words: string[]): number;
}
type AnalyzerClass = new (language: string, stemmer: Stemmer, type: string) => Analyzer;

const SentimentAnalyzer =
  require('natural/lib/natural/sentiment/SentimentAnalyzer.js') as AnalyzerClass;

/** AFINN-scale (-5…5) additions and corrections for customer-service wording. */
const EXTRA: Record<Locale, Record<string, number>> = {
  es: {
    harto: -3,
    harta: -3,
    hartos: -3,
    funciona: 2,
    funcionan: 2,
    inútil: -3,
    enfadado: -3,
    enfadada: -3,
    cabreado: -3,
    cabreada: -3,
    pésimo: -4,
    pésima: -4,
    estafa: -4,
    timo: -3,
    esperando: -1,
    genial: 3,
    ridículo: -3,
    lento: -2,
    roto: -2,
    nadie: -1,
    vergonzoso: -3,
    encantado: 3,
    encantada: 3,
    perfecto: 3,
    excelente: 3,
    increíble: 2,
  },
  en: {
    works: 2,
    working: 2,
    work: 1,
    slow: -2,
    broken: -2,
    fed: -2,
    ridiculous: -3,
    waiting: -1,
  },
};

/** Words that negate the rest of their clause, beyond natural's lists. */
const EXTRA_NEGATIONS: Record<Locale, string[]> = {
  es: ['nada', 'tampoco'],
  en: ['nothing', 'cannot', 'nobody'],
};

const CLAUSE_BREAK = /[,.;:!?¡¿\n]+|\b(?:pero|aunque|sin embargo|but|though|however)\b/iu;
/** Longer texts are scored on their start: a pasted document says little about the mood. */
const MAX_CHARS = 1_000;

const analyzers = new Map<Locale, Analyzer>();

function analyzerFor(locale: Locale): Analyzer {
  let analyzer = analyzers.get(locale);
  if (analyzer) return analyzer;
  const stemmer = locale === 'es' ? porterStemmerEs : porterStemmerEn;
  analyzer = new SentimentAnalyzer(locale === 'es' ? 'Spanish' : 'English', stemmer, 'afinn');
  for (const [word, value] of Object.entries(EXTRA[locale])) {
    analyzer.vocabulary[word] = value;
    analyzer.vocabulary[stemmer.stem(word)] = value;
  }
  analyzer.negations = [...analyzer.negations, ...EXTRA_NEGATIONS[locale]];
  analyzers.set(locale, analyzer);
  return analyzer;
}

/**
 * The message's polarity in [-1, 1] (two decimals), or null when it has no words to judge (an
 * email, a phone number, an attachment). Deterministic: a replayed turn computes the same value.
 */
export function sentimentOf(text: string, locale: Locale): number | null {
  const analyzer = analyzerFor(locale);
  const clauses = text
    .slice(0, MAX_CHARS)
    .replace(/\S*[@/]\S*/g, ' ')
    .toLowerCase()
    .replace(/n['’]t\b/g, ' not')
    .split(CLAUSE_BREAK)
    .map((clause) => letterTokenizer.tokenize(clause ?? ''))
    .filter((words) => words.length > 0);
  const words = clauses.reduce((n, c) => n + c.length, 0);
  if (words === 0) return null;
  const sum = clauses.reduce((s, c) => s + analyzer.getSentiment(c) * c.length, 0);
  const score = Math.max(-1, Math.min(1, sum / words));
  return Math.round(score * 100) / 100 || 0;
}

/** At or below this a message reads as negative. */
export const NEGATIVE_AT = -0.25;

export const isNegative = (score: number | null | undefined): boolean =>
  typeof score === 'number' && score <= NEGATIVE_AT;
