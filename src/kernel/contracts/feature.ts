/**
 * The feature module contract: how a back-office feature (src/features/<x>/) plugs into Charla,
 * the way a channel adapter does (src/kernel/contracts/channel-adapter.ts). A feature's
 * `index.ts` exports one FeatureModule; the composition root (src/app/) creates every module of
 * its list with one context, mounts their routes, subscribes them to the event bus, starts their
 * workers where ROLE runs workers, and stops them in reverse order.
 *
 * What a feature needs is passed in: the kernel context below, plus what its own `Ctx` adds (the
 * outbox, the escalator…). No module-level setters.
 */
import type { Worker } from 'bullmq';
import type { FastifyInstance } from 'fastify';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { RuntimeConfig } from '../config/config.js';
import type { ConsoleEvents } from '../console-events.js';
import type { EventBus, EventSubscriptions } from '../events.js';
import type { InstallScope } from '../redis/install-scope.js';
import type { Metrics } from '../metrics.js';
import type { SlackApp } from '../slack/slack-app.js';

/** What every feature may use. */
export interface KernelContext {
  config: RuntimeConfig;
  /** The install id every job carries, and what to do with another install's job. */
  install: InstallScope;
  logger: Logger;
  redis: Redis;
  /** The in-process event bus (src/kernel/events.ts). */
  bus: EventBus;
  /** The console's live events (Redis pub/sub, GET /api/stream). */
  consoleEvents: ConsoleEvents;
  /** The one Bolt app, when Slack is configured. */
  slack?: SlackApp;
  /** Prometheus series (GET /metrics): a feature observes its own signals on them. */
  metrics: Metrics;
}

/** Where a feature hands its BullMQ workers: paused while the database is down, closed at stop. */
export type WorkerHost = (worker: Worker) => void;

/** A created feature: what it adds to the running app. */
export interface Feature<Api = unknown> {
  /** Mounts its HTTP routes (each route declares its roles). */
  mount?(server: FastifyInstance): void | Promise<void>;
  /** What it does when others publish an event. */
  subscriptions?: EventSubscriptions;
  /** After mounting, on every instance (e.g. the first-run setup link). */
  start?(): Promise<void>;
  /** Its jobs and workers: only where ROLE runs workers. */
  startWorkers?(workers: WorkerHost): Promise<void> | void;
  /** Closes its queues and timers (features stop in reverse order). */
  stop?(): Promise<void>;
  /** The small API the app and the tests may use (e.g. the webhook service). */
  api?: Api;
}

export interface FeatureModule<Ctx extends KernelContext = KernelContext, Api = unknown> {
  /** The feature's folder name. */
  name: string;
  create(ctx: Ctx): Feature<Api> | Promise<Feature<Api>>;
}

/** Declares a feature module (keeps its context and API types). */
export const defineFeature = <Ctx extends KernelContext, Api = unknown>(
  module: FeatureModule<Ctx, Api>,
): FeatureModule<Ctx, Api> => module;
