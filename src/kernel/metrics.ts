/**
 * Prometheus metrics (prom-client), one registry per app instance so tests stay isolated.
 * Exposed at GET /metrics behind the admin token.
 */
import { Counter, Gauge, Registry, collectDefaultMetrics } from 'prom-client';
import type { Queue } from 'bullmq';

export interface Metrics {
  registry: Registry;
  inbound: Counter<'channel' | 'duplicate'>;
  outbound: Counter<'channel' | 'outcome'>;
  /** Jobs of another install refused by this install's workers (src/kernel/redis/install-scope.ts). */
  foreignJobs: Counter<'queue'>;
  /** Work the reconciler put back on a queue after its job was lost (src/pipeline/queues/reconciler.ts). */
  reconciled: Counter<'kind'>;
}

export function createMetrics(queues: Record<string, Queue>): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const inbound = new Counter({
    name: 'charla_inbound_messages_total',
    help: 'Customer messages received, by channel and whether they were platform redeliveries.',
    labelNames: ['channel', 'duplicate'] as const,
    registers: [registry],
  });
  const outbound = new Counter({
    name: 'charla_outbound_messages_total',
    help: 'Messages delivered to customers or finally failed, by channel.',
    labelNames: ['channel', 'outcome'] as const,
    registers: [registry],
  });
  const foreignJobs = new Counter({
    name: 'charla_foreign_jobs_refused_total',
    help: 'Jobs of another install (same QUEUE_PREFIX, other database) refused and failed, by queue.',
    labelNames: ['queue'] as const,
    registers: [registry],
  });
  new Gauge({
    name: 'charla_queue_jobs',
    help: 'Jobs waiting, active, delayed or failed per queue.',
    labelNames: ['queue', 'state'] as const,
    registers: [registry],
    async collect() {
      for (const [name, queue] of Object.entries(queues)) {
        const counts = await queue.getJobCounts('waiting', 'active', 'delayed', 'failed');
        for (const [state, n] of Object.entries(counts)) this.set({ queue: name, state }, n);
      }
    },
  });
  const reconciled = new Counter({
    name: 'charla_reconciler_recovered_total',
    help: 'Inbound messages and replies MongoDB held without a live job, re-queued by the reconciler.',
    labelNames: ['kind'] as const,
    registers: [registry],
  });
  return { registry, inbound, outbound, reconciled, foreignJobs };
}
