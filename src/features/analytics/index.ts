/**
 * The analytics feature's public module: the summary and time-series API, and the rollup job
 * (worker instances) fed by the console's live events.
 */
import { defineFeature, type KernelContext } from '../../kernel/contracts/feature.js';
import { startAnalyticsJob, type AnalyticsJob } from './job.js';
import { mountAnalyticsRoutes } from './routes.js';

export type { AnalyticsJob } from './job.js';

/** The rollup job, once started (worker instances only). */
export interface AnalyticsApi {
  job?: AnalyticsJob;
}

export const analyticsFeature = defineFeature<
  KernelContext & { options: { analyticsIntervalMs?: number } },
  AnalyticsApi
>({
  name: 'analytics',
  create(ctx) {
    const api: AnalyticsApi = {};
    return {
      api,
      mount: (server) =>
        mountAnalyticsRoutes(server, { baseCurrency: ctx.config.orders.baseCurrency }),
      async startWorkers() {
        api.job = await startAnalyticsJob({
          redis: ctx.redis,
          prefix: ctx.config.queuePrefix,
          events: ctx.consoleEvents,
          logger: ctx.logger,
          intervalMs: ctx.options.analyticsIntervalMs ?? 60_000,
        });
      },
      stop: async () => api.job?.stop(),
    };
  },
});
