/**
 * The NLU development set (bench/nlu-dev-set/dev-set.yaml): realistic customer messages written apart
 * from the training phrases and never trained on. `npx tsx bench/dev-set.ts` trains the
 * production NLU on the shipped catalogue and prints accuracy per intent and language.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse as parseYaml } from 'yaml';
import type { Locale } from '../src/kernel/contracts/messages.js';
import type { IntentDefinition, Nlu } from '../src/kernel/contracts/nlu.js';
import { createNlu } from '../src/pipeline/nlu/index.js';

const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const DEV_SET_FILE = join(REPO, 'bench', 'nlu-dev-set', 'dev-set.yaml');
/** The dev set's label for messages that should get no intent. */
export const OUT_OF_SCOPE = 'out_of_scope';
const LOCALES: Locale[] = ['es', 'en'];

export interface DevMessage {
  text: string;
  /** Expected intent, or OUT_OF_SCOPE. */
  label: string;
  language: Locale;
}

export function loadDevSet(file = DEV_SET_FILE): DevMessage[] {
  const doc = parseYaml(readFileSync(file, 'utf8')) as Record<Locale, Record<string, string[]>>;
  return LOCALES.flatMap((language) =>
    Object.entries(doc[language] ?? {}).flatMap(([label, texts]) =>
      texts.map((text) => ({ text, label, language })),
    ),
  );
}

export function loadShippedCatalogue(): IntentDefinition[] {
  const dir = join(REPO, 'intents');
  return readdirSync(dir)
    .filter((f) => f.endsWith('.yaml'))
    .sort()
    .map((f) => parseYaml(readFileSync(join(dir, f), 'utf8')) as IntentDefinition);
}

export interface GroupScore {
  label: string;
  language: Locale;
  correct: number;
  total: number;
}

export interface DevSetScore {
  /** In-scope messages given their intent. */
  intentAccuracy: number;
  /** Out-of-scope messages given no intent. */
  outOfScopeRejection: number;
  languageAccuracy: number;
  groups: GroupScore[];
  misses: Array<DevMessage & { predicted: string | null }>;
}

export function scoreDevSet(nlu: Nlu, messages: DevMessage[]): DevSetScore {
  const groups = new Map<string, GroupScore>();
  const misses: DevSetScore['misses'] = [];
  let inScope = 0;
  let inScopeOk = 0;
  let oos = 0;
  let oosOk = 0;
  let languageOk = 0;
  for (const m of messages) {
    const result = nlu.parse(m.text);
    const predicted = result.intent ?? OUT_OF_SCOPE;
    const ok = predicted === m.label;
    if (result.language === m.language) languageOk++;
    if (m.label === OUT_OF_SCOPE) {
      oos++;
      if (ok) oosOk++;
    } else {
      inScope++;
      if (ok) inScopeOk++;
    }
    const key = `${m.label}/${m.language}`;
    const group = groups.get(key) ?? { label: m.label, language: m.language, correct: 0, total: 0 };
    group.total++;
    if (ok) group.correct++;
    groups.set(key, group);
    if (!ok) misses.push({ ...m, predicted: result.intent });
  }
  return {
    intentAccuracy: inScope ? inScopeOk / inScope : 0,
    outOfScopeRejection: oos ? oosOk / oos : 0,
    languageAccuracy: messages.length ? languageOk / messages.length : 0,
    groups: [...groups.values()].sort(
      (a, b) => a.label.localeCompare(b.label) || a.language.localeCompare(b.language),
    ),
    misses,
  };
}

async function main(): Promise<void> {
  const start = performance.now();
  const nlu = createNlu();
  nlu.train(loadShippedCatalogue());
  const trainSeconds = (performance.now() - start) / 1000;
  const score = scoreDevSet(nlu, loadDevSet());
  const f = (x: number) => x.toFixed(3);
  console.log(`training ${trainSeconds.toFixed(2)} s`);
  console.log(
    `intent accuracy ${f(score.intentAccuracy)}, out of scope → none ${f(score.outOfScopeRejection)}, language ${f(score.languageAccuracy)}`,
  );
  const byLabel = new Map<string, string[]>();
  for (const g of score.groups) {
    const cells = byLabel.get(g.label) ?? [];
    cells.push(`${g.language} ${g.correct}/${g.total} (${f(g.correct / g.total)})`);
    byLabel.set(g.label, cells);
  }
  for (const [label, cells] of byLabel) console.log(`  ${label.padEnd(18)} ${cells.join('  ')}`);
  if (process.argv.includes('--misses')) {
    for (const m of score.misses)
      console.log(`  [${m.language}] ${m.label} → ${m.predicted ?? 'none'}: ${m.text}`);
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) void main();
