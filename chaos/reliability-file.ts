/**
 * RELIABILITY.md holds one section per suite between markers (like BENCHMARKS.md), so
 * `npm run chaos` rewrites only its own figures.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const HEADER = `# Reliability

Each section is written by its command (\`npm run chaos\`), with the machine and date of the run.
Faults are injected into real processes on 127.0.0.1; every acknowledged customer message is
counted from the database afterwards.
`;

export function writeReliabilitySection(repo: string, name: string, markdown: string): void {
  const file = join(repo, 'RELIABILITY.md');
  const start = `<!-- chaos:${name}:start -->`;
  const end = `<!-- chaos:${name}:end -->`;
  const block = `${start}\n${markdown.trim()}\n${end}`;
  let text = existsSync(file) ? readFileSync(file, 'utf8') : HEADER;
  const from = text.indexOf(start);
  const to = text.indexOf(end);
  text =
    from >= 0 && to > from
      ? text.slice(0, from) + block + text.slice(to + end.length)
      : `${text.trimEnd()}\n\n${block}\n`;
  writeFileSync(file, text);
}
