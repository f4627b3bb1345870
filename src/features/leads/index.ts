/**
 * The leads feature's public module: the pipeline board API, the CSV export, segments and lead
 * scoring. It publishes lead.updated for staff edits and hears `conversation.turn` (a turn of a
 * conversation with a lead rescores it) and `contact.consent_changed` (the contact's leads are
 * refreshed).
 */
import { defineFeature, type KernelContext } from '../../kernel/contracts/feature.js';
import { mountLeadExportRoute } from './export-route.js';
import { mountLeadRoutes } from './routes.js';
import { createScoring, type Scoring } from './scoring/queue.js';
import { refreshContactLeads } from './scoring/refresh.js';
import { mountScoringRoutes } from './scoring/routes.js';
import { loadRules } from './scoring/store.js';
import { mountSegmentRoutes } from './segments/routes.js';

/** A contact's consent as the lead and contact pages show it. */
export { consentRecordView } from './detail-view.js';
export { consentSchema as consentView } from './schemas.js';
/** A saved segment's contacts (campaign audiences). */
export { findSegment, leadInSegment, segmentContactIds } from './segments/segments.js';

export const leadsFeature = defineFeature<KernelContext, Scoring>({
  name: 'leads',
  async create(ctx) {
    // Lead scoring: the rules are seeded from scoring/rules.yaml on first start.
    await loadRules();
    const scoring = createScoring({
      connection: ctx.redis,
      prefix: ctx.config.queuePrefix,
      install: ctx.install,
      logger: ctx.logger,
    });
    return {
      api: scoring,
      mount(server) {
        void server.register(async (scope) => {
          mountLeadRoutes(scope, ctx.bus);
          mountLeadExportRoute(scope);
          mountSegmentRoutes(scope);
          mountScoringRoutes(scope, scoring);
        });
      },
      subscriptions: {
        'conversation.turn': ({ conversation, messageId }) =>
          scoring.afterTurn(conversation, messageId),
        'contact.consent_changed': async ({ contactId }) => {
          await refreshContactLeads(contactId);
        },
      },
      startWorkers: () => scoring.startWorker(),
      stop: () => scoring.close(),
    };
  },
});
