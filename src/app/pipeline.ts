/**
 * The customer path, second step of `createCharla`: ingest → queues → engine → outbox, the NLU
 * and live catalogue, the channel adapters (one list: channels/index.ts) and, where ROLE runs
 * workers, the inbound and outbound workers and the reconciler. The escalation feature is created
 * here: the engine escalates through its escalator.
 */
import type { Worker } from 'bullmq';
import type { Logger } from 'pino';
import type {
  AdapterFactory,
  ChannelAdapter,
  InboundSink,
} from '../kernel/contracts/channel-adapter.js';
import type { Feature } from '../kernel/contracts/feature.js';
import type { ChannelId } from '../kernel/contracts/messages.js';
import type { MessageDoc } from '../kernel/db/models/message.js';
import { createSlackApp, type SlackApp } from '../kernel/slack/slack-app.js';
import { createRecordActions } from '../pipeline/actions/records.js';
import { loadCatalogue, type Catalogue } from '../pipeline/catalogue/catalogue.js';
import { createEngine, type Engine } from '../pipeline/engine/engine.js';
import { createIngest, createRerouter } from '../pipeline/ingest.js';
import { createNlu, type CharlaNlu } from '../pipeline/nlu/index.js';
import { createOutbox, type Outbox } from '../pipeline/outbox.js';
import { createInboundWorker } from '../pipeline/queues/inbound.js';
import { createOutboundWorker } from '../pipeline/queues/outbound.js';
import { createReconciler } from '../pipeline/queues/reconciler.js';
import { loadLiveVersion } from '../features/catalogue/index.js';
import { escalationFeature, type EscalationApi } from '../features/escalation/index.js';
import type { Cleanups } from './cleanups.js';
import type { CreateOptions } from './options.js';
import { createPipelineSignals } from './signals.js';
import type { Infrastructure } from './infrastructure.js';

export interface Pipeline {
  ingest: InboundSink;
  outbox: Outbox;
  catalogue: Catalogue;
  nlu: CharlaNlu;
  slack?: SlackApp;
  engine: Engine;
  escalation: Feature<EscalationApi> & { api: EscalationApi };
  adapters: Map<ChannelId, ChannelAdapter>;
}

function startSlack(infra: Infrastructure, logger: Logger): SlackApp | undefined {
  const slack = infra.config.channels.slack;
  return slack
    ? createSlackApp({
        botToken: slack.botToken,
        signingSecret: slack.signingSecret,
        apiUrl: slack.apiUrl,
        logger,
      })
    : undefined;
}

function createAdapters(
  factories: readonly AdapterFactory[],
  infra: Infrastructure,
  pipeline: Pick<Pipeline, 'ingest' | 'slack'>,
  logger: Logger,
  extra: ChannelAdapter[] = [],
): Map<ChannelId, ChannelAdapter> {
  const { config, realtime } = infra;
  const adapters = new Map<ChannelId, ChannelAdapter>();
  for (const factory of factories) {
    const adapter = factory({
      config,
      sink: pipeline.ingest,
      logger,
      realtime,
      slack: pipeline.slack,
      mail: infra.mail,
    });
    if (adapter) adapters.set(adapter.id, adapter);
  }
  for (const adapter of extra) adapters.set(adapter.id, adapter);
  for (const [name, why] of Object.entries(config.disabledChannels)) {
    logger.info({ channel: name }, `channel ${name} off: ${why}`);
  }
  return adapters;
}

/** `factories`: the channel adapters' list (channels/index.ts), handed in by createCharla. */
export async function createPipeline(
  factories: readonly AdapterFactory[],
  infra: Infrastructure,
  logger: Logger,
  opts: CreateOptions,
): Promise<Pipeline> {
  const { config, metrics, queues, consoleEvents, bus } = infra;
  const sink = createIngest(
    queues.inbound,
    (channel, duplicate) => metrics.inbound.inc({ channel, duplicate: String(duplicate) }),
    consoleEvents,
  );
  // Delivery receipts go to the features on the bus (campaigns record them per recipient).
  const ingest: InboundSink = {
    ingest: (message) => sink.ingest(message),
    receipt: (receipt) => bus.publish('message.receipt', receipt),
  };
  const outbox = createOutbox(queues.outbound, consoleEvents);
  // The live catalogue is the newest published version (the files seed version 1).
  const live = await loadLiveVersion(() => loadCatalogue());
  const catalogue: Catalogue = live;
  const nlu = createNlu({
    threshold: config.nluThreshold,
    defaultLanguage: config.defaultLocale,
    store: { cacheDir: config.nluCacheDir },
  });
  // From the model cache when this catalogue was trained before, else in a worker thread.
  nlu.use(
    await nlu.prepare(catalogue.intents, live.classifier ? { classifier: live.classifier } : {}),
  );
  const slack = startSlack(infra, logger);
  const escalation = await escalationFeature.create({
    ...infra,
    logger,
    slack,
    outbox,
    // The engine is built below, with this escalator; it is only called after start-up.
    resume: (conversationId) => engine.resume(conversationId),
    options: opts,
  });
  const { escalator } = escalation.api!;
  // Flows and built-ins announce what they write on the bus; new cases follow CASE_SLA.
  const records = createRecordActions({
    events: bus,
    caseSla: { policy: config.caseSla, hours: escalator.businessHours },
    orderLateDays: config.orders.lateDays,
    mail: infra.mail,
  });
  const engine = createEngine({
    nlu,
    outbox,
    escalator,
    logger,
    catalogue,
    records,
    defaultLocale: config.defaultLocale,
    defaultCountry: config.defaultCountry,
    crashAt: opts.crashAt,
  });
  const adapters = createAdapters(factories, infra, { ingest, slack }, logger, opts.extraAdapters);
  return {
    ingest,
    outbox,
    catalogue,
    nlu,
    slack,
    engine,
    escalation: { ...escalation, api: escalation.api! },
    adapters,
  };
}

/** The inbound and outbound workers: where ROLE runs workers. */
export function startPipelineWorkers(
  infra: Infrastructure,
  pipeline: Pipeline,
  logger: Logger,
  opts: CreateOptions,
): Worker[] {
  const { config, redis, queues, metrics, install, bus } = infra;
  const { engine, adapters } = pipeline;
  const signals = createPipelineSignals(metrics);
  const onSettled = async (message: MessageDoc, outcome: 'sent' | 'failed') => {
    metrics.outbound.inc({ channel: message.channel, outcome });
    signals.replySettled(message, outcome);
    await bus.publish('message.settled', { message, outcome });
  };
  const workers = [
    createInboundWorker({
      connection: redis,
      prefix: config.queuePrefix,
      install,
      handle: async (m) => {
        const result = await signals.timeTurn(m, (message) => engine.handle(message));
        await bus.publish('conversation.turn', {
          conversation: result.conversation,
          messageId: m._id,
          text: m.text ?? undefined,
          at: m.createdAt,
        });
        return result;
      },
      reroute: createRerouter(queues.inbound),
      logger,
      delivery: { adapters, outboundQueue: queues.outbound, crashAt: opts.crashAt, onSettled },
    }),
    createOutboundWorker({
      connection: redis,
      prefix: config.queuePrefix,
      install,
      adapters,
      logger,
      backoffBaseMs: opts.outboundBackoffMs,
      onSettled,
    }),
  ];
  signals.watchWorkers(workers);
  return workers;
}

/** What MongoDB holds unfinished without a live job goes back on a queue (Redis loss). */
export function startReconciler(
  infra: Infrastructure,
  logger: Logger,
  opts: CreateOptions,
  cleanups: Cleanups,
): void {
  const { config, redis, queues, metrics } = infra;
  // What MongoDB holds unfinished without a live job goes back on a queue (Redis loss).
  const reconciler = createReconciler({
    redis,
    prefix: config.queuePrefix,
    queues,
    logger,
    graceMs: opts.reconcileGraceMs,
    onRecovered: (kind, n) => metrics.reconciled.inc({ kind }, n),
  });
  reconciler.start(opts.reconcileIntervalMs ?? 60_000);
  cleanups.add(() => reconciler.stop());
}
