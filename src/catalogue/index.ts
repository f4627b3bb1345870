// PLACEHOLDER until the catalogue loader lands (intents/*.yaml and flows/*.yaml, seeded into MongoDB).
import type { IntentDefinition } from '../contracts/nlu.js';
export interface Catalogue {
  intents: IntentDefinition[];
}
export async function loadCatalogue(): Promise<Catalogue> {
  return { intents: [] };
}
