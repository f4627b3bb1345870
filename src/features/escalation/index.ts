/**
 * The escalation feature's public module: the escalator (the pipeline's human queue, kernel
 * contract Escalator) and, with Slack, the staff queue (jobs, Bolt listeners, SLA re-pings). The
 * composition root creates it before the engine, which escalates through it. It publishes
 * conversation.escalated and hears message.settled (a staff reply that failed for good is
 * reported in the item's thread).
 */
import type { Queue } from 'bullmq';
import { defineFeature, type KernelContext } from '../../kernel/contracts/feature.js';
import type { SlaKind } from '../../kernel/time/sla.js';
import type { Outbox } from '../../pipeline/outbox.js';
import { createEscalation, type Escalation } from './setup.js';
import type { EscalatorWithInternals } from './escalator.js';
import { queueCaseAlert } from './slack/queue.js';

export interface EscalationApi {
  escalator: EscalatorWithInternals;
  /** Posts a case's missed-SLA alert to the staff channel, once per (case, kind). */
  alertCase(caseId: string, kind: SlaKind): Promise<void>;
}

export interface EscalationContext extends KernelContext {
  outbox: Outbox;
  /** engine.resume: bound late, the engine is built after the escalator. */
  resume: (conversationId: string) => Promise<void>;
  options: { escalationBackoffMs?: number };
}

export const escalationFeature = defineFeature<EscalationContext, EscalationApi>({
  name: 'escalation',
  create(ctx) {
    const escalation: Escalation = createEscalation({
      config: ctx.config,
      install: ctx.install,
      logger: ctx.logger,
      redis: ctx.redis,
      outbox: ctx.outbox,
      slack: ctx.slack,
      resume: ctx.resume,
      backoffBaseMs: ctx.options.escalationBackoffMs,
      events: ctx.consoleEvents,
      bus: ctx.bus,
      metrics: ctx.metrics,
    });
    const queue: Queue = escalation.queue;
    return {
      api: {
        escalator: escalation.escalator,
        alertCase: (caseId, kind) => queueCaseAlert(queue, caseId, kind),
      },
      subscriptions: {
        'message.settled': ({ message, outcome }) => escalation.onMessageSettled(message, outcome),
      },
      startWorkers: () => escalation.startWorker(),
      stop: () => escalation.close(),
    };
  },
});
