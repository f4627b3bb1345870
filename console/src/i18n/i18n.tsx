/**
 * Spanish and English texts. The language follows the browser (navigator.language) until the
 * person picks one in the header; the choice is remembered in localStorage.
 */
import { createContext, useCallback, useContext, useEffect, useMemo, useState } from 'react';
import type { ReactNode } from 'react';
import { en, type MessageKey } from './en';
import { es } from './es';

export const LANGUAGES = ['es', 'en'] as const;
export type Language = (typeof LANGUAGES)[number];
const DICTIONARIES: Record<Language, Record<MessageKey, string>> = { en, es };
export const LANGUAGE_STORAGE_KEY = 'charla-console:language';

export type Translate = (key: MessageKey, params?: Record<string, string | number>) => string;

interface I18n {
  language: Language;
  setLanguage(language: Language): void;
  t: Translate;
  /** Dates and numbers in the chosen language. */
  formatDateTime(value: string | Date | null | undefined): string;
  formatDate(value: string | Date | null | undefined): string;
  formatPercent(value: number): string;
}

export function initialLanguage(): Language {
  const stored = localStorage.getItem(LANGUAGE_STORAGE_KEY);
  if (stored === 'es' || stored === 'en') return stored;
  const browser = navigator.languages?.[0] ?? navigator.language ?? 'en';
  return browser.toLowerCase().startsWith('es') ? 'es' : 'en';
}

export function translate(
  language: Language,
  key: MessageKey,
  params?: Record<string, string | number>,
): string {
  const dictionary = DICTIONARIES[language] as Record<string, string | undefined>;
  const plural = pluralKey(language, key, params);
  const text = (plural && dictionary[plural]) ?? DICTIONARIES[language][key] ?? en[key] ?? key;
  return fillPlaceholders(text, params);
}

const pluralRules = new Map<Language, Intl.PluralRules>();
/**
 * A `{count}` text in the singular: the key's `…One` sibling when the language's plural rules
 * (Intl.PluralRules) put `count` in the "one" category ("1 message", "1 mensaje"); else none.
 */
export function pluralKey(
  language: Language,
  key: string,
  params?: Record<string, string | number>,
): string | undefined {
  const count = params?.count;
  if (typeof count !== 'number') return undefined;
  let rules = pluralRules.get(language);
  if (!rules) pluralRules.set(language, (rules = new Intl.PluralRules(language)));
  return rules.select(count) === 'one' ? `${key}One` : undefined;
}

/** Readable names of the closed sets the server sends as codes (channel ids, language codes). */
export function useVocabularyNames(): {
  channel(id: string): string;
  language(code: string): string;
} {
  const { t } = useI18n();
  const named = (key: string, fallback: string) => (key in en ? t(key as MessageKey) : fallback);
  return {
    channel: (id) => named(`channel.${id}`, id),
    language: (code) => named(`language.${code}`, code),
  };
}

/** `{name}` placeholders replaced by `params` (unknown ones left as written). */
export function fillPlaceholders(text: string, params?: Record<string, string | number>): string {
  if (!params) return text;
  return text.replace(/\{(\w+)\}/g, (whole, name: string) =>
    name in params ? String(params[name]) : whole,
  );
}

const I18nContext = createContext<I18n | null>(null);

export function I18nProvider({ children }: { children: ReactNode }) {
  const [language, setLanguageState] = useState<Language>(initialLanguage);
  useEffect(() => {
    document.documentElement.lang = language;
  }, [language]);
  const setLanguage = useCallback((next: Language) => {
    localStorage.setItem(LANGUAGE_STORAGE_KEY, next);
    setLanguageState(next);
  }, []);
  const value = useMemo<I18n>(() => {
    const locale = language === 'es' ? 'es-ES' : 'en-GB';
    const dateTime = new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short' });
    const date = new Intl.DateTimeFormat(locale, { dateStyle: 'medium' });
    const percent = new Intl.NumberFormat(locale, { style: 'percent', maximumFractionDigits: 0 });
    const fmt = (f: Intl.DateTimeFormat) => (value: string | Date | null | undefined) => {
      if (!value) return '—';
      const d = new Date(value);
      return Number.isNaN(d.getTime()) ? '—' : f.format(d);
    };
    return {
      language,
      setLanguage,
      t: (key, params) => translate(language, key, params),
      formatDateTime: fmt(dateTime),
      formatDate: fmt(date),
      formatPercent: (v) => percent.format(v),
    };
  }, [language, setLanguage]);
  return <I18nContext.Provider value={value}>{children}</I18nContext.Provider>;
}

export function useI18n(): I18n {
  const ctx = useContext(I18nContext);
  if (!ctx) throw new Error('useI18n outside <I18nProvider>');
  return ctx;
}
