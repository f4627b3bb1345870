/**
 * BENCHMARKS.md holds one section per benchmark between markers, so each `npm run bench:*`
 * rewrites only its own figures and keeps the others'.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';

const HEADER = `# Benchmarks

Each section is written by its \`npm run bench:*\` command, with the machine and date of the run.
Re-run a benchmark to refresh its section; the others are kept.
`;

export function machineLine(): string {
  const cpu = cpus()[0]?.model.trim() ?? 'unknown CPU';
  const gib = Math.round(totalmem() / 2 ** 30);
  return `${cpus().length} × ${cpu}, ${gib} GiB RAM, Node ${process.version}, ${new Date().toISOString().slice(0, 10)}`;
}

export function writeBenchmarkSection(repo: string, name: string, markdown: string): void {
  const file = join(repo, 'BENCHMARKS.md');
  const start = `<!-- bench:${name}:start -->`;
  const end = `<!-- bench:${name}:end -->`;
  const block = `${start}\n${markdown.trim()}\n${end}`;
  let text = existsSync(file) ? readFileSync(file, 'utf8') : HEADER;
  const from = text.indexOf(start);
  const to = text.indexOf(end);
  if (from >= 0 && to > from) {
    text = text.slice(0, from) + block + text.slice(to + end.length);
  } else {
    text = `${text.trimEnd()}\n\n${block}\n`;
  }
  writeFileSync(file, text);
}
