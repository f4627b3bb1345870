/**
 * The catalogue feature's public module: the bot studio (draft, publish, rollback, versions,
 * FAQ import, sandbox), the unanswered-questions review and POST /api/nlu/parse. Every instance
 * follows a publish (Redis pub/sub), so the pipeline's live catalogue and NLU stay current.
 */
import { defineFeature, type KernelContext } from '../../kernel/contracts/feature.js';
import type { Catalogue } from '../../pipeline/catalogue/catalogue.js';
import { DEFAULT_THRESHOLD, type CharlaNlu } from '../../pipeline/nlu/index.js';
import { mountNluRoutes } from './nlu-routes.js';
import { mountCatalogueRoutes } from './routes.js';
import { createStudio } from './studio.js';
import { mountUnansweredRoutes } from './unanswered-routes.js';

/** For analytics: the language a request asks for, and the most frequent unanswered texts. */
export { localeFromHeader } from './issues.js';
export { topUnansweredTexts } from './unanswered.js';
/** The live catalogue at start: the newest published version (the files seed version 1). */
export { loadLiveVersion } from './versions.js';

export const catalogueFeature = defineFeature<
  KernelContext & { catalogue: Catalogue; nlu: CharlaNlu }
>({
  name: 'catalogue',
  async create(ctx) {
    const { config } = ctx;
    const studio = await createStudio({
      redis: ctx.redis,
      prefix: config.queuePrefix,
      catalogue: ctx.catalogue,
      nlu: ctx.nlu,
      logger: ctx.logger,
      threshold: config.nluThreshold,
      defaultLocale: config.defaultLocale,
      cacheDir: config.nluCacheDir,
    });
    return {
      mount(server) {
        void server.register(async (scope) => mountNluRoutes(scope, ctx.nlu));
        mountCatalogueRoutes(server, studio);
        mountUnansweredRoutes(server, {
          studio,
          nlu: ctx.nlu,
          threshold: config.nluThreshold ?? DEFAULT_THRESHOLD,
        });
      },
      stop: () => studio.close(),
    };
  },
});
