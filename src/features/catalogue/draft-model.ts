/**
 * NLU models trained on the draft, for "test the draft" and the sandbox chat. Training takes a
 * second or more of CPU, so it runs in a worker thread (or comes from the model cache,
 * src/pipeline/nlu/trained-models.ts), and a model is kept per training-data key (draft.ts
 * `trainingKey`): edits to answers or flows reuse it, a new phrase trains the next one. Only the
 * latest few are kept (admins test the current draft, not old ones).
 */
import type { Locale } from '../../kernel/contracts/messages.js';
import type { IntentDefinition } from '../../kernel/contracts/nlu.js';
import { createNlu, type CharlaNlu } from '../../pipeline/nlu/index.js';
import { trainingKey } from './draft.js';

const KEEP = 3;

export interface DraftModels {
  /** The model trained on exactly these intents (trained now, or reused). */
  modelFor(intents: IntentDefinition[]): Promise<CharlaNlu>;
}

export function createDraftModels(opts: {
  threshold?: number;
  defaultLanguage: Locale;
  /** The model cache's directory (NLU_CACHE_DIR). */
  cacheDir?: string;
}): DraftModels {
  const models = new Map<string, Promise<CharlaNlu>>();
  return {
    modelFor(intents) {
      const key = trainingKey(intents);
      const cached = models.get(key);
      if (cached) {
        // Most recently used last, so the oldest is dropped first.
        models.delete(key);
        models.set(key, cached);
        return cached;
      }
      // Without the per-catalogue option search (model-selection.ts): it only runs for catalogues
      // under 500 examples, where it costs ~60 trainings, too slow for an editor's every change.
      const nlu = createNlu({
        threshold: opts.threshold,
        defaultLanguage: opts.defaultLanguage,
        modelSelection: false,
        store: { cacheDir: opts.cacheDir },
      });
      const trained = nlu.prepare(intents).then((model) => {
        nlu.use(model);
        return nlu;
      });
      // A failed training is not kept: the next request tries again.
      trained.catch(() => models.delete(key));
      models.set(key, trained);
      while (models.size > KEEP) models.delete(models.keys().next().value!);
      return trained;
    },
  };
}
