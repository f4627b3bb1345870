/**
 * Personal data hidden from the studio's "what the bot missed" (list, API and analytics' top
 * unanswered): email addresses, phone numbers and long digit runs, and a name introduced as one
 * ("me llamo Ana García", "my name is John", "soy Pilar") become a placeholder in the message's
 * language. The stored message is untouched (privacy erasure owns that); only what is shown is.
 */
import { findPhoneNumbersInText } from 'libphonenumber-js';
import type { Locale } from '../../kernel/contracts/messages.js';

const PLACEHOLDER: Record<Locale, { email: string; phone: string; name: string }> = {
  es: { email: '[correo]', phone: '[teléfono]', name: '[nombre]' },
  en: { email: '[email]', phone: '[phone]', name: '[name]' },
};

const EMAIL = /[^\s@<>()"',;:]+@[^\s@<>()"',;:]+\.[^\s@<>()"',;:]*[^\s@<>()"',;:.!?]/gu;
/** Seven digits or more, with the usual separators: a phone, or an account number as personal. */
const DIGIT_RUN = /\+?\d[\d\s().-]{5,}\d/g;
/** An introduction, then one to four capitalised words (with "de", "del", "de la" between). */
const INTRODUCED_NAME =
  /\b((?:[Mm]e llamo|[Mm]i nombre es|[Ss]oy|[Mm]y name is|[Mm]y name's|I am|I'm|[Tt]his is|[Ll]e escribe|[Tt]e escribe)\s+)(\p{Lu}[\p{L}\p{M}'’-]*(?:\s+(?:de |del |de la )?\p{Lu}[\p{L}\p{M}'’-]*){0,3})/gu;

function maskPhones(text: string, phone: string): string {
  let out = text;
  for (const found of findPhoneNumbersInText(text).reverse()) {
    out = out.slice(0, found.startsAt) + phone + out.slice(found.endsAt);
  }
  return out.replace(DIGIT_RUN, (run) => ((run.match(/\d/g) ?? []).length >= 7 ? phone : run));
}

/** The text with emails, phones and introduced names replaced by placeholders. */
export function maskPersonalData(text: string, language: Locale): string {
  const p = PLACEHOLDER[language];
  const noEmails = text.replace(EMAIL, p.email);
  const noPhones = maskPhones(noEmails, p.phone);
  return noPhones.replace(INTRODUCED_NAME, (_m, lead: string) => `${lead}${p.name}`);
}
