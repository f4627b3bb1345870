/**
 * The orders feature's public module: POST /api/orders (bulk, idempotent, audited; it publishes
 * `orders.changed`, which the value feature hears to refit) and GET /api/orders?contactId=.
 */
import { defineFeature, type KernelContext } from '../../kernel/contracts/feature.js';
import { mountOrderRoutes } from './routes.js';

export { normaliseOrderNumber } from './import.js';
export { orderView } from './view.js';

export const ordersFeature = defineFeature<KernelContext>({
  name: 'orders',
  create(ctx) {
    return {
      mount(server) {
        mountOrderRoutes(server, {
          orders: ctx.config.orders,
          defaultCountry: ctx.config.defaultCountry,
          events: ctx.bus,
        });
      },
    };
  },
});
