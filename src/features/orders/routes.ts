/**
 * Orders (docs/console-api.md):
 *   POST /api/orders              {orders: [...]} up to 10,000; idempotent by externalId; the same
 *                                 id again updates status, tracking link, items (audited)
 *   POST /api/orders/import       {csv, mapping?, dryRun} the console's CSV import: per-row errors
 *                                 on a dry run; an import only of a file without bad rows
 *   GET  /api/orders?contactId=   a contact's orders, newest first
 * Reads: ACCESS.orders.read; writes: ACCESS.orders.write (admin always).
 */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { Types } from 'mongoose';
import { actorOf, requireRole } from '../../http/guard.js';
import { errorResponses, pageOf } from '../../http/schemas.js';
import { recordAudit } from '../../kernel/audit.js';
import type { EventPublisher } from '../../kernel/events.js';
import { Order, type OrderDoc } from '../../kernel/db/models/order.js';
import { ACCESS } from '../../kernel/roles.js';
import { importOrders, type ImportDeps } from './import.js';
import { runCsvImport } from './csv-route.js';
import {
  orderListQuery,
  orderSchema,
  ordersBody,
  ordersCsvBody,
  ordersCsvResponse,
  ordersImportResponse,
  type OrderInput,
} from './schemas.js';
import { orderView } from './view.js';

const tags = ['orders'];
/** 10,000 orders with items fit well within this. */
export const ORDERS_BODY_LIMIT = 32 * 1024 * 1024;

export function mountOrderRoutes(
  server: FastifyInstance,
  deps: ImportDeps & { events: EventPublisher },
): void {
  const app = server.withTypeProvider<ZodTypeProvider>();

  app.post(
    '/api/orders',
    {
      onRequest: requireRole(...ACCESS.orders.write),
      bodyLimit: ORDERS_BODY_LIMIT,
      schema: {
        tags,
        summary:
          'Add or update orders in bulk (≤ 10,000; idempotent by externalId; amounts converted to BASE_CURRENCY; audited)',
        body: ordersBody,
        response: { 200: ordersImportResponse, ...errorResponses(400, 401, 403, 503) },
      },
    },
    async (req) => importAudited(req.body.orders, actorOf(req), deps, 'api'),
  );

  app.post(
    '/api/orders/import',
    {
      onRequest: requireRole(...ACCESS.orders.write),
      bodyLimit: ORDERS_BODY_LIMIT,
      schema: {
        tags,
        summary:
          'CSV import (console): column mapping, dry run with per-row errors, then the import (only of a file without bad rows; audited)',
        body: ordersCsvBody,
        response: { 200: ordersCsvResponse, ...errorResponses(400, 401, 403, 503) },
      },
    },
    async (req) =>
      runCsvImport(req.body, deps, (orders) => importAudited(orders, actorOf(req), deps, 'csv')),
  );

  app.get(
    '/api/orders',
    {
      onRequest: requireRole(...ACCESS.orders.read),
      schema: {
        tags,
        summary: 'A contact’s orders, newest first',
        querystring: orderListQuery,
        response: { 200: pageOf(orderSchema), ...errorResponses(400, 401, 403) },
      },
    },
    async (req) => {
      const filter = { contactId: new Types.ObjectId(req.query.contactId) };
      const [docs, total] = await Promise.all([
        Order.find(filter)
          .sort({ placedAt: -1, _id: -1 })
          .skip(req.query.offset)
          .limit(req.query.limit)
          .lean<OrderDoc[]>(),
        Order.countDocuments(filter),
      ]);
      return { items: docs.map((d) => orderView(d, deps.orders.baseCurrency)), total };
    },
  );
}

/** importOrders + one audit entry + `orders.changed` (the value feature refits on it). */
async function importAudited(
  orders: OrderInput[],
  actor: ReturnType<typeof actorOf>,
  deps: ImportDeps & { events: EventPublisher },
  source: 'api' | 'csv',
) {
  const { changedIds, ...result } = await importOrders(orders, deps);
  await recordAudit({
    actor,
    action: 'orders.import',
    targetType: 'orders',
    targetId: 'bulk',
    details: { source, received: orders.length, ...result, updatedIds: changedIds.slice(0, 100) },
  });
  if (result.created + result.updated > 0) {
    await deps.events.publish('orders.changed', {
      created: result.created,
      updated: result.updated,
    });
  }
  return result;
}
