#!/usr/bin/env node
// Builds the OpenTelemetry Collector that `npm run check:traces` sends Charla's spans to, into
// .tools/bin/otelcol-charla, from the Go module in tools/otelcol (the collector's own service with
// only the OTLP receiver and the contrib file exporter, pinned in its go.mod/go.sum). Kept there
// and rebuilt only when tools/otelcol changes (a hash of its files next to the binary). No
// collector binary can be downloaded on our machines; the Go module proxy serves the modules.
// Slow on a loaded machine: 778 s cold (2 shared cores, load ~24), seconds once cached.
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const source = path.join(root, 'tools', 'otelcol');
const target = path.join(root, '.tools', 'bin', 'otelcol-charla');
const stamp = `${target}.version`;

const hash = createHash('sha256');
for (const file of ['go.mod', 'go.sum', 'main.go'])
  hash.update(readFileSync(path.join(source, file)));
const version = hash.digest('hex').slice(0, 16);

if (existsSync(target) && existsSync(stamp) && readFileSync(stamp, 'utf8').trim() === version) {
  process.exit(0);
}
if (spawnSync('go', ['version'], { stdio: 'ignore' }).status !== 0) {
  console.error('[charla] Go is needed to build the OpenTelemetry Collector for check:traces.');
  process.exit(1);
}
console.log(
  '[charla] building the OpenTelemetry Collector (OTLP receiver + file exporter) into .tools/bin...',
);
const started = Date.now();
mkdirSync(path.dirname(target), { recursive: true });
execFileSync('go', ['build', '-trimpath', '-o', target, '.'], {
  cwd: source,
  stdio: 'inherit',
  env: { ...process.env, CGO_ENABLED: '0', GOFLAGS: '-mod=mod -buildvcs=false' },
});
writeFileSync(stamp, `${version}\n`);
console.log(
  `[charla] collector built in ${((Date.now() - started) / 1000).toFixed(0)} s: ${target}`,
);
