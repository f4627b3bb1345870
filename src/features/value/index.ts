/**
 * The value feature's public module: GET /api/value/model, POST /api/value/fit, and the fit job
 * (worker instances: nightly, after `orders.changed`, on request). Other features read a
 * contact's value with `contactValue`.
 */
import { defineFeature, type KernelContext } from '../../kernel/contracts/feature.js';
import { createValueJobs, type ValueJobs } from './job.js';
import { mountValueRoutes } from './routes.js';

export { contactValue, contactValues, type ContactValueBrief } from './views.js';
export { atRiskHighValueContacts, contactsInRfmSegments } from './at-risk.js';
export type { ValueJobs } from './job.js';

export const valueFeature = defineFeature<KernelContext, ValueJobs>({
  name: 'value',
  create(ctx) {
    const jobs = createValueJobs({
      connection: ctx.redis,
      prefix: ctx.config.queuePrefix,
      install: ctx.install,
      logger: ctx.logger,
      baseCurrency: ctx.config.orders.baseCurrency,
    });
    return {
      api: jobs,
      mount(server) {
        mountValueRoutes(server, jobs);
      },
      subscriptions: {
        'orders.changed': () => jobs.afterOrders(),
      },
      startWorkers: (host) => jobs.startWorker(host),
      stop: () => jobs.close(),
    };
  },
});
