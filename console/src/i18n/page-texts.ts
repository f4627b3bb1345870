/**
 * Texts that live beside their pages (e.g. pages/cases/texts.ts): each page folder declares its
 * Spanish and English dictionaries and gets a hook that follows the console's language switch,
 * with `{name}` placeholders filled like the shared dictionary's.
 */
import { fillPlaceholders, useI18n } from './i18n';

export type PageT<K extends string> = (key: K, params?: Record<string, string | number>) => string;

export function pageTexts<K extends string>(
  en: Record<K, string>,
  es: Record<K, string>,
): () => PageT<K> {
  const dictionaries = { en, es };
  return function usePageTexts() {
    const { language } = useI18n();
    return (key, params) => fillPlaceholders(dictionaries[language][key] ?? en[key], params);
  };
}
