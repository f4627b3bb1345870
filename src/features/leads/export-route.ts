/**
 * GET /api/leads/export.csv?<the lead filters>&segment=<id> → UTF-8 CSV with a BOM, streamed
 * (src/features/leads/export.ts); an unknown segment is a 400. Marketer and admin only (viewer, agent →
 * 403); every export is audited
 * with its filters (`lead.export`).
 */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { recordAudit } from '../../kernel/audit.js';
import { leadsCsv } from './export.js';
import { leadQueryFilter } from './contact-scope.js';
import { leadSort } from './filters.js';
import { leadExportQuery } from './schemas.js';
import { withSegment } from './segments/segments.js';
import { actorOf, requireRole } from '../../http/guard.js';
import { ACCESS } from '../../kernel/roles.js';

export function mountLeadExportRoute(scope: FastifyInstance): void {
  scope.withTypeProvider<ZodTypeProvider>().get(
    '/api/leads/export.csv',
    {
      onRequest: requireRole(...ACCESS.leads.write),
      schema: {
        tags: ['leads'],
        summary: 'Leads as CSV (UTF-8 with BOM), same filters as GET /api/leads',
        querystring: leadExportQuery,
        produces: ['text/csv'],
      },
    },
    async (req, reply) => {
      // An unknown segment is a 400 before anything is audited or sent.
      const filter = await withSegment(req.query.segment, await leadQueryFilter(req.query));
      await recordAudit({
        actor: actorOf(req),
        action: 'lead.export',
        targetType: 'Lead',
        targetId: 'export',
        details: { filters: req.query },
      });
      const stamp = new Date().toISOString().slice(0, 10);
      return reply
        .header('content-type', 'text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="leads-${stamp}.csv"`)
        .header('cache-control', 'no-store')
        .send(
          leadsCsv({
            filter,
            sort: leadSort(req.query),
            requireConsent: req.query.consent === 'granted',
          }),
        );
    },
  );
}
