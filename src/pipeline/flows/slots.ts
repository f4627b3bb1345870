/**
 * Slot parsers: turn a customer's answer into a clean value, or reject it so the flow asks again.
 * Pure functions; phones come out in E.164 (libphonenumber-js, national numbers tried against the
 * plausible regions in order), emails checked with validator's isEmail — internationalised ones
 * too (ana.muñoz@cafetería-lucía.es: UTF-8 local part, Unicode domain, kept as typed, not
 * punycode) — and lower-cased, times understood by chrono in Spanish and English.
 */
import * as chrono from 'chrono-node';
import { findPhoneNumbersInText, type CountryCode } from 'libphonenumber-js';
import validator from 'validator';
import type { Locale } from '../../kernel/contracts/messages.js';
import type { SlotType } from './schema.js';

export type SlotValue = string | boolean | null;
export type ParseResult = { ok: true; value: SlotValue } | { ok: false };

/** Lower-case, without accents, punctuation and repeated spaces: for matching short answers. */
export function normalise(text: string): string {
  return text
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s]/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

const POLITE = /\s*\b(por favor|porfa|please|pls|gracias|thanks|thank you)\b\s*/g;
const oneOf = (words: string[]) => new Set(words);

const CANCEL = oneOf([
  'cancelar',
  'cancela',
  'cancelalo',
  'cancel',
  'cancel it',
  'salir',
  'exit',
  'quit',
  'stop',
  'para',
  'olvidalo',
  'dejalo',
  'forget it',
  'forget about it',
  'cancel that',
  'cancela eso',
  'cancelalo todo',
  'dejalo estar',
  'no quiero seguir',
  'i changed my mind',
  'i ve changed my mind',
  'he cambiado de opinion',
  'never mind',
  'nevermind',
]);
const SKIP = oneOf([
  'skip',
  'no',
  'saltar',
  'salta',
  'paso',
  'omitir',
  'omite',
  'ninguno',
  'ninguna',
  'none',
  'no tengo',
  'prefiero no',
  'prefiero no decirlo',
  'rather not',
  'i d rather not',
  'n a',
  'pass',
  'nope',
  'no thanks',
  'no gracias',
]);
const YES = oneOf([
  'si',
  'yes',
  'y',
  's',
  'ok',
  'okay',
  'vale',
  'claro',
  'claro que si',
  'correcto',
  'es correcto',
  'confirmo',
  'confirmar',
  'confirm',
  'de acuerdo',
  'perfecto',
  'esta bien',
  'todo bien',
  'por supuesto',
  'si claro',
  'si correcto',
  'sure',
  'yep',
  'yeah',
  'yup',
  'correct',
  'that s right',
  'thats right',
  'right',
  'of course',
  'yes correct',
  'yes it is',
  'looks good',
]);
const NO = oneOf([
  'no',
  'n',
  'nope',
  'nah',
  'incorrecto',
  'no es correcto',
  'no esta bien',
  'mal',
  'cambiar',
  'wrong',
  'not correct',
  'incorrect',
  'change',
  'no thanks',
  'no gracias',
  'no quiero',
  'no i don t',
]);

const stripPolite = (text: string) => normalise(text).replace(POLITE, ' ').trim();

const CANCEL_LEAD = /^((no|mejor|better|ok|okay|vale|pues|so|actually|en realidad)\s+)+/;

/** "cancelar", "cancel", "no, mejor cancela": the customer wants out of the flow. */
export function isCancel(text: string): boolean {
  const n = stripPolite(text);
  return CANCEL.has(n) || CANCEL.has(n.replace(CANCEL_LEAD, ''));
}

/** "skip", "no", "saltar", "paso": an optional slot is left empty. */
export function isSkip(text: string): boolean {
  const n = normalise(text);
  return SKIP.has(n) || SKIP.has(stripPolite(text));
}

/** true for yes, false for no, undefined when the answer is neither. */
export function parseYesNo(text: string): boolean | undefined {
  if (/^\s*👍/u.test(text)) return true;
  if (/^\s*👎/u.test(text)) return false;
  const n = stripPolite(text);
  if (YES.has(n)) return true;
  if (NO.has(n)) return false;
  return undefined;
}

const EMAIL_OPTIONS = {
  allow_utf8_local_part: true,
  require_tld: true,
  allow_ip_domain: false,
  allow_display_name: false,
} as const;

/**
 * The one valid email address in the answer ("mi correo es ana@x.com" works), lower-cased and
 * otherwise as typed (NFC): an internationalised address keeps its Unicode domain.
 */
export function parseEmail(text: string): string | undefined {
  const candidates = text
    .normalize('NFC')
    .split(/[\s,;<>()]+/)
    .map((t) => t.replace(/^[^\p{L}\p{N}]+|[^\p{L}\p{N}]+$/gu, ''))
    .filter((t) => t.includes('@'));
  const valid = [...new Set(candidates.map((c) => c.toLowerCase()))].filter((c) =>
    validator.isEmail(c, EMAIL_OPTIONS),
  );
  return valid.length === 1 ? valid[0] : undefined;
}

function phonesIn(text: string, region?: CountryCode): string[] {
  const found = findPhoneNumbersInText(text, region ? { defaultCountry: region } : undefined)
    .map((f) => f.number)
    .filter((n) => n.isValid());
  return [...new Set(found.map((n) => n.number))];
}

/**
 * The one valid phone number in the answer, in E.164. International form (+34…, 0034…) always
 * works; a national number ("07911 123456") is read in each plausible region in turn (the
 * contact's, the visitor's browser, the conversation language's, DEFAULT_COUNTRY: see
 * regions.ts) and the first region where it is one valid number wins.
 */
export function parsePhone(
  text: string,
  regions?: CountryCode | readonly CountryCode[],
): string | undefined {
  const withPlus = text.replace(/(^|[^\d+])00(?=[1-9][\d\s.-]{6,})/g, '$1+');
  const international = phonesIn(withPlus);
  if (international.length > 0) return international.length === 1 ? international[0] : undefined;
  const list = regions === undefined ? [] : typeof regions === 'string' ? [regions] : regions;
  for (const region of list) {
    const found = phonesIn(withPlus, region);
    if (found.length === 1) return found[0];
    if (found.length > 1) return undefined;
  }
  return undefined;
}

/** Short messages that are courtesy, not a name. */
const NOT_NAMES = oneOf([
  'hola',
  'buenas',
  'gracias',
  'muchas gracias',
  'hello',
  'hi',
  'hey',
  'thanks',
  'thank you',
  'ok',
  'vale',
  'adios',
  'bye',
]);

/** Words that do not occur in names but do in requests ("quiero abrir una incidencia"). */
const NOT_NAME_WORDS = oneOf([
  'quiero',
  'queria',
  'necesito',
  'tengo',
  'puedo',
  'podeis',
  'puedes',
  'abrir',
  'hablar',
  'llamar',
  'llamadme',
  'saber',
  'cuanto',
  'precio',
  'ayuda',
  'favor',
  'mi',
  'want',
  'need',
  'have',
  'would',
  'like',
  'can',
  'could',
  'open',
  'talk',
  'call',
  'know',
  'is',
  'are',
  'my',
  'the',
  'your',
  'please',
  'help',
  'price',
  'how',
  'what',
]);

const NAME_PREFIX =
  /^(hola|hi|hello)?[\s,]*(me llamo|mi nombre es|soy|my name is|my name s|i am|i m|im|it s|its|name is|nombre)\s*[:,-]?\s+/i;

/** A person's name: letters, spaces, apostrophes, hyphens, dots; "me llamo Ana" gives "Ana". */
export function parseName(text: string): string | undefined {
  const plain = text
    .trim()
    .replace(/[.!]+$/u, '')
    .replace(/’/g, "'");
  const stripped = plain.replace(NAME_PREFIX, '').trim();
  const name = stripped.length > 0 ? stripped : plain;
  if (name.length < 2 || name.length > 80) return undefined;
  if (!/^\p{L}[\p{L}\p{M}' .-]*$/u.test(name)) return undefined;
  if (name.split(/\s+/).length > 5) return undefined;
  const n = normalise(name);
  if (YES.has(n) || NO.has(n) || SKIP.has(n) || CANCEL.has(n) || NOT_NAMES.has(n)) return undefined;
  if (n.split(' ').some((w) => NOT_NAME_WORDS.has(w))) return undefined;
  return name.replace(/\s+/g, ' ');
}

const COMPANY_PREFIX =
  /^(trabajo en|mi empresa es|la empresa es|empresa|my company is|the company is|company|i work (at|for))\s*[:,-]?\s+/i;

export function parseCompany(text: string): string | undefined {
  const company = text.trim().replace(COMPANY_PREFIX, '').trim();
  if (company.length < 1 || company.length > 120) return undefined;
  if (!/[\p{L}\p{N}]/u.test(company)) return undefined;
  return company;
}

/** Free text such as a case description: something with at least a few letters. */
export function parseText(text: string): string | undefined {
  const t = text.trim();
  if ((t.match(/\p{L}/gu) ?? []).length < 3 || t.length > 2000) return undefined;
  return t;
}

const TIME_WORDS =
  /\b(manana|tarde|noche|mediodia|morning|afternoon|evening|night|noon|tonight|anytime|any time|whenever|cualquier (hora|momento|dia)|cuando (sea|quieras|querais|podais)|cuanto antes|ahora|now|asap|lo antes posible|today|hoy|tomorrow|weekdays?|entre semana|fin de semana|weekend|lunch|lunchtime|breakfast|dinner|comer|comida|almuerzo|desayuno|cena|later|luego|mas tarde|this week|next week|esta semana|semana que viene|proxima semana)\b/;

/** A preferred time: anything chrono understands ("mañana a las 10") or a part of the day. */
export function parseTime(text: string, locale: Locale, now = new Date()): string | undefined {
  const t = text.trim();
  if (t.length === 0 || t.length > 200) return undefined;
  const parsers = locale === 'es' ? [chrono.es, chrono.en] : [chrono.en, chrono.es];
  const understood =
    parsers.some((p) => p.parse(t, now).length > 0) || TIME_WORDS.test(normalise(t));
  return understood ? t : undefined;
}

/** The words naming a date or time inside a longer sentence ("llamadme mañana a las 10" → "mañana a las 10"). */
export function findTime(text: string, locale: Locale, now = new Date()): string | undefined {
  const parsers = locale === 'es' ? [chrono.es, chrono.en] : [chrono.en, chrono.es];
  for (const parser of parsers) {
    const found = parser.parse(text, now)[0];
    if (found) return found.text;
  }
  return undefined;
}

const UNSUBSCRIBE = oneOf([
  'unsubscribe',
  'unsubscribe me',
  'stop sending me messages',
  'stop messages',
  'opt out',
  'darme de baja',
  'darse de baja',
  'dame de baja',
  'quiero darme de baja',
  'baja',
  'no me escribais mas',
  'no quiero recibir nada',
]);

/** "unsubscribe", "darme de baja": no marketing, and whatever form is running stops. */
export function isUnsubscribe(text: string): boolean {
  return UNSUBSCRIBE.has(stripPolite(text));
}

/** Parses an answer for a slot of the given type. */
export function parseSlot(
  type: SlotType,
  text: string,
  ctx: { locale: Locale; regions?: readonly CountryCode[]; now?: Date },
): ParseResult {
  let value: SlotValue | undefined;
  switch (type) {
    case 'name':
      value = parseName(text);
      break;
    case 'email':
      value = parseEmail(text);
      break;
    case 'phone':
      value = parsePhone(text, ctx.regions);
      break;
    case 'company':
      value = parseCompany(text);
      break;
    case 'text':
      value = parseText(text);
      break;
    case 'time':
      value = parseTime(text, ctx.locale, ctx.now);
      break;
    case 'confirm':
    case 'consent':
      value = parseYesNo(text);
      break;
  }
  return value === undefined ? { ok: false } : { ok: true, value };
}

const QUESTION_START =
  /^(que|cual|cuales|cuanto|cuanta|cuantos|cuantas|como|donde|cuando|por que|quien|teneis|tienen|hay|puedo|puedes|podeis|what|whats|which|how|where|when|why|who|do you|does|is it|is there|are you|can i|can you|could you)\b/;

/** A question rather than an answer: "¿cuánto cuesta?", "how much is it". */
export function looksLikeQuestion(text: string): boolean {
  return text.includes('?') || text.includes('¿') || QUESTION_START.test(normalise(text));
}

/** Slot types whose answers are recognisable on their own (an email is an email), unlike a name. */
export function isDistinctiveType(type: SlotType): boolean {
  return (
    type === 'email' || type === 'phone' || type === 'confirm' || type === 'consent' || type === 'time'
  );
}

const COMPANY_SUFFIX =
  /\b(s\s?l|s\s?a|s\s?l\s?u|s\s?c|sas|srl|ltd|limited|llc|llp|inc|corp|co|plc|gmbh|ag|bv|nv|sarl|sociedad limitada|sociedad anonima)$/;

/** Reads as a company name on its own ("Acme Widgets Ltd", "Precios Bajos S.L."). */
export function looksLikeCompany(text: string): boolean {
  const n = normalise(text.replace(/\./g, ''));
  return n.split(' ').length >= 2 && n.length <= 120 && COMPANY_SUFFIX.test(n);
}
