/**
 * The composition root, in three steps: the infrastructure (database, Redis, queues, event bus),
 * the pipeline (ingest → queues → engine → outbox, channel adapters), then a loop over the
 * back-office features (src/app/features.ts). The only place concrete implementations meet;
 * `main.ts` and the tests both use it.
 */
import rateLimit from '@fastify/rate-limit';
import { ADAPTER_FACTORIES, MAIL_TRANSPORT } from '../../channels/index.js';
import type { Queue } from 'bullmq';
import type { FastifyInstance } from 'fastify';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { CampaignsApi } from '../features/campaigns/index.js';
import type { SequencesApi } from '../features/sequences/index.js';
import type { Config, RuntimeConfig } from '../kernel/config/config.js';
import type { ChannelAdapter, InboundSink } from '../kernel/contracts/channel-adapter.js';
import type { Escalator } from '../kernel/contracts/escalation.js';
import type { ChannelId } from '../kernel/contracts/messages.js';
import type { Nlu } from '../kernel/contracts/nlu.js';
import type { ConsoleEvents } from '../kernel/console-events.js';
import type { DbHealth } from '../kernel/db/health.js';
import type { EventBus } from '../kernel/events.js';
import { createLogger } from '../kernel/logger.js';
import { observeHttp } from './signals.js';
import type { Metrics } from '../kernel/metrics.js';
import { startTracing } from '../kernel/tracing.js';
import { traceHttp } from './tracing-http.js';
import type { Realtime } from '../kernel/realtime.js';
import type { SlackApp } from '../kernel/slack/slack-app.js';
import { mountConsole } from '../http/console-static.js';
import { HttpError } from '../http/errors.js';
import { requireRole } from '../http/guard.js';
import { ACCESS } from '../kernel/roles.js';
import { mountHealthRoutes } from '../http/health.js';
import { createHttpServer } from '../http/server.js';
import type { Catalogue } from '../pipeline/catalogue/catalogue.js';
import type { Engine } from '../pipeline/engine/engine.js';
import type { Outbox } from '../pipeline/outbox.js';
import type { InboundJob } from '../pipeline/queues/inbound.js';
import type { OutboundJob } from '../pipeline/queues/outbound.js';
import type { AnalyticsJob } from '../features/analytics/index.js';
import type { AutoAssigner } from '../features/assignment/index.js';
import type { Scoring } from '../features/leads/scoring/queue.js';
import type { Webhooks } from '../features/webhooks/index.js';
import { createCleanups, type Cleanups } from './cleanups.js';
import {
  createFeatures,
  featureContext,
  mountFeatures,
  startFeatureWorkers,
  type RunningFeatures,
} from './features.js';
import { startInfrastructure, type Infrastructure } from './infrastructure.js';
import type { CreateOptions } from './options.js';
import {
  createPipeline,
  startPipelineWorkers,
  startReconciler,
  type Pipeline,
} from './pipeline.js';

export type { CreateOptions } from './options.js';

export interface CharlaServices {
  config: RuntimeConfig;
  /** This database's install id (src/kernel/db/install.ts); every job carries it. */
  installId: string;
  logger: Logger;
  redis: Redis;
  queues: { inbound: Queue<InboundJob>; outbound: Queue<OutboundJob> };
  ingest: InboundSink;
  outbox: Outbox;
  realtime: Realtime;
  /** The console's live events (Redis pub/sub, GET /api/stream). */
  consoleEvents: ConsoleEvents;
  /** The in-process event bus (src/kernel/events.ts). */
  bus: EventBus;
  nlu: Nlu;
  catalogue: Catalogue;
  escalator: Escalator;
  engine: Engine;
  adapters: Map<ChannelId, ChannelAdapter>;
  /** The one Bolt app (staff escalations + Slack customer channel), when Slack is configured. */
  slack?: SlackApp;
  metrics: Metrics;
  /** Cached "database up" flag with down/up events (src/kernel/db/health.ts). */
  dbHealth: DbHealth;
  /** Webhooks out: admin service and delivery queue (src/features/webhooks/). */
  webhooks: Webhooks;
  /** Lead scoring jobs (src/features/leads/scoring/queue.ts). */
  scoring: Scoring;
  /** The analytics rollup job (src/features/analytics/job.ts), on instances that run workers. */
  readonly analytics?: AnalyticsJob;
  /** The automatic assignment (src/features/assignment/auto-assign.ts). */
  assignment: AutoAssigner;
  /** Marketing campaigns: the sending deps and the send queue (src/features/campaigns/). */
  campaigns: CampaignsApi;
  /** Sequences (autoresponders): run the due steps now (src/features/sequences/). */
  sequences: SequencesApi;
}

export interface Charla {
  server: FastifyInstance;
  services: CharlaServices;
  /** Where the HTTP server listens, once `listen` resolved. */
  url: string;
  listen(): Promise<string>;
  stop(): Promise<void>;
}

function servicesOf(
  infra: Infrastructure,
  pipeline: Pipeline,
  features: RunningFeatures,
  logger: Logger,
): CharlaServices {
  const { apis } = features;
  return {
    ...infra,
    logger,
    ingest: pipeline.ingest,
    outbox: pipeline.outbox,
    nlu: pipeline.nlu,
    catalogue: pipeline.catalogue,
    escalator: pipeline.escalation.api.escalator,
    engine: pipeline.engine,
    adapters: pipeline.adapters,
    slack: pipeline.slack,
    webhooks: apis.webhooks,
    scoring: apis.scoring,
    get analytics() {
      return apis.analytics.job;
    },
    assignment: apis.assignment.auto,
    campaigns: apis.campaigns,
    sequences: apis.sequences,
  };
}

/** The server's own routes (health, metrics) and the shared rate limiter, before any feature. */
async function createServer(infra: Infrastructure, logger: Logger): Promise<FastifyInstance> {
  const { config, redis, dbHealth, metrics } = infra;
  const server = await createHttpServer(logger, {
    trustProxy: config.trustProxy,
    publicUrl: config.publicUrl,
  });
  // Failed credentials are counted per client IP in Redis (src/http/failed-attempts.ts).
  server.decorate('failureLimits', { redis, prefix: config.queuePrefix });
  // /healthz, /readyz and the 503 guard on inbound routes while the database is down.
  mountHealthRoutes(server, { dbHealth, redis });
  observeHttp(server, metrics);
  if (config.tracing.endpoint) traceHttp(server);
  server.get(
    '/metrics',
    {
      onRequest: requireRole(...ACCESS.metrics.read),
      schema: { summary: 'Prometheus metrics (admin token or admin session)' },
    },
    async (_req, reply) =>
      reply.type(metrics.registry.contentType).send(await metrics.registry.metrics()),
  );
  // Routes opt in with `config.rateLimit` (the public web chat API); counters live in Redis so
  // every instance shares them.
  await server.register(rateLimit, {
    global: false,
    redis,
    nameSpace: `${config.queuePrefix}:ratelimit:`,
    errorResponseBuilder: (_req, ctx) =>
      new HttpError(
        429,
        'rate_limited',
        `Too many requests; try again in ${Math.ceil(ctx.ttl / 1000)} s.`,
      ),
  });
  return server;
}

export async function createCharla(
  loadedConfig: Config,
  opts: CreateOptions = {},
): Promise<Charla> {
  const logger = opts.logger ?? createLogger(loadedConfig.logLevel);
  const cleanups = createCleanups(logger);
  try {
    // First in, so last out: spans of the shutdown itself are still sent.
    const tracing = await startTracing({ ...loadedConfig.tracing, role: loadedConfig.role });
    if (tracing) cleanups.add(() => tracing.shutdown());
    const infra = await startInfrastructure(
      loadedConfig,
      logger,
      cleanups,
      opts.dbName,
      MAIL_TRANSPORT,
    );
    const pipeline = await createPipeline(ADAPTER_FACTORIES, infra, logger, opts);
    const ctx = featureContext(infra, pipeline, logger, opts);
    const features = await createFeatures(ctx, cleanups, [pipeline.escalation]);
    const server = await createServer(infra, logger);
    cleanups.add(() => server.close());
    await mountFeatures(features.all, server);
    await mountConsole(server);
    pipeline.slack?.mount(server);
    for (const adapter of pipeline.adapters.values()) await adapter.mount(server);
    if (infra.config.role !== 'web') {
      await startWorkers(infra, pipeline, features, logger, opts, cleanups);
    }
    await startAdapters(pipeline, cleanups);
    return charlaOf(server, servicesOf(infra, pipeline, features, logger), cleanups.runAll);
  } catch (err) {
    await cleanups.runAll();
    throw err;
  }
}

/** Workers run only where ROLE runs them (worker and all-in-one instances). */
async function startWorkers(
  infra: Infrastructure,
  pipeline: Pipeline,
  features: RunningFeatures,
  logger: Logger,
  opts: CreateOptions,
  cleanups: Cleanups,
): Promise<void> {
  const workers = startPipelineWorkers(infra, pipeline, logger, opts);
  // Feature workers that join the pause/resume below (webhook deliveries, once a webhook exists).
  await startFeatureWorkers(features.all, workers);
  cleanups.add(() => Promise.all(workers.map((w) => w.close())));
  // No job runs against a dead database; they wait in Redis and resume with it.
  infra.dbHealth.on('down', () => {
    Promise.all(workers.map((w) => w.pause(true))).catch((err: unknown) =>
      logger.warn({ err }, 'pausing workers failed'),
    );
  });
  infra.dbHealth.on('up', () => workers.forEach((w) => w.resume()));
  startReconciler(infra, logger, opts, cleanups);
}

async function startAdapters(pipeline: Pipeline, cleanups: Cleanups): Promise<void> {
  for (const adapter of pipeline.adapters.values()) {
    if (!adapter.start) continue;
    await adapter.start();
    cleanups.add(() => adapter.stop?.() ?? Promise.resolve());
  }
}

function charlaOf(
  server: FastifyInstance,
  services: CharlaServices,
  stop: () => Promise<void>,
): Charla {
  const charla: Charla = {
    server,
    services,
    url: '',
    async listen() {
      const { port, host } = services.config;
      const address = await server.listen({ port, host });
      charla.url = address.replace('[::1]', '127.0.0.1').replace('0.0.0.0', '127.0.0.1');
      return charla.url;
    },
    stop,
  };
  return charla;
}
