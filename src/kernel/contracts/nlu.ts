/**
 * Natural-language understanding behind one interface, so the benchmarked classifier is the
 * production one.
 */
import type { Locale } from './messages.js';

export interface Entities {
  emails?: string[];
  /** Phone numbers in E.164. */
  phones?: string[];
  /** ISO-8601 date-times found in the text (resolved relative to now). */
  dates?: string[];
  /** Case numbers like CS-000042, upper-cased. */
  caseNumbers?: string[];
}

export interface NluResult {
  /** null when nothing is confident enough: the engine falls back. */
  intent: string | null;
  confidence: number;
  language: Locale;
  entities: Entities;
  /**
   * The most probable catalogue intents, best first, with their confidence, whatever the
   * threshold: what a clarifying question chooses between. Absent from NLUs that do not rank.
   */
  candidates?: Array<{ intent: string; confidence: number }>;
}

/** Training data for one intent; answers are per language (the action decides what is sent). */
export interface IntentDefinition {
  name: string;
  training: Record<Locale, string[]>;
  answers?: Record<Locale, string[]>;
  /** Button titles offered with the answer, per language. */
  quickReplies?: Record<Locale, string[]>;
  /**
   * How the bot names the intent when it asks which one the customer means: `phrase` fits
   * "¿Quieres … o …?" / "Do you want to … or …?", `button` is its quick reply (≤ 20 characters).
   * Intents without one (greetings, thanks) are never offered.
   */
  label?: Record<Locale, { phrase: string; button: string }>;
  /** What the engine does: answer, start a flow, or a built-in action. */
  action?: { type: 'answer' } | { type: 'flow'; flow: string } | { type: 'builtin'; name: string };
}

export interface Nlu {
  train(catalogue: IntentDefinition[]): Promise<void> | void;
  parse(text: string): NluResult;
}
