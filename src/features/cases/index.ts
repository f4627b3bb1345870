/**
 * The cases feature's public module: the cases API (list, board, detail, PATCH — it publishes
 * case.updated) and the SLA monitor (deadlines, first responses, one staff alert per missed
 * target), which runs where ROLE runs workers.
 */
import { defineFeature, type KernelContext } from '../../kernel/contracts/feature.js';
import { createConversationLock } from '../../kernel/redis/conversation-lock.js';
import type { CaseSlaSettings, SlaKind } from '../../kernel/time/sla.js';
import type { MailTransport } from '../../kernel/contracts/mail.js';
import type { Outbox } from '../../pipeline/outbox.js';
import { mountCaseRoutes } from './routes.js';
import { startSlaMonitor, type SlaMonitor } from './sla-monitor.js';

/** The Slack staff channel's SLA alert text (the escalation feature posts it). */
export { caseAlertText } from './alert.js';

export interface CasesContext extends KernelContext {
  outbox: Outbox;
  /** CASE_SLA and BUSINESS_HOURS. */
  caseSla: CaseSlaSettings;
  /** Tells staff a case missed a target; idempotent per (case, kind). */
  alertStaff: (caseId: string, kind: SlaKind) => Promise<void>;
  /** The SLA monitor's period (default 60 s); tests shorten it. */
  options: { slaCheckIntervalMs?: number };
  /** SMTP_URL's transport: case updates to customers who left an email; undefined: none. */
  mail?: MailTransport;
}

export const casesFeature = defineFeature<CasesContext>({
  name: 'cases',
  create(ctx) {
    const lock = createConversationLock(ctx.redis, ctx.config.queuePrefix);
    let monitor: SlaMonitor | undefined;
    return {
      mount(server) {
        mountCaseRoutes(server, {
          outbox: ctx.outbox,
          lock,
          defaultLocale: ctx.config.defaultLocale,
          events: ctx.bus,
          caseSla: ctx.caseSla,
          mail: ctx.mail,
          logger: ctx.logger,
        });
      },
      startWorkers() {
        monitor = startSlaMonitor({
          redis: ctx.redis,
          prefix: ctx.config.queuePrefix,
          logger: ctx.logger,
          lock,
          alert: ctx.alertStaff,
          sla: ctx.caseSla,
          everyMs: ctx.options.slaCheckIntervalMs,
          onBreach: (kind, priority) => ctx.metrics.slaBreaches.inc({ kind, priority }),
        });
      },
      async stop() {
        monitor?.stop();
      },
    };
  },
});
