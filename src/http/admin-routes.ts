/**
 * The admin API, behind `Authorization: Bearer ADMIN_TOKEN` (401 otherwise; closed when no
 * ADMIN_TOKEN is set). Query strings and bodies are validated with zod (400 invalid_request);
 * list endpoints page with limit/offset (defaults 50/0, at most 200) and answer {items, total}.
 *   GET  /api/leads?email=&status=&channel=
 *   GET  /api/cases?status=&conversationId=
 *   GET  /api/messages?status=&channel=&direction=      (status=failed: undelivered replies)
 *   GET  /api/conversations/:id
 *   POST /api/nlu/parse {text}
 */
import type { FastifyInstance } from 'fastify';
import type { CharlaServices } from '../app.js';
import { requireAdmin } from './admin-auth.js';
import { mountCaseRoutes } from './admin/cases.js';
import { mountConversationRoutes } from './admin/conversations.js';
import { mountLeadRoutes } from './admin/leads.js';
import { mountMessageRoutes } from './admin/messages.js';
import { mountNluRoutes } from './admin/nlu.js';

export function mountAdminRoutes(server: FastifyInstance, services: CharlaServices): void {
  // An encapsulated scope: the auth hook guards these routes and nothing else.
  void server.register(async (scope) => {
    scope.addHook('onRequest', requireAdmin(services.config.adminToken));
    mountLeadRoutes(scope);
    mountCaseRoutes(scope);
    mountMessageRoutes(scope);
    mountConversationRoutes(scope);
    mountNluRoutes(scope, services.nlu);
  });
}
