/**
 * The parts of `natural` the NLU uses, loaded by file. Requiring the package root would also load
 * its storage back-ends, which call dotenv at import time (reading `.env` and printing to stdout).
 */
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

interface Stemmer {
  stem(token: string): string;
}
interface Tokenizer {
  tokenize(text: string): string[];
}
type TokenizerClass = new () => Tokenizer;

export const porterStemmerEn = require('natural/lib/natural/stemmers/porter_stemmer.js') as Stemmer;
export const porterStemmerEs =
  require('natural/lib/natural/stemmers/porter_stemmer_es.js') as Stemmer;

const AggressiveTokenizerEs =
  require('natural/lib/natural/tokenizers/aggressive_tokenizer_es.js') as TokenizerClass;

/** natural's Spanish aggressive tokenizer: splits on anything but Latin letters (accents kept). */
export const letterTokenizer: Tokenizer = new AggressiveTokenizerEs();
