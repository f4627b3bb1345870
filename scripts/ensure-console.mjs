#!/usr/bin/env node
/**
 * Builds the console (console/dist) when it is missing or older than its sources, so `npm start`
 * and the browser tests always serve the current app while nothing built is committed.
 * Concurrent callers (parallel test files) wait for one build instead of racing: a lock directory
 * guards it. `--force` rebuilds regardless.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const CONSOLE = path.join(ROOT, 'console');
const BUILT = path.join(CONSOLE, 'dist', 'index.html');
const LOCK = path.join(CONSOLE, '.build-lock');
const SOURCES = ['src', 'public', 'index.html', 'vite.config.ts', 'tsconfig.json'].map((p) =>
  path.join(CONSOLE, p),
);

function newestMtime(p) {
  if (!existsSync(p)) return 0;
  const st = statSync(p);
  if (!st.isDirectory()) return st.mtimeMs;
  let newest = st.mtimeMs;
  for (const entry of readdirSync(p)) newest = Math.max(newest, newestMtime(path.join(p, entry)));
  return newest;
}

function isStale() {
  if (!existsSync(BUILT)) return true;
  const sources = Math.max(
    ...SOURCES.map(newestMtime),
    newestMtime(path.join(ROOT, 'package-lock.json')),
  );
  return statSync(BUILT).mtimeMs < sources;
}

function acquireLock() {
  const deadline = Date.now() + 180_000;
  for (;;) {
    try {
      mkdirSync(LOCK);
      return;
    } catch (err) {
      if (err.code !== 'EEXIST') throw err;
      // A lock older than two minutes belongs to a build that died.
      if (Date.now() - statSync(LOCK).mtimeMs > 120_000) rmSync(LOCK, { recursive: true });
      if (Date.now() > deadline) throw new Error(`console build lock ${LOCK} held too long`);
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 200);
    }
  }
}

export function ensureConsole({ force = false } = {}) {
  if (!force && !isStale()) return false;
  acquireLock();
  try {
    if (!force && !isStale()) return false;
    const vite = path.join(ROOT, 'node_modules', 'vite', 'bin', 'vite.js');
    const result = spawnSync(
      process.execPath,
      [vite, 'build', '--config', path.join(CONSOLE, 'vite.config.ts'), '--logLevel', 'warn'],
      { cwd: ROOT, stdio: 'inherit' },
    );
    if (result.status !== 0) throw new Error('console build failed (npm run build:console)');
    return true;
  } finally {
    rmSync(LOCK, { recursive: true, force: true });
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const built = ensureConsole({ force: process.argv.includes('--force') });
  console.log(built ? 'console built (console/dist)' : 'console up to date (console/dist)');
}
