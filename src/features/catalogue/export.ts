/**
 * Writes the live catalogue back to YAML files (one per intent and per flow), so admin edits made
 * in MongoDB can be reviewed and committed as the new shipped defaults: to a directory, or as a
 * zip of `intents/*.yaml` + `flows/*.yaml` (the studio's download; fflate builds the archive).
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { strToU8, zipSync } from 'fflate';
import { stringify } from 'yaml';
import type { Catalogue } from '../../pipeline/catalogue/catalogue.js';

export interface CatalogueFile {
  /** `intents/<name>.yaml` or `flows/<name>.yaml`. */
  path: string;
  content: string;
}

/** The YAML files of a catalogue, in the shape intents/*.yaml and flows/*.yaml are read. */
export function catalogueFiles(catalogue: Pick<Catalogue, 'intents' | 'flows'>): CatalogueFile[] {
  const files: CatalogueFile[] = [];
  for (const intent of catalogue.intents) {
    const { name, action, training, answers, quickReplies, label } = intent;
    files.push({
      path: `intents/${name}.yaml`,
      content: stringify({
        name,
        action,
        training,
        ...(answers ? { answers } : {}),
        ...(quickReplies ? { quickReplies } : {}),
        ...(label ? { label } : {}),
      }),
    });
  }
  for (const flow of catalogue.flows) {
    files.push({ path: `flows/${flow.name}.yaml`, content: stringify(flow) });
  }
  return files;
}

/** A zip archive of `catalogueFiles`. */
export function catalogueZip(catalogue: Pick<Catalogue, 'intents' | 'flows'>): Uint8Array {
  const entries: Record<string, Uint8Array> = {};
  for (const file of catalogueFiles(catalogue)) entries[file.path] = strToU8(file.content);
  return zipSync(entries, { level: 6 });
}

export async function exportCatalogue(
  catalogue: Catalogue,
  dirs: { intentsDir: string; flowsDir: string },
): Promise<string[]> {
  await mkdir(dirs.intentsDir, { recursive: true });
  await mkdir(dirs.flowsDir, { recursive: true });
  const written: string[] = [];
  for (const file of catalogueFiles(catalogue)) {
    const [kind, name] = file.path.split('/') as [string, string];
    const target = path.join(kind === 'intents' ? dirs.intentsDir : dirs.flowsDir, name);
    await writeFile(target, file.content);
    written.push(target);
  }
  return written;
}
