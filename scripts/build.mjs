#!/usr/bin/env node
/**
 * `npm run build`: the compiled tree that production runs with plain `node dist/src/main.js`.
 *
 * tsc (tsconfig.build.json) emits src/ and channels/ file for file, so every path the code
 * computes from its own `import.meta.url` (intents/, flows/, scoring/rules.yaml, the console,
 * the web chat widget, the SQL beside embedded-postgres.ts) keeps the same place relative to the
 * output root as to the repository root; this script then copies those runtime files beside the
 * JavaScript and writes a package.json marking the tree as ES modules, so dist/ runs wherever a
 * node_modules/ is found above it. The console is built (console/dist) when stale and copied.
 *
 * Usage: node scripts/build.mjs [--out DIR] [--skip-console]
 */
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureConsole } from './ensure-console.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** Data directories read at run time, relative to the repository (and so to the output) root. */
const DATA_DIRS = ['intents', 'flows', 'scoring'];
/** Compiled trees whose non-TypeScript files (SQL, widget assets) are read at run time. */
const CODE_DIRS = ['src', 'channels'];

function parseArgs(argv) {
  const outAt = argv.indexOf('--out');
  const out = outAt >= 0 ? argv[outAt + 1] : 'dist';
  if (!out) throw new Error('--out needs a directory');
  return { out: path.resolve(ROOT, out), console: !argv.includes('--skip-console') };
}

function compile(out) {
  const tsc = path.join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
  const result = spawnSync(
    process.execPath,
    [tsc, '-p', path.join(ROOT, 'tsconfig.build.json'), '--outDir', out],
    { cwd: ROOT, stdio: 'inherit' },
  );
  if (result.status !== 0) throw new Error('tsc failed (tsconfig.build.json)');
}

/** Runtime files that live beside the code: everything but TypeScript and READMEs. */
function isRuntimeAsset(file) {
  return !file.endsWith('.ts') && !file.endsWith('.md');
}

function copyAssets(dir, out) {
  for (const entry of readdirSync(path.join(ROOT, dir), { withFileTypes: true })) {
    const rel = path.join(dir, entry.name);
    if (entry.isDirectory()) copyAssets(rel, out);
    else if (isRuntimeAsset(entry.name)) cpSync(path.join(ROOT, rel), path.join(out, rel));
  }
}

function writePackageJson(out) {
  const pkg = { name: 'charla-dist', private: true, type: 'module' };
  writeFileSync(path.join(out, 'package.json'), `${JSON.stringify(pkg, null, 2)}\n`);
}

function copyConsole(out) {
  ensureConsole();
  cpSync(path.join(ROOT, 'console', 'dist'), path.join(out, 'console', 'dist'), {
    recursive: true,
  });
}

function build({ out, console: withConsole }) {
  const started = Date.now();
  // Never wipe the repository (or a folder holding it) by a mistyped --out.
  if (ROOT === out || ROOT.startsWith(out + path.sep))
    throw new Error(`--out ${out} holds the repository`);
  if (existsSync(out) && statSync(out).isDirectory()) rmSync(out, { recursive: true });
  compile(out);
  for (const dir of CODE_DIRS) copyAssets(dir, out);
  for (const dir of DATA_DIRS)
    cpSync(path.join(ROOT, dir), path.join(out, dir), { recursive: true });
  writePackageJson(out);
  if (withConsole) copyConsole(out);
  const took = ((Date.now() - started) / 1000).toFixed(1);
  console.log(`built ${path.relative(process.cwd(), out) || '.'} in ${took} s`);
}

build(parseArgs(process.argv.slice(2)));
