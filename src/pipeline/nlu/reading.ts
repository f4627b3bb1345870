/**
 * How the NLU reads a customer's message before classifying it: references become one word, and
 * a message of several sentences is also read sentence by sentence (index.ts decides between the
 * readings). Both exist because customers write "Hola. Compré una nevera y no enfría" or "any
 * news on INC-55410?", which short training phrases do not look like.
 */
import { findReferences } from './entities.js';

/**
 * The word a ticket, order or case reference is read as ("CS-000123", "#7790", "INC-55410"), so
 * every reference counts as the same evidence instead of an unseen number.
 */
export const REFERENCE_WORD = 'xxref';

/** `text` with every reference replaced by REFERENCE_WORD. */
export function withReferenceWords(text: string): string {
  let out = text;
  for (const ref of findReferences(text)) out = out.replace(ref, ` ${REFERENCE_WORD} `);
  return out;
}

// A sentence ends at . ! ? … or a line break (not inside numbers like 49.99), or before ¿ / ¡.
const SENTENCE_END = /(?<!\d)[.!?…]+(?!\d)|\n+|(?=[¿¡])/u;

/** The sentences of `text` that have a letter in them; one element for a one-sentence message. */
export function sentences(text: string): string[] {
  return text
    .split(SENTENCE_END)
    .map((s) => s.trim())
    .filter((s) => /\p{L}/u.test(s));
}
