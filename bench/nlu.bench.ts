/**
 * `npm run bench:nlu [-- --json] [-- --corpus=clinc150,braun-chatbot] [-- --no-nlpjs]`
 *
 * Trains and evaluates Charla's production NLU and NLP.js (node-nlp) in the same run on the
 * public corpora in ../shared/data/nlu, prints a table, and (on a full run) writes
 * BENCHMARKS.md. With --json the last line of stdout is one JSON object with the results.
 * OOS thresholds are chosen on validation data only.
 */
import { execSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import os from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse as parseYaml } from 'yaml';
import type { IntentDefinition } from '../src/kernel/contracts/nlu.js';
import { createNlu } from '../src/pipeline/nlu/index.js';
import {
  SELECTION_CANDIDATES,
  selectClassifierOptions,
} from '../src/pipeline/nlu/model-selection.js';
import { writeBenchmarkSection } from './benchmarks-file.js';
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
  /** p99 of the process CPU time (all threads, user + system) during each call. */
  p99CpuMs: number;
  /** OOS threshold chosen on validation (CLINC150 only). */
  threshold: number | null;
}

async function predictAll(
  system: BenchSystem,
  texts: string[],
): Promise<{ raw: RawPrediction[]; latencies: number[]; cpu: number[] }> {
  const raw: RawPrediction[] = [];
  const latencies: number[] = [];
  const cpu: number[] = [];
  for (const text of texts) {
    const cpuStart = process.cpuUsage();
    const start = performance.now();
    raw.push(await system.predict(text));
    latencies.push(performance.now() - start);
    const used = process.cpuUsage(cpuStart);
    cpu.push((used.user + used.system) / 1000);
  }
  return { raw, latencies, cpu };
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
    p99CpuMs: percentile(
      test.cpu.sort((a, b) => a - b),
      99,
    ),
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

/** What createNlu's model selection picks on each small corpus (it is deterministic). */
function selectionSummary(corpora: Corpus[]): string {
  const parts: string[] = [];
  for (const c of corpora) {
    if (c.hasOos) continue;
    const examples = c.train.map((u) => ({ text: u.text, label: u.label, language: c.language }));
    const { options, scores } = selectClassifierOptions(examples);
    if (scores.length === 0) continue;
    parts.push(
      `${c.name} ${scores.map((x) => pct(x).trim()).join(' / ')} → \`${JSON.stringify(options)}\``,
    );
  }
  return parts.length > 0 ? parts.join('; ') : 'no corpus is small enough';
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
    '| corpus | system | accuracy | macro-F1 | in-scope acc | OOS recall | OOS threshold | train s | p50 ms | p99 ms | p99 CPU ms |';
  const rows = [header, '|---|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|'];
  for (const [corpus, bySystem] of Object.entries(results)) {
    for (const [system, r] of Object.entries(bySystem)) {
      rows.push(
        `| ${corpus} | ${system} | ${pct(r.accuracy)} | ${pct(r.macroF1)} | ${pct(r.inScopeAccuracy)} | ${pct(r.oosRecall)} | ${r.threshold ?? '–'} | ${r.trainSeconds.toFixed(1)} | ${r.p50Ms.toFixed(3)} | ${r.p99Ms.toFixed(3)} | ${r.p99CpuMs.toFixed(3)} |`,
      );
    }
  }
  const extra = [
    `- Language detection (production NLU trained on the shipped catalogue) on all ${langTotal} corpus sentences: **${pct(langCorrect / langTotal).trim()} %** (${langPerCorpus.join(', ')}); short chat messages: ${shortOk}/${SHORT_MESSAGES.length}.`,
    `- Start-up training of the shipped catalogue (${shipped.length} intents, ${shipped.reduce((n, i) => n + i.training.es.length + i.training.en.length, 0)} phrases): **${startupSeconds.toFixed(2)} s**.`,
    `- Full \`parse\` (language + intent + entities) with the shipped model: p50 ${percentile(parseLatencies, 50).toFixed(3)} ms, p99 ${percentile(parseLatencies, 99).toFixed(3)} ms.`,
    `- Model selection on small training sets (cross-validated accuracy on the training split per candidate ${SELECTION_CANDIDATES.map((c) => '`' + JSON.stringify(c) + '`').join(', ')}; → the one trained): ${selectionSummary(corpora)}.`,
  ];

  const targets = checkTargets(results, langCorrect / langTotal);
  log();
  log(rows.join('\n'));
  log();
  log(extra.join('\n'));
  log();
  log(targets.join('\n'));

  if (!only && withNlpjs) {
    writeBenchmarkSection(REPO, 'nlu', benchmarksMarkdown(machineInfo, rows, extra, targets));
    log('\nwrote the NLU section of BENCHMARKS.md');
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
          p99CpuMs: r.p99CpuMs,
          threshold: r.threshold,
        };
      }
    }
    process.stdout.write(JSON.stringify(json) + '\n');
  }
}

/** The issue's targets, each checked on this run's numbers. */
function checkTargets(
  results: Record<string, Record<string, SystemResult>>,
  languageAccuracy: number,
): string[] {
  const lines: string[] = [];
  const mark = (ok: boolean) => (ok ? 'met' : '**missed**');
  for (const [corpus, r] of Object.entries(results)) {
    const charla = r.charla;
    const nlpjs = r.nlpjs;
    if (!charla || !nlpjs) continue;
    const margin = corpus === 'clinc150' || corpus === 'schuster2019-es' ? 0.03 : 0;
    const diff = 100 * (charla.accuracy - nlpjs.accuracy);
    lines.push(
      `- ${corpus}: accuracy ≥ NLP.js${margin ? ' + 3 points' : ''} — ${mark(charla.accuracy >= nlpjs.accuracy + margin - 1e-9)} (${diff >= 0 ? '+' : ''}${diff.toFixed(1)} points)`,
    );
  }
  const clinc = results.clinc150?.charla;
  if (clinc) {
    lines.push(
      `- CLINC150 OOS recall ≥ 0.70 at in-scope accuracy ≥ 0.90 — ${mark(clinc.oosRecall >= 0.7 && clinc.inScopeAccuracy >= 0.9)} (${clinc.oosRecall.toFixed(3)} at ${clinc.inScopeAccuracy.toFixed(3)})`,
      `- CLINC150 training ≤ 60 s — ${mark(clinc.trainSeconds <= 60)} (${clinc.trainSeconds.toFixed(1)} s wall-clock)`,
    );
  }
  const worstP99 = Math.max(...Object.values(results).map((r) => r.charla?.p99Ms ?? 0));
  const worstCpuP99 = Math.max(...Object.values(results).map((r) => r.charla?.p99CpuMs ?? 0));
  lines.push(
    `- classify p99 ≤ 5 ms — ${mark(worstP99 <= 5)} (worst corpus: ${worstP99.toFixed(2)} ms wall-clock, ${worstCpuP99.toFixed(2)} ms CPU)`,
    `- language detection ≥ 98 % on the corpora's sentences — ${mark(languageAccuracy >= 0.98)} (${(100 * languageAccuracy).toFixed(1)} %)`,
  );
  return lines;
}

function benchmarksMarkdown(
  machineInfo: string,
  rows: string[],
  extra: string[],
  targets: string[],
): string {
  return `## NLU: Charla vs NLP.js (\`npm run bench:nlu\`)

Generated by \`npm run bench:nlu\` (bench/nlu.bench.ts); re-run it to refresh this section.
Charla's production NLU (\`createNlu\` in src/pipeline/nlu/) and NLP.js (node-nlp, \`NlpManager\` with
\`forceNER: true\`) are trained and evaluated in the same run on the corpora in
\`../shared/data/nlu\` (see its README.md for sources and licences).

### Machine

${machineInfo}

### Results

${rows.join('\n')}

${extra.join('\n')}

### Targets (from the issue), checked on this run

${targets.join('\n')}

### Discussion

- What the classifier is: natural's tokenizer and Porter stemmers (es/en) give stemmed word
  unigrams and bigrams; character 3–5-grams inside word boundaries on accent-folded text cover
  typos and missing accents. Features are sublinear TF × IDF, L2-normalised (unknown features
  still count in the norm, so mostly-unknown text gets a flat, unconfident distribution). A
  softmax regression trained with Adagrad SGD (12 epochs, Float32Arrays) is blended 50/50 with a
  nearest-centroid (cosine) distribution, which has no class prior and helps intents with one or
  two examples. Out-of-scope: a background class (CLINC150's \`oos_train\`; for the bot, generic
  chit-chat in src/pipeline/nlu/out-of-domain.ts) plus a probability threshold.
- Model selection (src/pipeline/nlu/model-selection.ts), part of \`createNlu\`'s \`train\`: when a
  catalogue has fewer than 500 examples (here the three Braun corpora; not CLINC150, not the
  Spanish set, not the shipped bot catalogue), five variants (the defaults and four single-option
  changes) are scored by stratified 4-fold cross-validation repeated 3 times on the training
  examples only, and the best is trained (the defaults win ties). The variants are the
  single-option changes that helped one Braun corpus and hurt another in bench/tune.ts's
  cross-validation. Small catalogues also get unstemmed words as extra features (\`rawWords\`),
  which raised every Braun cross-validation score but cost CLINC150 a point of validation OOS
  recall, so large catalogues do not. The procedure was checked with nested cross-validation
  (selection run inside each half of bench/tune.ts's repeated 2-fold CV on the Braun training
  splits, \`SELECT=1 SKIP_CLINC=1 npx tsx bench/tune.ts\`): Chatbot 95.4 → 95.8, AskUbuntu
  87.4 → 89.2, WebApplications 77.0 → 78.0 (without \`rawWords\`: 95.4, 88.9, 77.0; NLP.js in
  the same protocol: 97.2, 84.2, 73.0). On the test splits it changed no Braun result:
  the test-split gaps to NLP.js are one and two sentences. A first grid (centroid mix 0 / 0.8, class balance 1, word
  weight 1; one 4-fold pass) scored 95.4 / 86.8 / 76.3 in that check, i.e. worse than the
  defaults, and was dropped even though on the WebApplications test split it happened to
  match NLP.js (83.1).
- The "+3 points over NLP.js on the Spanish set" target cannot be met while NLP.js is at ~97 %
  there (it would need > 100 %); Charla is ahead of it by a smaller margin.
- Spanish choices (tokenisation, stemming, accents, character n-grams) were compared by
  stratified 5-fold cross-validation on the Schuster TRAINING split only
  (\`ES_CV=1 npx tsx bench/tune.ts ...\`; 3,616 utterances, one utterance = 0.03 points). Charla
  defaults 97.90 % accuracy / 92.89 macro-F1; NLP.js in the same folds 96.76 / 92.14. Variants:
  character 2–5-grams 97.90 / 92.73, 3–6-grams 97.90 / 92.96, unstemmed words added 97.90 /
  92.89, no word bigrams 97.90 / 92.88, stemming the accent-folded word 97.90 / 92.89, no
  stemming 97.93 / 92.99. With accents and capitals stripped from the held-out text (ES_STRIP=1,
  as customers type): defaults 97.90, folded stemming 97.90 (the character n-grams on folded text
  already cover missing accents). No variant moved accuracy by more than one utterance, so none
  was adopted and the defaults stay as they are. This workspace has no larger Spanish corpus
  with many intents (only the 12-intent Schuster set in ../shared/data/nlu), so the "Charla
  trails NLP.js by ~2 points" gap from the issue could not be reproduced or measured here.
- The Braun AskUbuntu and WebApplications test splits have 109 and 59 sentences (53 and 30 to
  train on): one sentence is 0.9 and 1.7 points. Where Charla is behind NLP.js there, it is by a
  sentence or two; no hyper-parameter was tuned on these test sets to close the gap (options
  that helped one corpus in cross-validation hurt another, see bench/tune.ts). In
  cross-validation on the training splits Charla is ahead of NLP.js on both (see above) and
  behind on Chatbot, the reverse of the test splits: at these sizes the gaps are within noise,
  and NLP.js's results are deterministic (two runs gave the same scores). For the record:
  the nearest-centroid blend was explored after a first full run showed WebApplications at
  71 %; whether to adopt it and its settings were decided on validation data only.
- Timings depend on the load average printed under Machine: when it is well above the core
  count, train time and p99 measure contention (other jobs), not the classifier; accuracy does
  not depend on load.
- Latency: p99 wall-clock is taken on a machine shared with other jobs, so it includes time the
  process was not scheduled. The CPU column is the process's CPU time during each call, all
  threads included (garbage collector, NLP.js's workers), so it can exceed wall-clock; read it
  as a second, noisy view. NLP.js runs with \`forceNER: true\` as specified, which makes each
  \`process\` call cost milliseconds.
- The bot's own threshold (\`DEFAULT_THRESHOLD\` in src/pipeline/nlu/index.ts, overridable with
  NLU_THRESHOLD) is separate from the CLINC150 threshold chosen above: it is set for the shipped
  13-intent catalogue, whose tests (test/pipeline/nlu) check unseen phrasings are recognised and
  off-topic sentences are not.

### Method

- Accuracy and macro-F1 are over the full test split. On CLINC150 that includes the 1,000
  out-of-scope (OOS) test utterances, with "oos" as one more label; in-scope accuracy counts a
  rejected in-scope utterance as an error; OOS recall is the share of OOS utterances rejected.
- Both systems train on the same utterances: CLINC150 \`train\` + \`oos_train\` (Charla trains the
  100 OOS utterances as its background "no intent" class, NLP.js as an intent named oos; NLP.js
  returning None also counts as OOS). Braun: sentences with \`training: true\`. Spanish
  (Schuster et al.): \`train-es.tsv\`, tested on \`test-es.tsv\`.
- Training order: every training split is shuffled once with a fixed seed
  (\`seededShuffle\` in bench/corpora.ts, seed \`TRAIN_ORDER_SEED\`) and both systems train on that
  same order. The corpora list their utterances grouped by intent, and NLP.js's accuracy depends
  on that order (grouped CLINC150 handicapped it: in-scope 83.9 % grouped, shuffled higher);
  Charla's trainer shuffles its examples itself with its own seed.
- OOS threshold (CLINC150 only): chosen per system on the validation split (\`val\` + \`oos_val\`),
  never on test, as the threshold with the highest validation OOS recall that keeps validation
  in-scope accuracy ≥ ${MIN_VAL_IN_SCOPE}. Below it a prediction becomes OOS. The other corpora
  have no OOS: the top label is taken as is.
- Hyper-parameters (src/pipeline/nlu/classifier.ts \`DEFAULT_CLASSIFIER\`, the same for the large corpora
  and for the bot) were chosen with bench/tune.ts on validation data only: CLINC150 \`val\`,
  Schuster \`eval\`, and repeated 2-fold cross-validation inside each Braun training split; never
  on test. Small catalogues choose among a few variants by cross-validation on their own
  training data (see Discussion), inside \`createNlu\`, so the benchmark measures that too.
- Latency is wall-clock per utterance over the whole test split, one at a time, in-process
  (Charla: \`classify\`; NLP.js: \`await manager.process\`). Train time is wall-clock.
- Language detection is per message, as in production: the NLU trained on the shipped catalogue
  (\`intents/\`) detects the language of every train/validation/test sentence of each corpus.
`;
}

await main();
