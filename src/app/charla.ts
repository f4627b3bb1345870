/**
 * The composition root: config → stores, queues, NLU, engine, channel adapters, HTTP server and
 * workers. The only place concrete implementations meet; `main.ts` and the tests both use it.
 */
import mongoose from 'mongoose';
import type { Queue, Worker } from 'bullmq';
import type { FastifyInstance } from 'fastify';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { Config, RuntimeConfig } from '../kernel/config/config.js';
import type { ChannelAdapter, InboundSink } from '../kernel/contracts/channel-adapter.js';
import type { ChannelId } from '../kernel/contracts/messages.js';
import type { Escalator } from '../kernel/contracts/escalation.js';
import type { Nlu } from '../kernel/contracts/nlu.js';
import { ADAPTER_FACTORIES } from '../../channels/index.js';
import { loadCatalogue, type Catalogue } from '../pipeline/catalogue/catalogue.js';
import { createStudio } from '../features/catalogue/studio.js';
import { loadLiveVersion } from '../features/catalogue/versions.js';
import { createEngine, type CrashPoint, type Engine } from '../pipeline/engine/engine.js';
import { createEscalation } from '../features/escalation/setup.js';
import { mountAdminRoutes } from '../http/admin-routes.js';
import { mountCaseRoutes } from '../features/cases/routes.js';
import { setCaseSlaSettings } from '../features/cases/settings.js';
import { startSlaMonitor } from '../features/cases/sla-monitor.js';
import { createConversationLock } from '../kernel/redis/conversation-lock.js';
import { queueCaseAlert } from '../features/escalation/slack/queue.js';
import { mountPrivacyRoutes } from '../features/contacts/privacy/routes.js';
import { mountWebhookRoutes } from '../features/webhooks/routes.js';
import { createWebhooks, type Webhooks } from '../features/webhooks/setup.js';
import { startRetentionJob } from '../features/contacts/privacy/retention-job.js';
import { mountConsoleDataRoutes } from '../features/conversations/mount.js';
import { mountCatalogueRoutes } from '../features/catalogue/routes.js';
import { mountUnansweredRoutes } from '../features/catalogue/unanswered-routes.js';
import { createStaffAuth, type StaffAuthOptions } from '../features/auth/staff-auth.js';
import { mountConsole } from '../http/console-static.js';
import { createHttpServer } from '../http/server.js';
import rateLimit from '@fastify/rate-limit';
import { HttpError } from '../http/errors.js';
import { startEmbeddedMongo, type EmbeddedMongo } from './infra/embedded-mongo.js';
import { createDbHealth, type DbHealth } from '../kernel/db/health.js';
import { mountHealthRoutes } from '../http/health.js';
import { resolveRedis, type RedisEndpoint } from './infra/embedded-redis.js';
import { createIngest, createRerouter } from '../pipeline/ingest.js';
import { createLogger } from '../kernel/logger.js';
import { createMetrics, type Metrics } from '../kernel/metrics.js';
import { requireRole } from '../http/guard.js';
import { DEFAULT_THRESHOLD, createNlu } from '../pipeline/nlu/index.js';
import { createOutbox, type Outbox } from '../pipeline/outbox.js';
import {
  createInboundQueue,
  createInboundWorker,
  type InboundJob,
} from '../pipeline/queues/inbound.js';
import {
  createOutboundQueue,
  createOutboundWorker,
  type OutboundJob,
} from '../pipeline/queues/outbound.js';
import { createReconciler } from '../pipeline/queues/reconciler.js';
import { startAnalyticsJob, type AnalyticsJob } from '../features/analytics/job.js';
import { mountAnalyticsRoutes } from '../features/analytics/routes.js';
import type { DeliveryCrashPoint } from '../pipeline/queues/turn-delivery.js';
import { defaultQueuePrefix, type InstallScope } from '../kernel/redis/install-scope.js';
import { createRedis } from '../kernel/redis/redis.js';
import { createRealtime, type Realtime } from '../kernel/realtime.js';
import { createConsoleEvents, type ConsoleEvents } from '../kernel/console-events.js';
import { createSlackApp, type SlackApp } from '../kernel/slack/slack-app.js';
import { backfillOpenConversationKeys } from '../kernel/db/conversations.js';
import { createScoring, type Scoring } from '../features/leads/scoring/queue.js';
import { loadRules } from '../features/leads/scoring/store.js';
import { ensureInstallId } from '../kernel/db/install.js';

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
  analytics?: AnalyticsJob;
}

export interface Charla {
  server: FastifyInstance;
  services: CharlaServices;
  /** Where the HTTP server listens, once `listen` resolved. */
  url: string;
  listen(): Promise<string>;
  stop(): Promise<void>;
}

export interface CreateOptions {
  logger?: Logger;
  /** Database name inside the MongoDB URI (tests isolate themselves with it). */
  dbName?: string;
  /** Extra adapters (tests inject fakes) added after the registry's. */
  extraAdapters?: ChannelAdapter[];
  /** Outbound retry base; tests shorten it. */
  outboundBackoffMs?: number;
  /** Retry base of the Slack staff-queue jobs; tests shorten it. */
  escalationBackoffMs?: number;
  /** Retry base of webhook deliveries (default 5 s); tests shorten it. */
  webhookBackoffMs?: number;
  /** Staff sign-in: login throttle window, setup link lifetime; tests shorten them. */
  auth?: StaffAuthOptions;
  /** The reconciler's period (default 60 s) and the age below which it leaves work alone. */
  reconcileIntervalMs?: number;
  reconcileGraceMs?: number;
  /** The analytics rollup's period (default 60 s). */
  analyticsIntervalMs?: number;
  /** Test only: throws at a named point of a turn (docs/ARCHITECTURE.md, crash consistency). */
  crashAt?: (point: CrashPoint | DeliveryCrashPoint) => void;
}

async function connectMongo(
  config: Config,
  logger: Logger,
): Promise<{ uri: string; embedded?: EmbeddedMongo }> {
  if (config.mongodbUri) return { uri: config.mongodbUri };
  const embedded = await startEmbeddedMongo({
    dataDir: config.dataDir,
    ferretdbBin: config.ferretdbBin,
  });
  logger.info({ kind: embedded.kind }, 'started embedded MongoDB-compatible server');
  return { uri: embedded.uri, embedded };
}

// eslint-disable-next-line max-lines-per-function -- over 150 lines until its split (issue 17) lands
export async function createCharla(
  loadedConfig: Config,
  opts: CreateOptions = {},
): Promise<Charla> {
  const logger = opts.logger ?? createLogger(loadedConfig.logLevel);
  const cleanups: Array<() => Promise<unknown>> = [];
  const stopAll = async () => {
    for (const fn of cleanups.reverse()) {
      try {
        await fn();
      } catch (err) {
        logger.warn({ err }, 'error during shutdown');
      }
    }
    cleanups.length = 0;
  };

  try {
    const mongo = await connectMongo(loadedConfig, logger);
    if (mongo.embedded) cleanups.push(() => mongo.embedded!.stop());
    const connection = await mongoose
      .createConnection(mongo.uri, { dbName: opts.dbName, serverSelectionTimeoutMS: 5000 })
      .asPromise();
    // FerretDB (SQLite and PostgreSQL handlers) applies an update as read-modify-write outside a
    // transaction, so concurrent updates of one document lose writes (an ingest write once undid
    // the engine's flow step). One connection per process serialises this process's operations
    // (and keeps FerretDB's PostgreSQL pool from deadlocking: docs/ARCHITECTURE.md).
    const buildInfo = await connection.db?.admin().command({ buildInfo: 1 });
    const serialise = buildInfo?.ferretdbVersion !== undefined;
    // Models are registered on the default mongoose instance; point it at this connection.
    await mongoose.connect(mongo.uri, {
      dbName: opts.dbName,
      serverSelectionTimeoutMS: 5000,
      ...(serialise ? { maxPoolSize: 1 } : {}),
    });
    await connection.close();
    cleanups.push(() => mongoose.disconnect());
    const dbHealth = createDbHealth({
      uri: mongo.uri,
      embedded: mongo.embedded,
    });
    cleanups.push(async () => dbHealth.stop());
    dbHealth.on('down', (reason) => logger.error({ reason }, 'database unavailable'));
    dbHealth.on('up', () => logger.info('database available again'));
    await Promise.all(Object.values(mongoose.models).map((m) => m.init()));
    // Queues, locks, pub/sub and rate limits are namespaced by the database's install id.
    const installId = await ensureInstallId();
    const config: RuntimeConfig = {
      ...loadedConfig,
      queuePrefix: loadedConfig.queuePrefix ?? defaultQueuePrefix(installId),
    };
    logger.info({ installId, queuePrefix: config.queuePrefix }, 'install');
    const keyed = await backfillOpenConversationKeys();
    if (keyed > 0) logger.info({ keyed }, 'open conversations given their open key');

    const redisEndpoint: RedisEndpoint = await resolveRedis({
      redisUrl: config.redisUrl,
      dataDir: config.dataDir,
    });
    cleanups.push(() => redisEndpoint.stop());
    logger.info({ kind: redisEndpoint.kind }, 'redis ready');
    const redis = createRedis(redisEndpoint.url);
    const subscriber = createRedis(redisEndpoint.url);
    cleanups.push(async () => {
      redis.disconnect();
      subscriber.disconnect();
    });
    await redis.ping();

    const queues = {
      inbound: createInboundQueue(redis, config.queuePrefix, installId),
      outbound: createOutboundQueue(redis, config.queuePrefix, installId),
    };
    cleanups.push(() => Promise.all([queues.inbound.close(), queues.outbound.close()]));

    const realtime = createRealtime(redis, subscriber, config.queuePrefix);
    const consoleEvents = createConsoleEvents(redis, config.queuePrefix, logger);
    cleanups.push(() => consoleEvents.close());
    const metrics = createMetrics(queues);
    const install: InstallScope = {
      installId,
      onForeignJob(queue, job, foreignInstallId) {
        metrics.foreignJobs.inc({ queue });
        logger.error(
          { queue, jobId: job.id, foreignInstallId, installId, queuePrefix: config.queuePrefix },
          'refused a job of another install: two installs share this QUEUE_PREFIX on one Redis',
        );
      },
    };
    // Before anything can publish an event: the subscriber cache is loaded here.
    const webhooks = await createWebhooks({
      redis,
      prefix: config.queuePrefix,
      install,
      logger,
      timeoutMs: config.webhookTimeoutMs,
      backoffBaseMs: opts.webhookBackoffMs,
    });
    cleanups.push(() => webhooks.close());
    // Lead scoring: the rules are seeded from scoring/rules.yaml on first start.
    await loadRules();
    const scoring = createScoring({
      connection: redis,
      prefix: config.queuePrefix,
      install,
      logger,
    });
    cleanups.push(() => scoring.close());
    const ingest = createIngest(
      queues.inbound,
      (channel, duplicate) => metrics.inbound.inc({ channel, duplicate: String(duplicate) }),
      consoleEvents,
    );
    const outbox = createOutbox(queues.outbound, consoleEvents);
    // The live catalogue is the newest published version (the files seed version 1).
    const catalogue: Catalogue = await loadLiveVersion(() => loadCatalogue());
    const nlu = createNlu({
      threshold: config.nluThreshold,
      defaultLanguage: config.defaultLocale,
    });
    await nlu.train(catalogue.intents);
    const slack = config.channels.slack
      ? createSlackApp({
          botToken: config.channels.slack.botToken,
          signingSecret: config.channels.slack.signingSecret,
          apiUrl: config.channels.slack.apiUrl,
          logger,
        })
      : undefined;

    const escalation = createEscalation({
      config,
      install,
      logger,
      redis,
      outbox,
      slack,
      // The engine is built below, with this escalator; it is only called after start-up.
      resume: (conversationId) => engine.resume(conversationId),
      backoffBaseMs: opts.escalationBackoffMs,
      events: consoleEvents,
    });
    cleanups.push(() => escalation.close());
    const escalator = escalation.escalator;
    // New cases get deadlines from CASE_SLA; the clock pauses outside BUSINESS_HOURS.
    setCaseSlaSettings({ policy: config.caseSla, hours: escalator.businessHours });
    const conversationLock = createConversationLock(redis, config.queuePrefix);
    const engine = createEngine({
      nlu,
      outbox,
      escalator,
      logger,
      catalogue,
      defaultLocale: config.defaultLocale,
      defaultCountry: config.defaultCountry,
      crashAt: opts.crashAt,
    });
    // The bot studio: draft, publish and rollback; every instance follows a publish (pub/sub).
    const studio = await createStudio({
      redis,
      prefix: config.queuePrefix,
      catalogue,
      nlu,
      logger,
      threshold: config.nluThreshold,
      defaultLocale: config.defaultLocale,
    });
    cleanups.push(() => studio.close());

    const adapters = new Map<ChannelId, ChannelAdapter>();
    for (const factory of ADAPTER_FACTORIES) {
      const adapter = factory({ config, sink: ingest, logger, realtime, slack });
      if (adapter) adapters.set(adapter.id, adapter);
    }
    for (const adapter of opts.extraAdapters ?? []) adapters.set(adapter.id, adapter);
    for (const [name, why] of Object.entries(config.disabledChannels)) {
      logger.info({ channel: name }, `channel ${name} off: ${why}`);
    }

    const services: CharlaServices = {
      config,
      installId,
      logger,
      redis,
      queues,
      ingest,
      outbox,
      realtime,
      consoleEvents,
      nlu,
      catalogue,
      escalator,
      engine,
      adapters,
      metrics,
      slack,
      dbHealth,
      webhooks,
      scoring,
    };

    const server = await createHttpServer(logger, { trustProxy: config.trustProxy });
    // Failed credentials are counted per client IP in Redis (src/http/failed-attempts.ts).
    server.decorate('failureLimits', { redis, prefix: config.queuePrefix });
    cleanups.push(() => server.close());
    // Staff accounts: session cookie or ADMIN_TOKEN on every staff route (src/features/auth/staff-auth.ts).
    const staffAuth = createStaffAuth({
      config,
      prefix: config.queuePrefix,
      redis,
      logger,
      options: opts.auth,
    });
    await staffAuth.mount(server);
    await staffAuth.start();
    // /healthz, /readyz and the 503 guard on inbound routes while the database is down.
    mountHealthRoutes(server, { dbHealth, redis });
    server.get('/metrics', { onRequest: requireRole() }, async (_req, reply) =>
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
    mountAdminRoutes(server, services);
    mountCaseRoutes(server, {
      outbox,
      lock: conversationLock,
      defaultLocale: config.defaultLocale,
    });
    mountPrivacyRoutes(server, services);
    mountWebhookRoutes(server, webhooks.service);
    mountCatalogueRoutes(server, studio);
    mountAnalyticsRoutes(server);
    mountUnansweredRoutes(server, {
      studio,
      nlu,
      threshold: config.nluThreshold ?? DEFAULT_THRESHOLD,
    });
    await mountConsole(server);
    slack?.mount(server);
    escalation.mount(server);
    mountConsoleDataRoutes(server, {
      escalator,
      outbox,
      redis,
      prefix: config.queuePrefix,
      events: consoleEvents,
    });
    for (const adapter of adapters.values()) await adapter.mount(server);

    const workers: Worker[] = [];
    if (config.role !== 'web') {
      workers.push(
        createInboundWorker({
          connection: redis,
          prefix: config.queuePrefix,
          install,
          handle: async (m) => {
            const result = await engine.handle(m);
            await scoring.afterTurn(result.conversation, m._id);
            return result;
          },
          reroute: createRerouter(queues.inbound),
          logger,
          delivery: {
            adapters,
            outboundQueue: queues.outbound,
            crashAt: opts.crashAt,
            onSettled: async (m, outcome) => {
              metrics.outbound.inc({ channel: m.channel, outcome });
              await escalation.onMessageSettled(m, outcome);
            },
          },
        }),
        createOutboundWorker({
          connection: redis,
          prefix: config.queuePrefix,
          install,
          adapters,
          logger,
          backoffBaseMs: opts.outboundBackoffMs,
          onSettled: async (m, outcome) => {
            metrics.outbound.inc({ channel: m.channel, outcome });
            await escalation.onMessageSettled(m, outcome);
          },
        }),
      );
      // Started once a webhook exists; joins the pause/resume and shutdown below.
      webhooks.startWorker((w) => workers.push(w));
      cleanups.push(() => Promise.all(workers.map((w) => w.close())));
      // No job runs against a dead database; they wait in Redis and resume with it.
      dbHealth.on('down', () => {
        Promise.all(workers.map((w) => w.pause(true))).catch((err: unknown) =>
          logger.warn({ err }, 'pausing workers failed'),
        );
      });
      dbHealth.on('up', () => workers.forEach((w) => w.resume()));
      await escalation.startWorker();
      scoring.startWorker();
      if (config.retentionDays !== undefined) {
        const retention = await startRetentionJob({
          connection: redis,
          prefix: config.queuePrefix,
          install,
          days: config.retentionDays,
          logger,
        });
        cleanups.push(() => retention.close());
      }
      // Case SLAs: deadlines, first responses, one Slack alert per missed target.
      const slaMonitor = startSlaMonitor({
        redis,
        prefix: config.queuePrefix,
        logger,
        lock: conversationLock,
        alert: (caseId, kind) => queueCaseAlert(escalation.queue, caseId, kind),
      });
      cleanups.push(async () => slaMonitor.stop());
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
      cleanups.push(() => reconciler.stop());
      const analytics = await startAnalyticsJob({
        redis,
        prefix: config.queuePrefix,
        events: consoleEvents,
        logger,
        intervalMs: opts.analyticsIntervalMs ?? 60_000,
      });
      services.analytics = analytics;
      cleanups.push(() => analytics.stop());
    }
    for (const adapter of adapters.values()) {
      if (adapter.start) {
        await adapter.start();
        cleanups.push(() => adapter.stop?.() ?? Promise.resolve());
      }
    }

    const charla: Charla = {
      server,
      services,
      url: '',
      async listen() {
        const address = await server.listen({ port: config.port, host: config.host });
        charla.url = address.replace('[::1]', '127.0.0.1').replace('0.0.0.0', '127.0.0.1');
        return charla.url;
      },
      stop: stopAll,
    };
    return charla;
  } catch (err) {
    await stopAll();
    throw err;
  }
}
