/**
 * The admin API. Each route declares its roles (`requireRole`, src/http/guard.ts): a staff
 * session cookie or `Authorization: Bearer ADMIN_TOKEN` (admin) — 401 without either, 403 for a
 * role that may not. Leads: marketer, viewer; cases: agent, viewer; messages and conversations:
 * agent, marketer, viewer; NLU parse: admin only. Query strings and bodies are validated with
 * zod (400 invalid_request); list endpoints page with limit/offset (defaults 50/0, at most 200)
 * and answer {items, total}.
 *   GET  /api/leads?email=&status=&channel=&owner=&q=&createdFrom=&createdTo=&scoreMin=&scoreMax=
 *        &language=&consent=&sort=&order=   (language, consent: the contact's; GET /api/leads/owners)
 *   GET  /api/leads/:id, PATCH /api/leads/:id, POST /api/leads/bulk   (src/features/leads/routes.ts)
 *   GET  /api/leads/export.csv?<the same filters>  (marketer; src/features/leads/export-route.ts)
 *   GET|PUT /api/contacts/:id/consent                      (src/features/contacts/consent-routes.ts)
 *   GET|PATCH /api/cases…: src/features/cases/routes.ts (mounted by the app, it needs the outbox)
 *   GET  /api/messages?status=&channel=&direction=      (status=failed: undelivered replies)
 *   POST /api/nlu/parse {text}
 *   GET|POST|PUT|DELETE /api/segments…                     (src/features/leads/segments/routes.ts)
 *   GET|PUT /api/scoring/rules, POST /api/scoring/preview  (src/features/leads/scoring/routes.ts)
 */
import type { FastifyInstance } from 'fastify';
import type { CharlaServices } from '../app/charla.js';
import { mountConsentRoutes } from '../features/contacts/consent-routes.js';
import { mountLeadExportRoute } from '../features/leads/export-route.js';
import { mountLeadRoutes } from '../features/leads/routes.js';
import { mountMessageRoutes } from '../features/conversations/message-routes.js';
import { mountNluRoutes } from '../features/catalogue/nlu-routes.js';
import { mountScoringRoutes } from '../features/leads/scoring/routes.js';
import { mountSegmentRoutes } from '../features/leads/segments/routes.js';

export function mountAdminRoutes(server: FastifyInstance, services: CharlaServices): void {
  void server.register(async (scope) => {
    mountLeadRoutes(scope);
    mountLeadExportRoute(scope);
    mountConsentRoutes(scope);
    mountMessageRoutes(scope);
    mountNluRoutes(scope, services.nlu);
    mountSegmentRoutes(scope);
    mountScoringRoutes(scope, services.scoring);
  });
}
