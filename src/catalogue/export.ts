/**
 * Writes the live catalogue back to YAML files (one per intent and per flow), so admin edits made
 * in MongoDB can be reviewed and committed as the new shipped defaults.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { stringify } from 'yaml';
import type { Catalogue } from './index.js';

export async function exportCatalogue(
  catalogue: Catalogue,
  dirs: { intentsDir: string; flowsDir: string },
): Promise<string[]> {
  await mkdir(dirs.intentsDir, { recursive: true });
  await mkdir(dirs.flowsDir, { recursive: true });
  const written: string[] = [];
  for (const intent of catalogue.intents) {
    const file = path.join(dirs.intentsDir, `${intent.name}.yaml`);
    const { name, action, training, answers } = intent;
    await writeFile(file, stringify({ name, action, training, ...(answers ? { answers } : {}) }));
    written.push(file);
  }
  for (const flow of catalogue.flows) {
    const file = path.join(dirs.flowsDir, `${flow.name}.yaml`);
    await writeFile(file, stringify(flow));
    written.push(file);
  }
  return written;
}
