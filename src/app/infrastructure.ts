/**
 * The app's infrastructure, first of the three steps of `createCharla`: the database (embedded
 * FerretDB unless MONGODB_URI), the install id, Redis (embedded unless REDIS_URL), the pipeline's
 * queues, pub/sub, metrics and the event bus. Nothing here knows a feature.
 */
import mongoose from 'mongoose';
import type { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { Config, MailConfig, RuntimeConfig } from '../kernel/config/config.js';
import { createConsoleEvents, type ConsoleEvents } from '../kernel/console-events.js';
import { backfillOpenConversationKeys } from '../kernel/db/conversations.js';
import { createDbHealth, type DbHealth } from '../kernel/db/health.js';
import { ensureInstallId } from '../kernel/db/install.js';
import { createEventBus, type EventBus } from '../kernel/events.js';
import { createMetrics, type Metrics } from '../kernel/metrics.js';
import { createRealtime, type Realtime } from '../kernel/realtime.js';
import { defaultQueuePrefix, type InstallScope } from '../kernel/redis/install-scope.js';
import { createRedis } from '../kernel/redis/redis.js';
import { clusterPrefix } from '../kernel/redis/topology.js';
import { createInboundQueue, type InboundJob } from '../pipeline/queues/inbound.js';
import { createOutboundQueue, type OutboundJob } from '../pipeline/queues/outbound.js';
import type { MailTransport } from '../kernel/contracts/mail.js';
import type { Cleanups } from './cleanups.js';
import { startEmbeddedMongo, type EmbeddedMongo } from './infra/embedded-mongo.js';
import { resolveRedis } from './infra/embedded-redis.js';

export interface Infrastructure {
  config: RuntimeConfig;
  installId: string;
  install: InstallScope;
  dbHealth: DbHealth;
  redis: Redis;
  queues: { inbound: Queue<InboundJob>; outbound: Queue<OutboundJob> };
  realtime: Realtime;
  consoleEvents: ConsoleEvents;
  metrics: Metrics;
  bus: EventBus;
  /** SMTP_URL's transport for every mail Charla sends; undefined: mail is not set up. */
  mail: MailTransport | undefined;
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

/**
 * How Charla talks to a MongoDB replica set (docs/ARCHITECTURE.md, "MongoDB in production"):
 * writes retried once across a primary election and acknowledged by a majority, so an
 * acknowledged customer message survives the failover; reads retried, and from the primary
 * only, so a turn never reads a conversation older than its own last write. FerretDB accepts
 * and ignores them.
 */
export const REPLICA_SET_OPTIONS = {
  serverSelectionTimeoutMS: 5000,
  retryWrites: true,
  retryReads: true,
  readPreference: 'primary',
  writeConcern: { w: 'majority' },
} as const;

/** Connects mongoose, watches the database's health and brings the indexes up. */
async function startDatabase(
  config: Config,
  logger: Logger,
  cleanups: Cleanups,
  dbName: string | undefined,
): Promise<DbHealth> {
  const mongo = await connectMongo(config, logger);
  if (mongo.embedded) cleanups.add(() => mongo.embedded!.stop());
  const connection = await mongoose
    .createConnection(mongo.uri, { dbName, serverSelectionTimeoutMS: 5000 })
    .asPromise();
  // FerretDB (SQLite and PostgreSQL handlers) applies an update as read-modify-write outside a
  // transaction, so concurrent updates of one document lose writes (an ingest write once undid
  // the engine's flow step). One connection per process serialises this process's operations
  // (and keeps FerretDB's PostgreSQL pool from deadlocking: docs/ARCHITECTURE.md).
  const buildInfo = await connection.db?.admin().command({ buildInfo: 1 });
  const serialise = buildInfo?.ferretdbVersion !== undefined;
  // Models are registered on the default mongoose instance; point it at this connection.
  await mongoose.connect(mongo.uri, {
    dbName,
    ...REPLICA_SET_OPTIONS,
    ...(serialise ? { maxPoolSize: 1 } : {}),
  });
  await connection.close();
  cleanups.add(() => mongoose.disconnect());
  const dbHealth = createDbHealth({ uri: mongo.uri, embedded: mongo.embedded });
  cleanups.add(async () => dbHealth.stop());
  dbHealth.on('down', (reason) => logger.error({ reason }, 'database unavailable'));
  dbHealth.on('up', () => logger.info('database available again'));
  await Promise.all(Object.values(mongoose.models).map((m) => m.init()));
  return dbHealth;
}

async function startRedis(config: RuntimeConfig, logger: Logger, cleanups: Cleanups) {
  const topology = config.redisTopology;
  let url = '';
  let kind: string = topology?.kind ?? '';
  if (!topology) {
    const endpoint = await resolveRedis({ redisUrl: config.redisUrl, dataDir: config.dataDir });
    cleanups.add(() => endpoint.stop());
    url = endpoint.url;
    kind = endpoint.kind;
  }
  const redis = createRedis(url, logger, 'main', topology);
  const subscriber = createRedis(url, logger, 'subscriber', topology);
  cleanups.add(async () => {
    redis.disconnect();
    subscriber.disconnect();
  });
  await redis.ping();
  logger.info({ kind }, 'redis ready');
  return { redis, subscriber };
}

/**
 * The queue prefix: QUEUE_PREFIX or one per install; on a Redis Cluster, one hash tag
 * (`{charla:<installId>}`) so all of the install's keys share a slot (src/kernel/redis/topology.ts).
 */
function queuePrefixOf(config: Config, installId: string): string {
  const prefix = config.queuePrefix ?? defaultQueuePrefix(installId);
  return config.redisTopology?.kind === 'cluster' ? clusterPrefix(prefix) : prefix;
}

export async function startInfrastructure(
  loadedConfig: Config,
  logger: Logger,
  cleanups: Cleanups,
  dbName?: string,
  /** Builds the mail transport (channels/index.ts's MAIL_TRANSPORT, handed in by createCharla). */
  mailTransport?: (config: MailConfig) => MailTransport,
): Promise<Infrastructure> {
  const dbHealth = await startDatabase(loadedConfig, logger, cleanups, dbName);
  // Queues, locks, pub/sub and rate limits are namespaced by the database's install id.
  const installId = await ensureInstallId();
  const config: RuntimeConfig = {
    ...loadedConfig,
    queuePrefix: queuePrefixOf(loadedConfig, installId),
  };
  logger.info({ installId, queuePrefix: config.queuePrefix }, 'install');
  const keyed = await backfillOpenConversationKeys();
  if (keyed > 0) logger.info({ keyed }, 'open conversations given their open key');

  const { redis, subscriber } = await startRedis(config, logger, cleanups);
  const queues = {
    inbound: createInboundQueue(redis, config.queuePrefix, installId),
    outbound: createOutboundQueue(redis, config.queuePrefix, installId),
  };
  cleanups.add(() => Promise.all([queues.inbound.close(), queues.outbound.close()]));
  const realtime = createRealtime(redis, subscriber, config.queuePrefix);
  const consoleEvents = createConsoleEvents(redis, config.queuePrefix, logger);
  cleanups.add(() => consoleEvents.close());
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
  const bus = createEventBus(logger);
  const mail = config.mail && mailTransport ? mailTransport(config.mail) : undefined;
  if (mail) cleanups.add(() => mail.close());
  else logger.info('mail off: missing SMTP_URL (no email channel replies, no password-reset mail)');
  return {
    mail,
    config,
    installId,
    install,
    dbHealth,
    redis,
    queues,
    realtime,
    consoleEvents,
    metrics,
    bus,
  };
}
