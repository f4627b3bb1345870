/**
 * Trying the draft before it is published: what the draft's model understands of one sentence,
 * and a sandbox chat with the draft's intents and flows (no CRM writes). Models trained on a
 * draft are reused while its intents stay the same (draft-model.ts).
 */
import type { Logger } from 'pino';
import { actorLabel, type Actor } from '../../kernel/roles.js';
import type { Locale } from '../../kernel/contracts/messages.js';
import type { ConversationLock } from '../../kernel/redis/conversation-lock.js';
import { extractEntities } from '../../pipeline/nlu/index.js';
import { createDraftModels } from './draft-model.js';
import { readDraft } from './draft.js';
import { chatWithDraft, type SandboxTurn } from './sandbox.js';
import type { VersionedCatalogue } from './versions.js';
import type { DraftTestResult } from './schemas.js';

export interface DraftTrials {
  /** `locale`: the language dates and times are read in (default: the detected one). */
  testDraft(text: string, locale?: Locale): Promise<DraftTestResult>;
  chat(
    input: { sessionId?: string; text: string; locale?: Locale },
    actor: Actor,
  ): Promise<SandboxTurn>;
}

export function createDraftTrials(deps: {
  live: () => VersionedCatalogue;
  /** Sandbox sessions take the conversation lock as live conversations do. */
  sessionLock: ConversationLock;
  logger: Logger;
  threshold?: number;
  defaultLocale: Locale;
  cacheDir?: string;
}): DraftTrials {
  const models = createDraftModels({
    threshold: deps.threshold,
    defaultLanguage: deps.defaultLocale,
    cacheDir: deps.cacheDir,
  });
  return {
    async testDraft(text, locale) {
      const draft = await readDraft(deps.live());
      const nlu = await models.modelFor(draft.intents);
      const result = nlu.parse(text);
      return {
        intent: result.intent,
        confidence: result.confidence,
        language: result.language,
        entities: { ...(locale ? extractEntities(text, locale) : result.entities) },
        alternatives: nlu
          .rank(text, 4)
          .filter((r) => r.intent !== result.intent)
          .slice(0, 3),
      };
    },

    async chat(input, actor) {
      const draft = await readDraft(deps.live());
      return chatWithDraft(
        {
          catalogue: { intents: draft.intents, flows: draft.flows },
          nlu: await models.modelFor(draft.intents),
          logger: deps.logger,
          defaultLocale: deps.defaultLocale,
          lock: deps.sessionLock,
        },
        { ...input, by: actorLabel(actor) },
      );
    },
  };
}
