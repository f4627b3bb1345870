/** Countries as ISO 3166 codes: validating one, and reading one from a BCP 47 locale tag. */
import { getCountries, type CountryCode } from 'libphonenumber-js';

const KNOWN = new Set<string>(getCountries());

/** An ISO 3166 country code libphonenumber knows, upper-cased, or undefined. */
export function asCountry(value: string | null | undefined): CountryCode | undefined {
  const code = value?.trim().toUpperCase();
  return code && KNOWN.has(code) ? (code as CountryCode) : undefined;
}

/** The region of a BCP 47 tag ("en-GB" → GB, "es-419" → undefined, "es" → undefined). */
export function regionOfLocaleTag(tag: string | null | undefined): CountryCode | undefined {
  const match = /^[a-z]{2,3}(?:-[a-z]{4})?-([a-z]{2})(?:-|$)/i.exec(tag?.trim() ?? '');
  return asCountry(match?.[1]);
}
