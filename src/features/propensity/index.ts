/**
 * The propensity feature's public module: a lead's likelihood to be won, learned from the
 * install's won/lost leads (L2 logistic regression, time-split AUC), stored on open leads with
 * their top factors; GET /api/value/propensity, POST /api/value/propensity/fit, nightly job.
 */
import { defineFeature, type KernelContext } from '../../kernel/contracts/feature.js';
import { createPropensityJobs, type PropensityJobs } from './job.js';
import { mountPropensityRoutes } from './routes.js';

export type { PropensityJobs } from './job.js';
export { runPropensity } from './train.js';

export const propensityFeature = defineFeature<KernelContext, PropensityJobs>({
  name: 'propensity',
  create(ctx) {
    const jobs = createPropensityJobs({
      connection: ctx.redis,
      prefix: ctx.config.queuePrefix,
      install: ctx.install,
      logger: ctx.logger,
    });
    return {
      api: jobs,
      mount(server) {
        mountPropensityRoutes(server, jobs);
      },
      startWorkers: (host) => jobs.startWorker(host),
      stop: () => jobs.close(),
    };
  },
});
