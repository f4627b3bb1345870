/**
 * The campaign queues, apart from the customer path's (their own BullMQ queues under
 * QUEUE_PREFIX): `campaigns` runs a campaign's start (listing its recipients; delayed until
 * `sendAt` when scheduled), and one `campaign-<channel>` queue per channel sends one recipient
 * per job under that channel's rate limit (BullMQ's worker limiter, shared by every instance
 * through Redis), with small concurrency, so a send of 100,000 never crowds out the inbound and
 * outbound workers of live conversations. A job's id is the recipient's id: one job per
 * recipient while it is waiting; the claim (recipients.ts) makes a redelivered job harmless.
 */
import { Worker, type Job } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import {
  InstallQueue,
  refuseForeignJobs,
  type InstallScope,
} from '../../kernel/redis/install-scope.js';
import { logWorkerErrors } from '../../kernel/redis/redis.js';
import type { CampaignChannel } from './schemas.js';

export const CONTROL_QUEUE = 'campaigns';
export const SEND_CHANNELS = ['email', 'telegram', 'webchat', 'whatsapp'] as const;
export type SendChannel = (typeof SEND_CHANNELS)[number];
export const sendQueueName = (channel: SendChannel) => `campaign-${channel}`;

/** Messages per second per channel (all instances together): platform limits, with room. */
export const DEFAULT_RATES: Record<SendChannel, number> = {
  email: 20,
  telegram: 25,
  webchat: 30,
  // WhatsApp Cloud allows 80 messages/s per number by default.
  whatsapp: 40,
};

export interface StartJob {
  campaignId: string;
}
export interface SendJob {
  campaignId: string;
  recipientId: string;
}

export interface CampaignQueues {
  control: InstallQueue<StartJob>;
  send: Record<SendChannel, InstallQueue<SendJob>>;
  close(): Promise<void>;
}

export function createCampaignQueues(
  connection: Redis,
  prefix: string,
  installId: string,
): CampaignQueues {
  const common = { installId, connection, prefix };
  const control = new InstallQueue<StartJob>(CONTROL_QUEUE, {
    ...common,
    defaultJobOptions: {
      attempts: 5,
      backoff: { type: 'exponential', delay: 2000 },
      removeOnComplete: true,
      removeOnFail: { age: 7 * 24 * 3600 },
    },
  });
  const sendQueue = (channel: SendChannel) =>
    new InstallQueue<SendJob>(sendQueueName(channel), {
      ...common,
      defaultJobOptions: {
        attempts: 5,
        backoff: { type: 'exponential', delay: 5000 },
        // Removed when done, so a recipient queued again (resume, retry) gets a new job.
        removeOnComplete: true,
        removeOnFail: true,
      },
    });
  const send = {
    email: sendQueue('email'),
    telegram: sendQueue('telegram'),
    webchat: sendQueue('webchat'),
    whatsapp: sendQueue('whatsapp'),
  };
  return {
    control,
    send,
    async close() {
      await Promise.all([control.close(), ...Object.values(send).map((q) => q.close())]);
    },
  };
}

export const isSendChannel = (c: CampaignChannel): c is SendChannel =>
  (SEND_CHANNELS as readonly string[]).includes(c);

export interface WorkerDeps {
  connection: Redis;
  prefix: string;
  install: InstallScope;
  logger: Logger;
  rates: Record<SendChannel, number>;
  start(job: Job<StartJob>): Promise<void>;
  send(job: Job<SendJob>, token?: string): Promise<void>;
}

export function createCampaignWorkers(deps: WorkerDeps): Worker[] {
  const base = { connection: deps.connection, prefix: deps.prefix, maxStalledCount: 1000 };
  const control = new Worker<StartJob>(
    CONTROL_QUEUE,
    refuseForeignJobs(deps.install, CONTROL_QUEUE, deps.start),
    { ...base, concurrency: 1 },
  );
  const senders = SEND_CHANNELS.map(
    (channel) =>
      new Worker<SendJob>(
        sendQueueName(channel),
        refuseForeignJobs(deps.install, sendQueueName(channel), deps.send),
        {
          ...base,
          concurrency: 4,
          limiter: { max: Math.max(1, Math.round(deps.rates[channel])), duration: 1000 },
        },
      ),
  );
  const all = [control, ...senders];
  for (const w of all) w.on('error', logWorkerErrors(deps.logger, 'campaign worker error'));
  return all;
}
