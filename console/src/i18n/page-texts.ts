/**
 * Texts that live beside their pages (e.g. pages/cases/texts.ts): each page folder declares its
 * Spanish and English dictionaries and gets a hook that follows the console's language switch,
 * with `{name}` placeholders filled like the shared dictionary's. A key with a `…One` sibling is
 * plural-aware: a `count` in the language's "one" category (Intl.PluralRules) reads the sibling
 * ("1 message", "1 mensaje").
 */
import { fillPlaceholders, pluralKey, useI18n } from './i18n';

export type PageT<K extends string> = (key: K, params?: Record<string, string | number>) => string;

export function pageTexts<K extends string>(
  en: Record<K, string>,
  es: Record<K, string>,
): () => PageT<K> {
  const dictionaries = { en, es };
  return function usePageTexts() {
    const { language } = useI18n();
    return (key, params) => {
      const dictionary = dictionaries[language] as Record<string, string | undefined>;
      const plural = pluralKey(language, key, params);
      const one = plural ? dictionary[plural] : undefined;
      return fillPlaceholders(one ?? dictionary[key] ?? en[key], params);
    };
  };
}
