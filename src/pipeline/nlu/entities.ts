/**
 * Entity extraction shared by the NLU and the flow runtime (which validates slots with it):
 * e-mail addresses, phone numbers in E.164, dates/times as ISO strings, and case numbers (Charla's
 * own CS- numbers, then other ticket, order and return references customers quote).
 *
 * Phone default region: numbers written with a +country code are always read as such. Numbers
 * without one are read as Spanish ('ES') in Spanish text and as US numbers ('US') in English
 * text — the two markets the shipped catalogue speaks to. Callers may override it.
 */
import * as chrono from 'chrono-node';
import { findPhoneNumbersInText, type CountryCode } from 'libphonenumber-js';
import type { Entities } from '../../kernel/contracts/nlu.js';
import type { Locale } from '../../kernel/contracts/messages.js';

export interface EntityOptions {
  /** Reference time for relative dates ("mañana", "next monday"); defaults to now. */
  now?: Date;
  /** Region for phone numbers written without +country code; defaults per language (ES / US). */
  defaultRegion?: CountryCode;
}

const DEFAULT_REGION: Record<Locale, CountryCode> = { es: 'ES', en: 'US' };

// Pragmatic address syntax (RFC 5322's full grammar is not what chat users type).
const EMAIL = /[\p{L}\p{N}._%+-]+@[\p{L}\p{N}-]+(?:\.[\p{L}\p{N}-]+)*\.\p{L}{2,}/gu;
const CASE_NUMBER = /\bCS-?(\d{1,9})\b/gi;
/**
 * Other references customers quote for a ticket, an order or a return: a known prefix in any case
 * ("INC-55410", "rma 30118", "TCK-88"), an upper-case code with a dash ("ORD-2291"), or a number
 * after "#" ("#7790"). Bare numbers are not references: they may be phones, prices or dates.
 */
const OTHER_REFERENCE =
  /\b(?:INC|RMA|TCK|TKT|REF|ORD)[-\s]?\d{2,12}\b|\b[A-Z]{2,5}-\d{3,12}\b|#\d{3,12}\b/gu;
const KNOWN_PREFIX = /\b(?:INC|RMA|TCK|TKT|REF|ORD)[-\s]?\d{2,12}\b/giu;

interface Reference {
  text: string;
  index: number;
  /** A Charla case number (CS-…). */
  own: boolean;
}

/** Every reference in `text`, Charla's CS- numbers included, in the order written. */
function references(text: string): Reference[] {
  const byIndex = new Map<number, Reference>();
  const add = (m: RegExpMatchArray, own: boolean) => {
    const index = m.index ?? 0;
    if (!byIndex.has(index)) byIndex.set(index, { text: m[0], index, own });
  };
  for (const m of text.matchAll(CASE_NUMBER)) add(m, true);
  for (const m of text.matchAll(KNOWN_PREFIX)) add(m, false);
  for (const m of text.matchAll(OTHER_REFERENCE)) add(m, false);
  return [...byIndex.values()].sort((a, b) => a.index - b.index);
}

/** The references in `text` as written ("CS-000123", "#7790", "INC-55410"), in order. */
export function findReferences(text: string): string[] {
  return references(text).map((r) => r.text);
}

/**
 * Case numbers: Charla's own, normalised to CS- plus at least six digits ("cs-42" → "CS-000042"),
 * first (the case_status action looks the first one up), then the other references as written,
 * upper-cased ("#7790", "INC-55410", "rma 30118" → "RMA-30118").
 */
export function extractCaseNumbers(text: string): string[] {
  const found = references(text);
  const own = found
    .filter((r) => r.own)
    .map((r) => 'CS-' + r.text.replace(/^CS-?/i, '').padStart(6, '0'));
  const other = found.filter((r) => !r.own).map((r) => r.text.toUpperCase().replace(/\s+/u, '-'));
  return [...new Set([...own, ...other])];
}

export function extractEmails(text: string): string[] {
  return [...new Set((text.match(EMAIL) ?? []).map((e) => e.toLowerCase()))];
}

/** Blanks e-mails and references (same length) so their digits are not read as phones or dates. */
function maskIdentifiers(text: string): string {
  const blank = (m: string) => ' '.repeat(m.length);
  return text
    .replace(EMAIL, blank)
    .replace(CASE_NUMBER, blank)
    .replace(KNOWN_PREFIX, blank)
    .replace(OTHER_REFERENCE, blank);
}

function findPhones(text: string, region: CountryCode) {
  return findPhoneNumbersInText(maskIdentifiers(text), region).filter((p) => p.number.isValid());
}

export function extractPhones(text: string, region: CountryCode): string[] {
  return [...new Set(findPhones(text, region).map((p) => p.number.number))];
}

export function extractDates(
  text: string,
  language: Locale,
  now: Date = new Date(),
  region: CountryCode = DEFAULT_REGION[language],
): string[] {
  // Phone numbers are blanked too: "612 345 678" is not a date.
  let masked = maskIdentifiers(text);
  for (const p of findPhones(text, region)) {
    masked =
      masked.slice(0, p.startsAt) + ' '.repeat(p.endsAt - p.startsAt) + masked.slice(p.endsAt);
  }
  const parser = language === 'es' ? chrono.es : chrono.en;
  const results = parser.parse(masked, now, { forwardDate: true });
  return [...new Set(results.map((r) => r.start.date().toISOString()))];
}

/** All entities in `text`; kinds with no match are omitted. */
export function extractEntities(
  text: string,
  language: Locale,
  opts: EntityOptions = {},
): Entities {
  const entities: Entities = {};
  const emails = extractEmails(text);
  if (emails.length) entities.emails = emails;
  const phones = extractPhones(text, opts.defaultRegion ?? DEFAULT_REGION[language]);
  if (phones.length) entities.phones = phones;
  const dates = extractDates(
    text,
    language,
    opts.now,
    opts.defaultRegion ?? DEFAULT_REGION[language],
  );
  if (dates.length) entities.dates = dates;
  const caseNumbers = extractCaseNumbers(text);
  if (caseNumbers.length) entities.caseNumbers = caseNumbers;
  return entities;
}
