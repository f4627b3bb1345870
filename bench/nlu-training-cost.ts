/**
 * `npx tsx bench/nlu-training-cost.ts`: what the shipped catalogue costs to learn — one
 * production training (every start and every test app pays it) and the studio's
 * cross-validated publish report (src/features/catalogue/report.ts), with the report's figures.
 */
import os from 'node:os';
import { catalogueReport } from '../src/features/catalogue/report.js';
import { createNlu } from '../src/pipeline/nlu/index.js';
import { loadShippedCatalogue } from './dev-set.js';

const catalogue = loadShippedCatalogue();
const phrases = catalogue.reduce((n, i) => n + i.training.es.length + i.training.en.length, 0);
const runs = 3;
const times: number[] = [];
const cpu: number[] = [];
for (let i = 0; i < runs; i++) {
  const start = performance.now();
  const cpuStart = process.cpuUsage();
  createNlu().train(catalogue);
  times.push((performance.now() - start) / 1000);
  const used = process.cpuUsage(cpuStart);
  cpu.push((used.user + used.system) / 1e6);
}
times.sort((a, b) => a - b);
cpu.sort((a, b) => a - b);
console.log(`${catalogue.length} intents, ${phrases} phrases`);
console.log(
  `training: median ${times[1]!.toFixed(2)} s wall, ${cpu[1]!.toFixed(2)} s CPU (wall runs ${times.map((t) => t.toFixed(2)).join(', ')}; load ${os.loadavg()[0]!.toFixed(1)})`,
);
const start = performance.now();
const reportCpu = process.cpuUsage();
const report = catalogueReport(catalogue);
console.log(
  `report: ${((performance.now() - start) / 1000).toFixed(2)} s wall, ${(process.cpuUsage(reportCpu).user / 1e6).toFixed(2)} s CPU, cross-validated accuracy ${report.accuracy.toFixed(3)}, fallback ${report.fallbackRate.toFixed(3)}`,
);
for (const i of report.intents)
  console.log(
    `  ${i.intent.padEnd(18)} ${i.accuracy.toFixed(3)} (${i.fallbacks} fallbacks of ${i.tested})`,
  );
