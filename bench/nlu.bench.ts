/**
 * `npm run bench:nlu [-- --json] [-- --corpus=clinc150,braun-chatbot] [-- --no-nlpjs]`
 *
 * Trains and evaluates Charla's production NLU and NLP.js (node-nlp) in the same run on the
 * public corpora in ../shared/data/nlu, prints a table, and (on a full run) writes
 * BENCHMARKS.md. With --json the last line of stdout is one JSON object with the results.
 * OOS thresholds are chosen on validation data only.
 */
import { execSync } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse as parseYaml } from 'yaml';
import type { IntentDefinition } from '../src/contracts/nlu.js';
import { createNlu } from '../src/nlu/index.js';
import { loadBraun, loadClinc150, loadSchusterEs, type Corpus } from './corpora.js';
import {
  applyThreshold,
  chooseThreshold,
  percentile,
  quality,
  type QualityMetrics,
  type RawPrediction,
} from './metrics.js';
import { charlaSystem, nlpjsSystem, type BenchSystem } from './systems.js';

const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const DATA = resolve(REPO, '..', 'shared', 'data', 'nlu');
/** Validation in-scope accuracy the OOS threshold must keep (1 point above the 0.90 target). */
const MIN_VAL_IN_SCOPE = 0.91;

const args = process.argv.slice(2);
const jsonOutput = args.includes('--json');
const withNlpjs = !args.includes('--no-nlpjs');
const only = args
  .find((a) => a.startsWith('--corpus='))
  ?.slice('--corpus='.length)
  .split(',');
const log = (line = '') => (jsonOutput ? process.stderr : process.stdout).write(line + '\n');

interface SystemResult extends QualityMetrics {
  trainSeconds: number;
  p50Ms: number;
  p99Ms: number;
  /** OOS threshold chosen on validation (CLINC150 only). */
  threshold: number | null;
}

async function predictAll(
  system: BenchSystem,
  texts: string[],
): Promise<{ raw: RawPrediction[]; latencies: number[] }> {
  const raw: RawPrediction[] = [];
  const latencies: number[] = [];
  for (const text of texts) {
    const start = performance.now();
    raw.push(await system.predict(text));
    latencies.push(performance.now() - start);
  }
  return { raw, latencies };
}

async function evaluate(system: BenchSystem, corpus: Corpus): Promise<SystemResult> {
  const start = performance.now();
  await system.train(corpus.train, corpus.language);
  const trainSeconds = (performance.now() - start) / 1000;
  // Warm-up (JIT, caches) on training utterances, so latency is the steady state.
  await predictAll(
    system,
    corpus.train.slice(0, 200).map((u) => u.text),
  );
  let threshold: number | null = null;
  if (corpus.hasOos) {
    const val = await predictAll(
      system,
      corpus.validation.map((u) => u.text),
    );
    threshold = chooseThreshold(val.raw, corpus.validation, MIN_VAL_IN_SCOPE);
  }
  const test = await predictAll(
    system,
    corpus.test.map((u) => u.text),
  );
  const metrics = quality(applyThreshold(test.raw, corpus.test, threshold ?? 0));
  const sorted = test.latencies.sort((a, b) => a - b);
  return {
    ...metrics,
    trainSeconds,
    p50Ms: percentile(sorted, 50),
    p99Ms: percentile(sorted, 99),
    threshold,
  };
}

function loadShippedCatalogue(): IntentDefinition[] {
  const dir = join(REPO, 'intents');
  return readdirSync(dir)
    .filter((f) => f.endsWith('.yaml'))
    .map((f) => parseYaml(readFileSync(join(dir, f), 'utf8')) as IntentDefinition);
}

const SHORT_MESSAGES: [string, 'es' | 'en'][] = [
  ['hola', 'es'],
  ['gracias', 'es'],
  ['buenas', 'es'],
  ['vale', 'es'],
  ['adiós', 'es'],
  ['sí', 'es'],
  ['precio', 'es'],
  ['agente', 'es'],
  ['mil gracias', 'es'],
  ['buenos días', 'es'],
  ['hi', 'en'],
  ['thanks', 'en'],
  ['hello', 'en'],
  ['thx', 'en'],
  ['bye', 'en'],
  ['yes', 'en'],
  ['price', 'en'],
  ['agent', 'en'],
  ['thank you', 'en'],
  ['good morning', 'en'],
];

function pct(x: number): string {
  return Number.isNaN(x) ? '   –' : (100 * x).toFixed(1).padStart(5);
}

function machine(): string {
  const sh = (cmd: string) => {
    try {
      return execSync(cmd, { encoding: 'utf8' }).trim();
    } catch {
      return 'n/a';
    }
  };
  return [
    `- date: ${new Date().toISOString()}`,
    `- nproc: ${sh('nproc')}; CPU: ${os.cpus()[0]?.model ?? 'unknown'}`,
    `- memory (free -h): ${sh('free -h | awk \'/Mem:/ {print $2" total, "$7" available"}\'')}`,
    `- node ${process.version}; node-nlp ${sh('node -p "require(\'node-nlp/package.json\').version"')}; natural ${sh('node -p "require(\'natural/package.json\').version"')}`,
    `- load average at start: ${os
      .loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')} (the machine is shared: timings are noisy)`,
  ].join('\n');
}

async function main(): Promise<void> {
  const corpora: Corpus[] = [
    loadClinc150(DATA),
    loadSchusterEs(DATA),
    loadBraun(DATA, 'ChatbotCorpus.json', 'braun-chatbot'),
    loadBraun(DATA, 'AskUbuntuCorpus.json', 'braun-askubuntu'),
    loadBraun(DATA, 'WebApplicationsCorpus.json', 'braun-webapps'),
  ].filter((c) => !only || only.includes(c.name));
  const machineInfo = machine();

  const results: Record<string, Record<string, SystemResult>> = {};
  for (const corpus of corpora) {
    results[corpus.name] = {};
    const systems = [charlaSystem(), ...(withNlpjs ? [nlpjsSystem()] : [])];
    for (const system of systems) {
      log(
        `… ${corpus.name}: ${system.name} (train ${corpus.train.length}, test ${corpus.test.length})`,
      );
      results[corpus.name]![system.name] = await evaluate(system, corpus);
    }
  }

  // Start-up cost of the bot itself and language detection on every corpus sentence.
  const shipped = loadShippedCatalogue();
  const startupStart = performance.now();
  const bot = createNlu();
  bot.train(shipped);
  const startupSeconds = (performance.now() - startupStart) / 1000;
  const parseLatencies: number[] = [];
  let langTotal = 0;
  let langCorrect = 0;
  const langPerCorpus: string[] = [];
  for (const corpus of corpora) {
    const sentences = [...corpus.train, ...corpus.validation, ...corpus.test];
    let ok = 0;
    for (const u of sentences) {
      const start = performance.now();
      const { language } = bot.parse(u.text);
      parseLatencies.push(performance.now() - start);
      if (language === corpus.language) ok++;
    }
    langTotal += sentences.length;
    langCorrect += ok;
    langPerCorpus.push(`${corpus.name} ${pct(ok / sentences.length).trim()} %`);
  }
  const shortOk = SHORT_MESSAGES.filter(([t, l]) => bot.classify(t).language === l).length;
  parseLatencies.sort((a, b) => a - b);

  const header =
    '| corpus | system | accuracy | macro-F1 | in-scope acc | OOS recall | OOS threshold | train s | p50 ms | p99 ms |';
  const rows = [header, '|---|---|--:|--:|--:|--:|--:|--:|--:|--:|'];
  for (const [corpus, bySystem] of Object.entries(results)) {
    for (const [system, r] of Object.entries(bySystem)) {
      rows.push(
        `| ${corpus} | ${system} | ${pct(r.accuracy)} | ${pct(r.macroF1)} | ${pct(r.inScopeAccuracy)} | ${pct(r.oosRecall)} | ${r.threshold ?? '–'} | ${r.trainSeconds.toFixed(1)} | ${r.p50Ms.toFixed(3)} | ${r.p99Ms.toFixed(3)} |`,
      );
    }
  }
  const extra = [
    `- Language detection (production NLU trained on the shipped catalogue) on all ${langTotal} corpus sentences: **${pct(langCorrect / langTotal).trim()} %** (${langPerCorpus.join(', ')}); short chat messages: ${shortOk}/${SHORT_MESSAGES.length}.`,
    `- Start-up training of the shipped catalogue (${shipped.length} intents, ${shipped.reduce((n, i) => n + i.training.es.length + i.training.en.length, 0)} phrases): **${startupSeconds.toFixed(2)} s**.`,
    `- Full \`parse\` (language + intent + entities) with the shipped model: p50 ${percentile(parseLatencies, 50).toFixed(3)} ms, p99 ${percentile(parseLatencies, 99).toFixed(3)} ms.`,
  ];

  log();
  log(rows.join('\n'));
  log();
  log(extra.join('\n'));

  if (!only && withNlpjs) {
    writeFileSync(join(REPO, 'BENCHMARKS.md'), benchmarksMarkdown(machineInfo, rows, extra));
    log('\nwrote BENCHMARKS.md');
  }

  if (jsonOutput) {
    const json: Record<string, Record<string, object>> = {};
    for (const [corpus, bySystem] of Object.entries(results)) {
      json[corpus] = {};
      for (const [system, r] of Object.entries(bySystem)) {
        json[corpus]![system] = {
          accuracy: r.accuracy,
          macroF1: r.macroF1,
          inScopeAccuracy: r.inScopeAccuracy,
          oosRecall: Number.isNaN(r.oosRecall) ? null : r.oosRecall,
          trainSeconds: r.trainSeconds,
          p50Ms: r.p50Ms,
          p99Ms: r.p99Ms,
          threshold: r.threshold,
        };
      }
    }
    process.stdout.write(JSON.stringify(json) + '\n');
  }
}

function benchmarksMarkdown(machineInfo: string, rows: string[], extra: string[]): string {
  return `# NLU benchmark

Generated by \`npm run bench:nlu\` (bench/nlu.bench.ts); re-run it to refresh this file.
Charla's production NLU (\`createNlu\` in src/nlu/) and NLP.js (node-nlp, \`NlpManager\` with
\`forceNER: true\`) are trained and evaluated in the same run on the corpora in
\`../shared/data/nlu\` (see its README.md for sources and licences).

## Machine

${machineInfo}

## Results

${rows.join('\n')}

${extra.join('\n')}

## Method

- Accuracy and macro-F1 are over the full test split. On CLINC150 that includes the 1,000
  out-of-scope (OOS) test utterances, with "oos" as one more label; in-scope accuracy counts a
  rejected in-scope utterance as an error; OOS recall is the share of OOS utterances rejected.
- Both systems train on the same utterances: CLINC150 \`train\` + \`oos_train\` (Charla trains the
  100 OOS utterances as its background "no intent" class, NLP.js as an intent named oos; NLP.js
  returning None also counts as OOS). Braun: sentences with \`training: true\`. Spanish
  (Schuster et al.): \`train-es.tsv\`, tested on \`test-es.tsv\`.
- OOS threshold (CLINC150 only): chosen per system on the validation split (\`val\` + \`oos_val\`),
  never on test, as the threshold with the highest validation OOS recall that keeps validation
  in-scope accuracy ≥ ${MIN_VAL_IN_SCOPE}. Below it a prediction becomes OOS. The other corpora
  have no OOS: the top label is taken as is.
- Hyper-parameters were chosen on validation data only (CLINC150 \`val\`, Schuster \`eval\`, and for
  Braun every 5th training sentence per intent held out), never on the test splits.
- Latency is wall-clock per utterance over the whole test split, one at a time, in-process
  (Charla: \`classify\`; NLP.js: \`await manager.process\`). Train time is wall-clock.
- Language detection is per message, as in production: the NLU trained on the shipped catalogue
  (\`intents/\`) detects the language of every train/validation/test sentence of each corpus.
`;
}

await main();
