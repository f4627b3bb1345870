/**
 * The admin API. Each route declares its roles (`requireRole`, src/http/auth/guard.ts): a staff
 * session cookie or `Authorization: Bearer ADMIN_TOKEN` (admin) — 401 without either, 403 for a
 * role that may not. Leads: marketer, viewer; cases: agent, viewer; messages and conversations:
 * agent, marketer, viewer; NLU parse: admin only. Query strings and bodies are validated with
 * zod (400 invalid_request); list endpoints page with limit/offset (defaults 50/0, at most 200)
 * and answer {items, total}.
 *   GET  /api/leads?email=&status=&channel=&owner=&q=&createdFrom=&createdTo=&scoreMin=&scoreMax=
 *        &language=&consent=&sort=&order=   (language, consent: the contact's; GET /api/leads/owners)
 *   GET  /api/leads/:id, PATCH /api/leads/:id, POST /api/leads/bulk   (src/http/admin/leads.ts)
 *   GET  /api/leads/export.csv?<the same filters>  (marketer; src/http/admin/lead-export.ts)
 *   GET|PUT /api/contacts/:id/consent                      (src/http/admin/consent.ts)
 *   GET|PATCH /api/cases…: src/http/cases.ts (mounted by the app, it needs the outbox)
 *   GET  /api/messages?status=&channel=&direction=      (status=failed: undelivered replies)
 *   POST /api/nlu/parse {text}
 *   GET|POST|PUT|DELETE /api/segments…                     (src/http/segments.ts)
 *   GET|PUT /api/scoring/rules, POST /api/scoring/preview  (src/http/scoring.ts)
 */
import type { FastifyInstance } from 'fastify';
import type { CharlaServices } from '../app.js';
import { mountConsentRoutes } from './admin/consent.js';
import { mountLeadExportRoute } from './admin/lead-export.js';
import { mountLeadRoutes } from './admin/leads.js';
import { mountMessageRoutes } from './admin/messages.js';
import { mountNluRoutes } from './admin/nlu.js';
import { mountScoringRoutes } from './scoring.js';
import { mountSegmentRoutes } from './segments.js';

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
