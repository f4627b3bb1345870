/**
 * Search terms (issue 19.7): the normalised words a message, contact, case or lead is found by.
 * Lowercase, accents folded (á → a, ñ → n, ü → u), split on anything not a letter or digit,
 * Spanish and English stop words left out, each term once. Written next to the text when it is
 * stored (`terms` on messages, `searchTerms` on contacts, cases and leads) and matched with an
 * equality on the array, which the embedded FerretDB serves from an index and MongoDB from a
 * multikey index — a regex over the texts would scan every document (docs/ARCHITECTURE.md).
 */

/** The longest term kept (longer ones are cut): keeps index keys small. */
export const MAX_TERM_LENGTH = 32;
/** At most this many terms per document (the first ones of a long text). */
export const MAX_TERMS = 200;

const STOP_WORDS = new Set(
  [
    // Spanish
    'a al algo algun alguna algunas alguno algunos ante antes asi aun bien cada como con contra',
    'cual cuales cuando de del desde donde dos el ella ellas ellos en entre era eres es esa esas',
    'ese eso esos esta estaba estamos estan estar este esto estos estoy fue ha hay hasta la las le',
    'les lo los mas me mi mis mucho muy nada ni no nos nosotros o os otra otro para pero poco por',
    'porque que quien se sea ser si sin sobre son soy su sus tambien te tengo ti tiene todo tu tus',
    'un una uno unos usted vosotros y ya yo',
    // English
    'about all also am an and any are as at be been but by can could did do does for from had',
    'has have he her him his how i if in into is it its just me my no not of on or our she so',
    'than that the their them then there these they this those to too us was we were what when',
    'which who will with would you your',
  ]
    .join(' ')
    .split(' '),
);

/** Lowercase, accents and other combining marks removed (NFKD), so "Camión" → "camion". */
export function foldText(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase();
}

/** The words of a text as search terms: folded, stop words out, each once, in order. */
export function searchTerms(...texts: Array<string | null | undefined>): string[] {
  const seen = new Set<string>();
  for (const text of texts) {
    if (!text) continue;
    for (const word of foldText(text).split(/[^\p{L}\p{N}]+/u)) {
      if (!word || STOP_WORDS.has(word)) continue;
      // One-letter words are noise, but a lone digit may be part of a number someone types.
      if (word.length < 2 && !/\d/.test(word)) continue;
      seen.add(word.slice(0, MAX_TERM_LENGTH));
      if (seen.size >= MAX_TERMS) return [...seen];
    }
  }
  return [...seen];
}

/** The terms of a query: like a text's, so "Envío" finds "envio". */
export const queryTerms = (q: string): string[] => searchTerms(q);
