/**
 * Prometheus metrics (prom-client), one registry per app instance so tests stay isolated.
 * Exposed at GET /metrics behind the admin token.
 */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { Queue } from 'bullmq';

export interface Metrics {
  registry: Registry;
  inbound: Counter<'channel' | 'duplicate'>;
  outbound: Counter<'channel' | 'outcome'>;
  /** Jobs of another install refused by this install's workers (src/kernel/redis/install-scope.ts). */
  foreignJobs: Counter<'queue'>;
  /** Work the reconciler put back on a queue after its job was lost (src/pipeline/queues/reconciler.ts). */
  reconciled: Counter<'kind'>;
  /** One customer message through the engine (the turn), by channel and what the NLU made of it. */
  turnSeconds: Histogram<'channel' | 'outcome'>;
  /** A customer message stored → its reply handed to the platform. */
  replySeconds: Histogram<'channel'>;
  /** A job enqueued → a worker starts it, per queue. */
  queueWaitSeconds: Histogram<'queue'>;
  /** NLU readings of customer messages: understood (an intent), clarified (the bot asked which intent), or fallback (none), by intent. */
  nluOutcomes: Counter<'language' | 'intent' | 'outcome'>;
  /** HTTP requests by method, route pattern (never the raw URL) and status class. */
  httpSeconds: Histogram<'method' | 'route' | 'status'>;
  /** A stint in the human queue (queued → assigned, or closed/called back while still queued). */
  escalationWaitSeconds: Histogram<'channel' | 'reason' | 'outcome'>;
  /** Case SLA targets missed (the SLA monitor counts each (case, kind) once). */
  slaBreaches: Counter<'kind' | 'priority'>;
  /** One HTTP attempt of a webhook delivery, by event and how it ended. */
  webhookSeconds: Histogram<'event' | 'outcome'>;
  /** Webhook attempts that did not deliver: `retrying` (another attempt is due) or `failed` (for good). */
  webhookFailures: Counter<'event' | 'status'>;
}

/** Seconds, from a fast turn (5 ms) to a slow platform (30 s). */
const LATENCY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];
/** Seconds a customer waits for a person: from a few seconds to a day. */
const WAIT_BUCKETS = [5, 15, 30, 60, 120, 300, 600, 1800, 3600, 7200, 14_400, 28_800, 86_400];

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
  const histogram = <L extends string>(
    name: string,
    help: string,
    labelNames: readonly L[],
    buckets = LATENCY_BUCKETS,
  ) => new Histogram<L>({ name, help, labelNames, buckets, registers: [registry] });
  const counter = <L extends string>(name: string, help: string, labelNames: readonly L[]) =>
    new Counter<L>({ name, help, labelNames, registers: [registry] });
  return {
    registry,
    inbound,
    outbound,
    reconciled,
    foreignJobs,
    turnSeconds: histogram(
      'charla_turn_duration_seconds',
      'Time the engine took for one customer message, by channel and NLU outcome.',
      ['channel', 'outcome'],
    ),
    replySeconds: histogram(
      'charla_message_to_reply_seconds',
      "Time from a customer's message being stored to the bot's reply being handed to the platform.",
      ['channel'],
    ),
    queueWaitSeconds: histogram(
      'charla_queue_wait_seconds',
      'Time a job waited in its queue before a worker started it.',
      ['queue'],
    ),
    nluOutcomes: new Counter({
      name: 'charla_nlu_outcomes_total',
      help: 'Customer messages read by the NLU: understood (an intent), clarified (a clarifying question asked) or fallback, by intent.',
      labelNames: ['language', 'intent', 'outcome'] as const,
      registers: [registry],
    }),
    httpSeconds: histogram(
      'charla_http_request_duration_seconds',
      'HTTP requests by method, route pattern and status class (2xx, 4xx, 5xx).',
      ['method', 'route', 'status'],
    ),
    ...featureSignals(histogram, counter),
  };
}

type HistogramMaker = <L extends string>(
  name: string,
  help: string,
  labelNames: readonly L[],
  buckets?: number[],
) => Histogram<L>;
type CounterMaker = <L extends string>(
  name: string,
  help: string,
  labelNames: readonly L[],
) => Counter<L>;

/** The back office's series: the human queue, case SLAs and webhook deliveries. */
function featureSignals(histogram: HistogramMaker, counter: CounterMaker) {
  return {
    escalationWaitSeconds: histogram(
      'charla_escalation_wait_seconds',
      'Time a conversation waited in the human queue, by channel, escalation reason and how the wait ended (assigned, closed, callback).',
      ['channel', 'reason', 'outcome'],
      WAIT_BUCKETS,
    ),
    slaBreaches: counter(
      'charla_sla_breaches_total',
      'Case SLA targets missed (first_response, resolution), by case priority; each case and kind counted once.',
      ['kind', 'priority'],
    ),
    webhookSeconds: histogram(
      'charla_webhook_delivery_duration_seconds',
      'One HTTP attempt of a webhook delivery, by event and outcome (delivered, retryable, refused).',
      ['event', 'outcome'],
    ),
    webhookFailures: counter(
      'charla_webhook_delivery_failures_total',
      'Webhook attempts that did not deliver, by event and delivery status (retrying, failed for good).',
      ['event', 'status'],
    ),
  };
}
