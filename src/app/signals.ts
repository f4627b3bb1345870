/**
 * What operators watch (issue 23.3): latency histograms and NLU outcome counters fed from the
 * pipeline's own seams — the inbound handler, the delivery callback, the workers' `active`
 * events and the HTTP server's `onResponse` hook. Labels are bounded: channel, queue, language,
 * intent (the catalogue's names), outcome, method, route pattern and status class.
 */
import type { Job, Worker } from 'bullmq';
import type { FastifyInstance } from 'fastify';
import type { Types } from 'mongoose';
import type { MessageDoc } from '../kernel/db/models/message.js';
import type { Metrics } from '../kernel/metrics.js';
import type { TurnMessage, TurnResult } from '../pipeline/engine/turn.js';

/** How many customer messages' arrival times a process keeps for the reply-latency histogram. */
const REMEMBERED_ARRIVALS = 10_000;

type TurnOutcome = 'understood' | 'clarified' | 'fallback' | 'no_nlu';

/**
 * A clarifying question is `clarified`, neither understood nor a fallback: the customer's pick
 * (the next message) counts as understood, "something else" as a fallback.
 */
function outcomeOf(result: TurnResult): TurnOutcome {
  if (!result.nlu) return 'no_nlu';
  if (result.asked) return 'clarified';
  return result.nlu.intent ? 'understood' : 'fallback';
}

export interface PipelineSignals {
  /** Wraps the engine's handler: times the turn and counts the NLU's reading. */
  timeTurn<M extends TurnMessage, R extends TurnResult>(
    message: M,
    handle: (m: M) => Promise<R>,
  ): Promise<R>;
  /** A reply settled: observes customer message → reply sent. */
  replySettled(reply: MessageDoc, outcome: 'sent' | 'failed'): void;
  /** Observes each job's wait in its queue. */
  watchWorkers(workers: readonly Worker[]): void;
}

export function createPipelineSignals(metrics: Metrics): PipelineSignals {
  // Arrival of each customer message this process handled, oldest first (Map keeps order).
  const arrivals = new Map<string, number>();
  const remember = (id: Types.ObjectId, at: Date) => {
    arrivals.set(id.toHexString(), at.getTime());
    if (arrivals.size > REMEMBERED_ARRIVALS) arrivals.delete(arrivals.keys().next().value!);
  };
  /** When the replied-to message arrived: remembered, else its id's creation second. */
  const arrivalOf = (replyTo: Types.ObjectId) =>
    arrivals.get(replyTo.toHexString()) ?? replyTo.getTimestamp().getTime();

  return {
    async timeTurn(message, handle) {
      const started = performance.now();
      const result = await handle(message);
      const outcome = outcomeOf(result);
      const channel = result.conversation?.channel ?? 'unknown';
      metrics.turnSeconds.observe({ channel, outcome }, (performance.now() - started) / 1000);
      if (result.nlu) {
        const { intent, language } = result.nlu;
        metrics.nluOutcomes.inc({ language, intent: intent ?? 'none', outcome });
      }
      if (message.createdAt) remember(message._id, message.createdAt);
      return result;
    },
    replySettled(reply, outcome) {
      if (outcome !== 'sent' || !reply.replyTo) return;
      const seconds = (Date.now() - arrivalOf(reply.replyTo)) / 1000;
      metrics.replySeconds.observe({ channel: reply.channel }, Math.max(0, seconds));
    },
    watchWorkers(workers) {
      for (const worker of workers) {
        worker.on('active', (job: Job) => {
          const enqueuedAt = job.timestamp + (job.delay ?? 0);
          const seconds = Math.max(0, (Date.now() - enqueuedAt) / 1000);
          metrics.queueWaitSeconds.observe({ queue: worker.name }, seconds);
        });
      }
    },
  };
}

/** Every answered HTTP request, by route pattern (`/api/cases/:id`), never its raw URL. */
export function observeHttp(server: FastifyInstance, metrics: Metrics): void {
  server.addHook('onResponse', async (req, reply) => {
    const route = req.routeOptions.url ?? 'unmatched';
    const status = `${Math.floor(reply.statusCode / 100)}xx`;
    metrics.httpSeconds.observe({ method: req.method, route, status }, reply.elapsedTime / 1000);
  });
}
