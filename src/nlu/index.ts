// PLACEHOLDER until the NLU lands: replaced by the real classifier.
import type { Nlu, NluResult, IntentDefinition } from '../contracts/nlu.js';
export function createNlu(_opts: { threshold?: number } = {}): Nlu {
  let defs: IntentDefinition[] = [];
  return {
    train(c) {
      defs = c;
    },
    parse(text): NluResult {
      const t = text.toLowerCase();
      const hit = defs.find((d) =>
        [...d.training.es, ...d.training.en].some((p) => p.toLowerCase() === t),
      );
      return { intent: hit?.name ?? null, confidence: hit ? 1 : 0, language: 'es', entities: {} };
    },
  };
}
