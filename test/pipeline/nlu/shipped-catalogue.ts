/** Reads the shipped intents/*.yaml directly, so the NLU tests do not depend on MongoDB. */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import type { IntentDefinition } from '../../../src/kernel/contracts/nlu.js';

export const INTENTS_DIR = fileURLToPath(new URL('../../../intents/', import.meta.url));

export function loadShippedIntents(): IntentDefinition[] {
  return readdirSync(INTENTS_DIR)
    .filter((f) => f.endsWith('.yaml'))
    .sort()
    .map((f) => parse(readFileSync(join(INTENTS_DIR, f), 'utf8')) as IntentDefinition);
}
