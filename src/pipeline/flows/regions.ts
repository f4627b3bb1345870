/**
 * Where a national phone number ("07911 123456", "612 345 678") is most likely from, most likely
 * first: what the platform vouches for (the contact's own phone, e.g. WhatsApp), the channel's own
 * number, the contact's country (a web visitor's browser locale such as `en-GB`), the regions of
 * the conversation's language (DEFAULT_COUNTRY first when it speaks it), then DEFAULT_COUNTRY.
 * The phone slot tries them in this order (slots.ts `parsePhone`) before asking again.
 */
import type { CountryCode } from 'libphonenumber-js';
import type { Locale } from '../../kernel/contracts/messages.js';

export { asCountry, regionOfLocaleTag } from '../../kernel/country.js';

/** Countries where each language is what most customers write in, most customers first. */
export const LANGUAGE_REGIONS: Record<Locale, readonly CountryCode[]> = {
  en: ['GB', 'US', 'IE', 'CA', 'AU', 'NZ', 'ZA'],
  es: ['ES', 'MX', 'AR', 'CO', 'CL', 'PE', 'VE', 'EC', 'GT', 'CU', 'BO', 'DO', 'HN', 'PY', 'SV', 'NI', 'CR', 'PA', 'UY', 'PR'],
};

export interface RegionHints {
  /** Country of the phone the platform vouches for (the contact's own number). */
  contactPhone?: CountryCode;
  /** Country of the number the customer wrote to (a WhatsApp business number). */
  channelNumber?: CountryCode;
  /** The contact's country (from the web widget's browser locale, or staff). */
  contact?: CountryCode;
  /** The conversation's language. */
  locale: Locale;
  /** DEFAULT_COUNTRY. */
  fallback?: CountryCode;
}

/** The plausible regions for a national number, most likely first, without repeats. */
export function plausibleRegions(h: RegionHints): CountryCode[] {
  const byLanguage = LANGUAGE_REGIONS[h.locale];
  const fallbackSpeaks = h.fallback !== undefined && byLanguage.includes(h.fallback);
  const ordered = [
    h.contactPhone,
    h.channelNumber,
    h.contact,
    ...(fallbackSpeaks ? [h.fallback] : []),
    ...byLanguage,
    h.fallback,
  ];
  return [...new Set(ordered.filter((c): c is CountryCode => c !== undefined))];
}
