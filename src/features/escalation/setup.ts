/**
 * Wires the human queue: the escalator (always), and — when Slack is configured with
 * SLACK_ESCALATION_CHANNEL — the Slack staff queue (BullMQ jobs, Bolt listeners, SLA re-pings).
 * The composition root calls this once; `startWorker` runs only on worker-role instances.
 */
import type { Queue, Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { RuntimeConfig } from '../../kernel/config/config.js';
import type { ConsoleEventPublisher } from '../../kernel/console-events.js';
import type { EventPublisher } from '../../kernel/events.js';
import type { Metrics } from '../../kernel/metrics.js';
import type { Outbox } from '../../pipeline/outbox.js';
import type { InstallScope } from '../../kernel/redis/install-scope.js';
import type { SlackApp } from '../../kernel/slack/slack-app.js';
import { createConversationLock } from '../../kernel/redis/conversation-lock.js';
import { createEscalator, type EscalatorWithInternals, type StaffNotifier } from './escalator.js';
import { registerEscalationListeners } from './slack/listeners.js';
import { staffTexts } from './slack/staff-texts.js';
import type { MessageDoc } from '../../kernel/db/models/message.js';
import {
  createEscalationQueue,
  createEscalationWorker,
  createSlackNotifier,
  deferNotice,
  scheduleSlaSweep,
  type EscalationJob,
} from './slack/queue.js';

export interface EscalationDeps {
  config: RuntimeConfig;
  /** Stamps and checks the install id of the staff-queue jobs. */
  install: InstallScope;
  logger: Logger;
  redis: Redis;
  outbox: Outbox;
  slack: SlackApp | undefined;
  /** engine.resume: bound late, the engine is built after the escalator. */
  resume: (conversationId: string) => Promise<void>;
  /** Base of the Slack job backoff; tests shorten it. */
  backoffBaseMs?: number;
  /** The console's live stream (conversation.updated on every transition). */
  events?: ConsoleEventPublisher;
  /** The event bus: conversation.escalated (webhooks). */
  bus?: EventPublisher;
  /** The queue-wait histogram (GET /metrics). */
  metrics?: Pick<Metrics, 'escalationWaitSeconds'>;
}

export interface Escalation {
  escalator: EscalatorWithInternals;
  /** Staff-queue jobs (Slack) and deferred customer notices. */
  queue: Queue<EscalationJob>;
  /** Outbound worker hook: a staff reply that finally failed is reported in the item's thread. */
  onMessageSettled(message: MessageDoc, outcome: 'sent' | 'failed'): Promise<void>;
  startWorker(): Promise<void>;
  close(): Promise<void>;
}

export function createEscalation(deps: EscalationDeps): Escalation {
  const { config, logger, slack } = deps;
  const channel = config.channels.slack?.escalationChannel;
  const locale = config.defaultLocale;
  const lock = createConversationLock(deps.redis, config.queuePrefix);
  // Always there: it also carries customer notices, which do not need Slack.
  const queue = createEscalationQueue(deps.redis, config.queuePrefix, deps.install.installId);
  let notifier: StaffNotifier | undefined;
  if (slack && channel) {
    notifier = createSlackNotifier(queue, locale);
  } else if (slack) {
    logger.warn(
      'SLACK_ESCALATION_CHANNEL is not set: escalations queue but are not posted to Slack',
    );
  }

  const escalator = createEscalator({
    outbox: deps.outbox,
    logger,
    defaultLocale: locale,
    businessHours: config.escalation.businessHours,
    notifier: () => notifier,
    resume: deps.resume,
    lock,
    defer: (conversationId, notice, episode) => deferNotice(queue, conversationId, notice, episode),
    events: deps.events,
    bus: deps.bus,
    metrics: deps.metrics,
  });

  if (slack) {
    registerEscalationListeners({
      app: slack.app,
      client: slack.client,
      escalator,
      outbox: deps.outbox,
      redis: deps.redis,
      prefix: config.queuePrefix,
      locale,
      logger,
      staffChannel: channel,
    });
  }

  let worker: Worker<EscalationJob> | undefined;
  return {
    escalator,
    queue,
    async onMessageSettled(message, outcome) {
      if (outcome !== 'failed' || message.author !== 'staff' || !notifier) return;
      await queue.add('thread-note', {
        kind: 'thread-note',
        conversationId: String(message.conversationId),
        text: staffTexts(locale).deliveryFailed,
      });
    },
    async startWorker() {
      if (worker) return;
      worker = createEscalationWorker({
        connection: deps.redis,
        prefix: config.queuePrefix,
        install: deps.install,
        queue,
        slack: slack && channel ? { client: slack.client, channel } : undefined,
        sendNotice: (conversationId, notice) =>
          escalator.sendDeferredNotice(conversationId, notice),
        locale,
        slaMinutes: config.escalation.slaMinutes,
        businessHours: escalator.businessHours,
        logger,
        backoffBaseMs: deps.backoffBaseMs,
        lock,
      });
      if (notifier) {
        await scheduleSlaSweep(queue, Math.round(config.escalation.slaCheckSeconds * 1000));
      }
    },
    async close() {
      await worker?.close();
      await queue.close();
    },
  };
}
