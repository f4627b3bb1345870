/**
 * The search feature's public module (issue 19.7): one query across contacts, conversations
 * (by message text), cases and leads, by indexed term arrays; the backfill of terms for what
 * was stored before (worker instances). Route in routes.ts, shapes in schemas.ts.
 */
import { defineFeature, type KernelContext } from '../../kernel/contracts/feature.js';
import { createTermStats } from './common-terms.js';
import { backfillSearchTerms } from './indexer.js';
import { mountSearchRoutes } from './routes.js';

export { backfillSearchTerms };

export const searchFeature = defineFeature<KernelContext>({
  name: 'search',
  create(ctx) {
    const stats = createTermStats();
    let backfill: Promise<unknown> | undefined;
    return {
      mount: (server) => mountSearchRoutes(server, stats),
      startWorkers() {
        // In the background: a start does not wait for a first index of a large database.
        backfill = backfillSearchTerms(ctx.logger).catch((err: unknown) =>
          ctx.logger.warn({ err }, 'search: backfill failed; it runs again at the next start'),
        );
      },
      async stop() {
        await backfill;
      },
    };
  },
});
