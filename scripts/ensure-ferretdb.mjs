#!/usr/bin/env node
// Builds the embedded MongoDB-compatible server (FerretDB, SQLite backend) into .tools/bin when
// Go is available and no binary is there yet. No MongoDB binary can be downloaded on our machines,
// so this is how `npm start` and `npm test` get a database on a fresh clone.
import { execFileSync, spawnSync } from 'node:child_process';
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  rmSync,
  writeFileSync,
  chmodSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const FERRETDB_VERSION = 'v1.24.2';
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const target = path.join(root, '.tools', 'bin', 'ferretdb');

if (process.env.MONGODB_URI || process.env.FERRETDB_BIN) process.exit(0);
if (existsSync(target)) process.exit(0);
if (spawnSync('ferretdb', ['--version'], { stdio: 'ignore' }).status === 0) process.exit(0);
if (spawnSync('go', ['version'], { stdio: 'ignore' }).status !== 0) {
  console.warn(
    '[charla] Go is not installed, so the embedded FerretDB cannot be built. Set MONGODB_URI, ' +
      'install Go, or put a ferretdb binary on PATH (or FERRETDB_BIN).',
  );
  process.exit(0);
}

console.log(`[charla] building FerretDB ${FERRETDB_VERSION} into .tools/bin (first run only)...`);
const mod = `github.com/FerretDB/FerretDB@${FERRETDB_VERSION}`;
// `go install pkg@version` needs the module's version list, which the proxy may refuse; downloading
// the exact version and building from a copy does not.
const info = JSON.parse(
  execFileSync('go', ['mod', 'download', '-json', mod], { encoding: 'utf8' }),
);
if (!info.Dir) throw new Error(`go mod download ${mod} failed: ${info.Error ?? 'no directory'}`);
const work = mkdtempSync(path.join(tmpdir(), 'ferretdb-src-'));
try {
  cpSync(info.Dir, work, { recursive: true });
  chmodSync(path.join(work, 'build', 'version'), 0o755);
  // The version file is generated in FerretDB's own release process; the build refuses to run without it.
  writeFileSync(path.join(work, 'build', 'version', 'version.txt'), `${FERRETDB_VERSION}\n`);
  mkdirSync(path.dirname(target), { recursive: true });
  execFileSync('go', ['build', '-o', target, './cmd/ferretdb'], {
    cwd: work,
    stdio: 'inherit',
    env: { ...process.env, CGO_ENABLED: '0', GOFLAGS: '-mod=mod' },
  });
  console.log(`[charla] FerretDB built: ${target}`);
} finally {
  rmSync(work, { recursive: true, force: true });
}
