/**
 * Start-up time, tsx (`npm start`'s `node --import tsx src/main.ts`) against the compiled build
 * (`node dist/src/main.js`): process start → first `/readyz` 200, on embedded defaults (FerretDB
 * started by Charla on one data directory prepared by a first, unmeasured start; the machine's
 * Redis). Runs alternate between the two so that machine load falls on both alike; medians.
 *
 * npm run bench:startup   (STARTUP_RUNS=7 for more runs; STARTUP_DIST=path/to/dist to time a
 * build already made, with a node_modules/ above it; writes its section of BENCHMARKS.md)
 */
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { Redis } from 'ioredis';
import { startChildCharla } from '../test/support/child-charla.js';
import { machineLine, writeBenchmarkSection } from './benchmarks-file.js';

const ROOT = path.resolve(import.meta.dirname, '..');
const RUNS = Number(process.env.STARTUP_RUNS ?? 5);
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

type Variant = 'tsx' | 'compiled';

async function waitReady(url: string): Promise<void> {
  for (;;) {
    const res = await fetch(`${url}/readyz`).catch(() => undefined);
    if (res?.status === 200) return;
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** Milliseconds from spawning the process to its first /readyz 200. */
async function startOnce(variant: Variant, env: Record<string, string>, main: string) {
  const started = performance.now();
  const child = await startChildCharla(env, variant === 'compiled' ? { main } : {});
  await waitReady(child.url);
  const ms = performance.now() - started;
  await child.stop();
  return ms;
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
};

async function main() {
  const work = mkdtempSync(path.join(tmpdir(), 'charla-startup-'));
  // The embedded PostgreSQL runs as its own user when we are root: it must reach DATA_DIR.
  chmodSync(work, 0o755);
  const out = path.join(work, 'dist');
  const prefix = `charla-startup-${path.basename(work)}`;
  try {
    execFileSync('node', ['scripts/ensure-console.mjs'], { cwd: ROOT, stdio: 'inherit' });
    if (!process.env.STARTUP_DIST) {
      console.log('building (npm run build) ...');
      execFileSync('npm', ['run', 'build', '--', '--out', out], { cwd: ROOT, stdio: 'inherit' });
      symlinkSync(path.join(ROOT, 'node_modules'), path.join(work, 'node_modules'), 'dir');
    }
    const env = {
      DATA_DIR: path.join(work, 'data'),
      FERRETDB_BIN: path.join(ROOT, '.tools', 'bin', 'ferretdb'),
      REDIS_URL,
      QUEUE_PREFIX: prefix,
    };
    const main = path.join(path.resolve(process.env.STARTUP_DIST ?? out), 'src', 'main.js');
    console.log('preparing the embedded database (first start, not measured) ...');
    await startOnce('compiled', env, main);
    const times: Record<Variant, number[]> = { tsx: [], compiled: [] };
    const loadBefore = loadavg()[0]!;
    for (let i = 0; i < RUNS; i++) {
      for (const variant of ['tsx', 'compiled'] as const) {
        const ms = await startOnce(variant, env, main);
        times[variant].push(ms);
        console.log(`${variant} run ${i + 1}: ${Math.round(ms)} ms`);
      }
    }
    report(times, loadBefore, loadavg()[0]!);
  } finally {
    const redis = new Redis(REDIS_URL);
    const keys = await redis.keys(`${prefix}:*`);
    if (keys.length > 0) await redis.del(...keys);
    redis.disconnect();
    rmSync(work, { recursive: true, force: true });
  }
}

function report(times: Record<Variant, number[]>, loadBefore: number, loadAfter: number) {
  const row = (v: Variant, how: string) =>
    `| ${how} | ${Math.round(median(times[v]))} ms | ${times[v].map((t) => Math.round(t)).join(', ')} |`;
  const saved = median(times.tsx) - median(times.compiled);
  const markdown = `## Start-up time, tsx vs compiled (\`npm run bench:startup\`)

${machineLine()}; load average ${loadBefore.toFixed(1)} at the start, ${loadAfter.toFixed(1)} at the end.
Process start → first \`/readyz\` 200, embedded defaults (FerretDB started by Charla on a data
directory prepared by an unmeasured first start, the machine's Redis), ${RUNS} runs each, alternating.

| how | median | runs |
| --- | --- | --- |
${row('tsx', '`node --import tsx src/main.ts` (`npm start`)')}
${row('compiled', '`node dist/src/main.js` (the image)')}

Median difference: ${Math.round(saved)} ms (tsx − compiled).`;
  console.log(`\n${markdown}`);
  writeBenchmarkSection(ROOT, 'startup', markdown);
}

await main();
