/**
 * The catalogue: intents (intents/*.yaml) and flows (flows/*.yaml). The files are the shipped
 * defaults: each is validated and seeded into MongoDB (per-name definitions, version 1 when its
 * name is absent); `loadCatalogue` returns the highest valid version of each name.
 *
 * What runs is a published catalogue version (versions.ts): on a database without one, the
 * catalogue `loadCatalogue` returns is stored as version 1; from then on the bot studio (draft →
 * publish / rollback) appends versions and every instance follows (sync.ts). Once a database has
 * versions, a new shipped file reaches it through the studio (or FAQ import), not at start-up.
 */
import { readFile, readdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse as parseYaml } from 'yaml';
import type { IntentDefinition } from '../../kernel/contracts/nlu.js';
import { isDuplicateKeyError } from '../../kernel/db/errors.js';
import { FlowDefinitionModel, IntentDefinitionModel } from '../../kernel/db/models/definitions.js';
import { parseFlowDefinition, type FlowDefinition } from '../flows/schema.js';
import { parseIntentDefinition } from './schema.js';

export interface Catalogue {
  intents: IntentDefinition[];
  flows: FlowDefinition[];
  /** The published version running (versions.ts); absent for a catalogue read from files only. */
  version?: number;
}

export interface CatalogueOptions {
  intentsDir?: string;
  flowsDir?: string;
}

export class CatalogueError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CatalogueError';
  }
}

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
export const DEFAULT_INTENTS_DIR = path.join(repoRoot, 'intents');
export const DEFAULT_FLOWS_DIR = path.join(repoRoot, 'flows');

async function readYamlDir(dir: string): Promise<Array<{ file: string; doc: unknown }>> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  }
  const files = names.filter((n) => /\.ya?ml$/.test(n)).sort();
  return Promise.all(
    files.map(async (name) => {
      const file = path.join(dir, name);
      try {
        return { file, doc: parseYaml(await readFile(file, 'utf8')) as unknown };
      } catch (err) {
        throw new CatalogueError(
          `${file} is not valid YAML: ${err instanceof Error ? err.message : String(err)}`,
        );
      }
    }),
  );
}

function uniqueByName<T extends { name: string }>(defs: Array<{ def: T; file: string }>): T[] {
  const seen = new Map<string, string>();
  for (const { def, file } of defs) {
    const other = seen.get(def.name);
    if (other) throw new CatalogueError(`"${def.name}" is defined twice: ${other} and ${file}`);
    seen.set(def.name, file);
  }
  return defs.map((d) => d.def);
}

/** Reads and validates intents/*.yaml; throws naming the file and each problem. */
export async function readIntentFiles(dir = DEFAULT_INTENTS_DIR): Promise<IntentDefinition[]> {
  const docs = await readYamlDir(dir);
  return uniqueByName(
    docs.map(({ file, doc }) => ({ file, def: parseIntentDefinition(doc, file) })),
  );
}

/** Reads and validates flows/*.yaml; throws FlowDefinitionError naming the file and each problem. */
export async function readFlowFiles(dir = DEFAULT_FLOWS_DIR): Promise<FlowDefinition[]> {
  const docs = await readYamlDir(dir);
  return uniqueByName(docs.map(({ file, doc }) => ({ file, def: parseFlowDefinition(doc, file) })));
}

/** Inserts version 1 of each definition whose name is not in the collection yet. Race-safe. */
async function seed(
  model: {
    exists(filter: { name: string }): PromiseLike<unknown>;
    create(doc: Record<string, unknown>): Promise<unknown>;
  },
  docs: Array<{ name: string } & Record<string, unknown>>,
): Promise<void> {
  for (const doc of docs) {
    if (await model.exists({ name: doc.name })) continue;
    try {
      await model.create({ ...doc, version: 1, source: 'seed' });
    } catch (err) {
      if (!isDuplicateKeyError(err)) throw err; // another instance seeded it first
    }
  }
}

/** The highest version of each name that still validates (a broken admin edit never goes live). */
function liveVersions<T>(
  docs: Array<{ name: string; version: number }>,
  parse: (doc: never, source: string) => T,
): T[] {
  const sorted = [...docs].sort((a, b) =>
    a.name === b.name ? b.version - a.version : a.name.localeCompare(b.name),
  );
  const live = new Map<string, T>();
  for (const doc of sorted) {
    if (live.has(doc.name)) continue;
    try {
      live.set(doc.name, parse(doc as never, `${doc.name} v${doc.version}`));
    } catch {
      // fall through to the next lower version of this name
    }
  }
  return [...live.values()];
}

const nonEmpty = (v: { es?: string[]; en?: string[] } | undefined) =>
  v && ((v.es?.length ?? 0) > 0 || (v.en?.length ?? 0) > 0) ? v : undefined;

/** Reads the files, seeds MongoDB, and returns the live catalogue from MongoDB. */
export async function loadCatalogue(opts: CatalogueOptions = {}): Promise<Catalogue> {
  const fileIntents = await readIntentFiles(opts.intentsDir);
  const fileFlows = await readFlowFiles(opts.flowsDir);

  await seed(
    IntentDefinitionModel,
    fileIntents.map((i) => ({ ...i }) as { name: string } & Record<string, unknown>),
  );
  await seed(
    FlowDefinitionModel,
    fileFlows.map((f) => ({ name: f.name, definition: f })),
  );

  type StoredIntent = {
    name: string;
    version: number;
    training?: { es?: string[]; en?: string[] };
    answers?: { es?: string[]; en?: string[] };
    action?: unknown;
    quickReplies?: unknown;
    label?: unknown;
  };
  // A version seeded before intents had labels takes its label from the intent's file.
  const fileLabels = new Map(fileIntents.map((i) => [i.name, i.label]));
  const storedIntents = await IntentDefinitionModel.find().lean<StoredIntent[]>();
  const intents = liveVersions(storedIntents, (doc: StoredIntent, source) =>
    parseIntentDefinition(
      {
        name: doc.name,
        action: doc.action ?? undefined,
        training: doc.training,
        answers: nonEmpty(doc.answers),
        quickReplies: doc.quickReplies ?? undefined,
        label: doc.label ?? fileLabels.get(doc.name),
      },
      source,
    ),
  );
  type StoredFlow = { name: string; version: number; definition: unknown };
  const storedFlows = await FlowDefinitionModel.find().lean<StoredFlow[]>();
  const flows = liveVersions(storedFlows, (doc: StoredFlow, source) =>
    parseFlowDefinition(doc.definition, source),
  );

  const flowNames = new Set(flows.map((f) => f.name));
  for (const intent of intents) {
    if (intent.action?.type === 'flow' && !flowNames.has(intent.action.flow)) {
      throw new CatalogueError(
        `intent "${intent.name}" starts flow "${intent.action.flow}", which does not exist`,
      );
    }
  }
  return { intents, flows };
}

/**
 * Loads the live definitions again into `target`, in place (the engine reads the catalogue object
 * on every message), and retrains the NLU: call it after an admin saved a new version.
 */
export async function reloadCatalogue(
  target: Catalogue,
  nlu?: { train(intents: IntentDefinition[]): Promise<void> | void },
  opts: CatalogueOptions = {},
): Promise<Catalogue> {
  const fresh = await loadCatalogue(opts);
  await nlu?.train(fresh.intents);
  target.intents = fresh.intents;
  target.flows = fresh.flows;
  return target;
}
