/**
 * Every Slack call of the staff queue is a BullMQ job ('escalation' queue), so Slack being down
 * or rate-limiting loses nothing: jobs retry with exponential backoff (Slack's Retry-After wins
 * on 429) for about a week before they are set aside as failed.
 *
 * Job kinds: post-item (the queue item), update-item (re-render after claim/close), relay (copy
 * customer messages into the item's thread, in order; waits until the item exists), thread-note
 * (who claimed/closed), notify (SLA re-ping), sla-sweep (repeatable: finds items waiting too
 * long), case-alert (a case missed an SLA target: src/features/cases/sla-monitor.ts). Job data never carries message texts: they are read from MongoDB when the job runs.
 *
 * One more kind runs with or without Slack: customer-notice, a notice to the customer that the
 * escalator deferred until the engine finished the escalating turn (the after-hours notice).
 */
import { randomUUID } from 'node:crypto';
import { DelayedError, Worker, type Job, type Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { webApi } from '@slack/bolt';
import type { StaffMember } from '../../../kernel/contracts/escalation.js';
import type { Locale } from '../../../kernel/contracts/messages.js';
import {
  InstallQueue,
  refuseForeignJobs,
  type InstallScope,
} from '../../../kernel/redis/install-scope.js';
import type { SlackWebClient } from '../../../kernel/slack/slack-app.js';
import { Conversation, type ConversationDoc } from '../../../kernel/db/models/conversation.js';
import { Message, type MessageDoc } from '../../../kernel/db/models/message.js';
import { isOpen, type BusinessHours } from '../../../kernel/time/business-hours.js';
import {
  ConversationBusyError,
  type ConversationLock,
} from '../../../kernel/redis/conversation-lock.js';
import { TurnInProgress, type DeferredNotice, type StaffNotifier } from '../escalator.js';
import { slackStaffRef } from '../staff-identity.js';
import { renderItem } from './item-view.js';
import { slackEscape, staffTexts } from './staff-texts.js';
import { slackUrlAsText } from '../../../kernel/escaping/slack.js';
import { caseAlertText } from '../../cases/alert.js';
import type { SlaKind } from '../../../kernel/time/sla.js';
import { Case, type CaseDoc } from '../../../kernel/db/models/case.js';

export const ESCALATION_QUEUE = 'escalation';
/** With the backoff capped at a minute, this keeps retrying for about a week. */
export const ESCALATION_ATTEMPTS = 10_000;
const SWEEP_SCHEDULER = 'escalation-sla-sweep';
const RELAY_LOCK_TTL_MS = 30_000;

export type EscalationJob =
  | { kind: 'post-item'; conversationId: string; episode: number }
  | { kind: 'update-item'; conversationId: string }
  | { kind: 'relay'; conversationId: string; messageId: string }
  | { kind: 'staff-echo'; conversationId: string; messageId: string }
  | { kind: 'thread-note'; conversationId: string; text: string }
  | { kind: 'notify'; conversationId: string; minutes: number }
  | { kind: 'sla-sweep' }
  | { kind: 'case-alert'; caseId: string; breach: SlaKind }
  | { kind: 'customer-notice'; conversationId: string; notice: DeferredNotice };

class ItemNotPostedYet extends Error {
  constructor() {
    super('the queue item is not posted yet');
    this.name = 'ItemNotPostedYet';
  }
}

export function createEscalationQueue(
  connection: Redis,
  prefix: string,
  installId: string,
): Queue<EscalationJob> {
  return new InstallQueue<EscalationJob>(ESCALATION_QUEUE, {
    installId,
    connection,
    prefix,
    defaultJobOptions: {
      attempts: ESCALATION_ATTEMPTS,
      backoff: { type: 'slack' },
      removeOnComplete: { age: 3600, count: 10_000 },
      removeOnFail: { age: 30 * 24 * 3600 },
    },
  });
}

/** Backoff: Slack's Retry-After on 429, else exponential from `baseMs`, capped at 64×base (≤ 60 s). */
export function escalationBackoff(
  attemptsMade: number,
  err: Error | undefined,
  baseMs = 1000,
): number {
  const e = err as { code?: string; retryAfter?: number } | undefined;
  if (e?.code === webApi.ErrorCode.RateLimitedError && typeof e.retryAfter === 'number') {
    return Math.max(0, e.retryAfter * 1000);
  }
  if (err instanceof TurnInProgress) return Math.min(baseMs, 250);
  const cap = Math.min(60_000, baseMs * 64);
  return Math.min(baseMs * 2 ** Math.max(0, attemptsMade - 1), cap);
}

/**
 * Queues a customer notice to be sent once the escalating turn is over (see escalator), once per
 * escalation episode (`episode` = its queuedAt in ms), however often the escalation is replayed.
 */
export async function deferNotice(
  queue: Queue<EscalationJob>,
  conversationId: string,
  notice: DeferredNotice,
  episode: number,
): Promise<void> {
  await queue.add(
    'customer-notice',
    { kind: 'customer-notice', conversationId, notice },
    { jobId: `notice-${conversationId}-${notice}-${episode}` },
  );
}

/** The notifier the escalator calls: it only enqueues. */
export function createSlackNotifier(queue: Queue<EscalationJob>, locale: Locale): StaffNotifier {
  const t = staffTexts(locale);
  const who = (by: StaffMember | 'admin' | undefined) =>
    by === 'admin' || by === undefined ? t.admin : slackStaffRef(by);
  return {
    async queued(conversationId) {
      const c = await Conversation.findById(conversationId, {
        escalation: 1,
      }).lean<ConversationDoc>();
      const episode = c?.escalation?.queuedAt
        ? new Date(c.escalation.queuedAt).getTime()
        : Date.now();
      await queue.add(
        'post-item',
        { kind: 'post-item', conversationId, episode },
        { jobId: `post-${conversationId}-${episode}` },
      );
    },
    async changed(conversationId, change) {
      const text =
        change.kind === 'claimed'
          ? t.claimedBy(who(change.by))
          : change.kind === 'closed'
            ? t.closedBy(who(change.by))
            : change.kind === 'frustrated'
              ? t.frustratedNote
              : t.closedForCallback;
      await queue.addBulk([
        { name: 'update-item', data: { kind: 'update-item', conversationId } },
        { name: 'thread-note', data: { kind: 'thread-note', conversationId, text } },
      ]);
    },
    async staffMessage(conversationId, messageId) {
      await queue.add(
        'staff-echo',
        { kind: 'staff-echo', conversationId, messageId },
        { jobId: `echo-${messageId}` },
      );
    },
    async customerMessage(conversationId, messageId) {
      await queue.add(
        'relay',
        { kind: 'relay', conversationId, messageId },
        { jobId: `relay-${messageId}` },
      );
    },
  };
}

export interface SlackTarget {
  client: SlackWebClient;
  /** SLACK_ESCALATION_CHANNEL (an id; a name works for posting but see the README). */
  channel: string;
}

export interface EscalationWorkerDeps {
  connection: Redis;
  prefix: string;
  /** Jobs of another install are refused (src/kernel/redis/install-scope.ts). */
  install: InstallScope;
  queue: Queue<EscalationJob>;
  /** The Slack side: absent without Slack, when only customer notices run here. */
  slack: SlackTarget | undefined;
  /** Delivers a customer notice the escalator deferred (escalator.sendDeferredNotice). */
  sendNotice: (conversationId: string, notice: DeferredNotice) => Promise<void>;
  locale: Locale;
  slaMinutes: number;
  businessHours: BusinessHours | undefined;
  logger: Logger;
  backoffBaseMs?: number;
  /** Every write to a conversation happens under it (see conversation-lock.ts). */
  lock: ConversationLock;
  now?: () => Date;
}

/** A customer message relayed to the item thread: text escaped, attachment URLs as plain text. */
export function relayLine(
  m: {
    text?: string | null;
    attachments?: ReadonlyArray<{ kind: string; url?: string | null }> | null;
  },
  locale: Locale,
): string {
  const t = staffTexts(locale);
  const attachments = (m.attachments ?? [])
    .map((a) => (a.url ? `[${a.kind}] ${slackUrlAsText(a.url)}` : `[${a.kind}]`))
    .join(' ');
  const text = m.text?.trim() ? slackEscape(m.text.trim()) : '';
  return `*${t.customerSays}:* ${[text, attachments].filter(Boolean).join(' ') || `[${t.attachment}]`}`;
}

// eslint-disable-next-line max-lines-per-function -- over 150 lines until its split (issue 17) lands
export function createEscalationWorker(deps: EscalationWorkerDeps): Worker<EscalationJob> {
  const { logger, connection, prefix } = deps;
  const now = deps.now ?? (() => new Date());
  const t = staffTexts(deps.locale);

  const loadPosted = async (conversationId: string) => {
    const c = await Conversation.findById(conversationId).lean<ConversationDoc>();
    if (!c) return undefined;
    if (!c.escalation?.itemTs || !c.escalation.itemChannel) throw new ItemNotPostedYet();
    return { conversation: c, channel: c.escalation.itemChannel, ts: c.escalation.itemTs };
  };

  async function postItem(
    s: SlackTarget,
    job: { conversationId: string; episode: number },
  ): Promise<void> {
    const c = await Conversation.findById(job.conversationId).lean<ConversationDoc>();
    const queuedAt = c?.escalation?.queuedAt;
    if (!c || !queuedAt || new Date(queuedAt).getTime() !== job.episode) return; // superseded
    if (c.escalation?.itemTs) return; // already posted (a retry after a lost save)
    const view = await renderItem(c, deps.locale);
    const res = await s.client.chat.postMessage({
      channel: s.channel,
      text: view.text,
      blocks: view.blocks as never,
      unfurl_links: false,
      unfurl_media: false,
    });
    await deps.lock(job.conversationId, () =>
      Conversation.updateOne(
        { _id: c._id, 'escalation.queuedAt': queuedAt },
        {
          $set: {
            'escalation.itemChannel': res.channel ?? s.channel,
            'escalation.itemTs': res.ts,
          },
        },
      ),
    );
  }

  async function updateItem(s: SlackTarget, conversationId: string): Promise<void> {
    const posted = await loadPosted(conversationId);
    if (!posted) return;
    const view = await renderItem(posted.conversation, deps.locale);
    await s.client.chat.update({
      channel: posted.channel,
      ts: posted.ts,
      text: view.text,
      blocks: view.blocks as never,
    });
  }

  async function threadNote(s: SlackTarget, conversationId: string, text: string): Promise<void> {
    const posted = await loadPosted(conversationId);
    if (!posted) return;
    await s.client.chat.postMessage({ channel: posted.channel, thread_ts: posted.ts, text });
  }

  /** Copies the conversation's pending customer messages into the thread, oldest first. */
  async function relay(
    s: SlackTarget,
    job: Job<EscalationJob>,
    conversationId: string,
    token?: string,
  ): Promise<void> {
    const key = `${prefix}:lock:escalation-relay:${conversationId}`;
    const owner = randomUUID();
    if ((await connection.set(key, owner, 'PX', RELAY_LOCK_TTL_MS, 'NX')) !== 'OK') {
      // Another worker is relaying this conversation; it may or may not see our message: retry.
      await job.moveToDelayed(Date.now() + 200, token);
      throw new DelayedError();
    }
    try {
      for (;;) {
        const posted = await loadPosted(conversationId);
        if (!posted) return;
        const nextId = posted.conversation.escalation?.pendingRelay?.[0];
        if (!nextId) return;
        const message = await Message.findById(nextId).lean<MessageDoc>();
        if (message) {
          await s.client.chat.postMessage({
            channel: posted.channel,
            thread_ts: posted.ts,
            text: relayLine(message, deps.locale),
            unfurl_links: false,
            unfurl_media: false,
          });
        }
        await deps.lock(conversationId, () =>
          Conversation.updateOne(
            { _id: posted.conversation._id },
            { $pull: { 'escalation.pendingRelay': nextId } },
          ),
        );
      }
    } finally {
      await connection.eval(
        "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end",
        1,
        key,
        owner,
      );
    }
  }

  /** A console reply or note, shown in the item's thread (read from MongoDB, not the job). */
  async function staffEcho(s: SlackTarget, conversationId: string, messageId: string) {
    const posted = await loadPosted(conversationId);
    const message = posted ? await Message.findById(messageId).lean<MessageDoc>() : null;
    if (!posted || !message) return;
    const who = slackEscape(message.staff?.name ?? message.staff?.id ?? t.who.staff ?? '');
    const text = slackEscape(message.text?.trim() ?? '');
    await s.client.chat.postMessage({
      channel: posted.channel,
      thread_ts: posted.ts,
      text: message.internal ? t.consoleNote(who, text) : t.consoleReply(who, text),
      unfurl_links: false,
      unfurl_media: false,
    });
  }

  async function notify(s: SlackTarget, conversationId: string, minutes: number): Promise<void> {
    const c = await Conversation.findById(conversationId).lean<ConversationDoc>();
    if (!c || c.status !== 'queued') return;
    const text = t.reping(minutes);
    if (c.escalation?.itemTs && c.escalation.itemChannel) {
      await s.client.chat.postMessage({
        channel: c.escalation.itemChannel,
        thread_ts: c.escalation.itemTs,
        reply_broadcast: true,
        text,
      });
    } else {
      await s.client.chat.postMessage({ channel: s.channel, text });
    }
  }

  /** Finds items waiting longer than the SLA and not pinged within it; one re-ping each. */
  async function sweep(): Promise<void> {
    const at = now();
    if (deps.businessHours && !isOpen(deps.businessHours, at)) return;
    const cutoff = new Date(at.getTime() - deps.slaMinutes * 60_000);
    const overdue = await Conversation.find(
      {
        status: 'queued',
        'escalation.queuedAt': { $lte: cutoff },
        $or: [{ 'escalation.lastPingAt': null }, { 'escalation.lastPingAt': { $lte: cutoff } }],
      },
      { escalation: 1 },
    )
      .limit(200)
      .lean<ConversationDoc[]>();
    for (const c of overdue) {
      const previous = c.escalation?.lastPingAt ?? null;
      let claimed;
      try {
        claimed = await deps.lock(
          c._id.toHexString(),
          () =>
            Conversation.updateOne(
              { _id: c._id, status: 'queued', 'escalation.lastPingAt': previous },
              { $set: { 'escalation.lastPingAt': at } },
            ),
          { waitMs: 1000 },
        );
      } catch (err) {
        if (err instanceof ConversationBusyError) continue; // the next sweep tries again
        throw err;
      }
      if (claimed.modifiedCount !== 1) continue; // another instance pinged it
      const minutes = Math.floor(
        (at.getTime() - new Date(c.escalation!.queuedAt!).getTime()) / 60_000,
      );
      await deps.queue.add(
        'notify',
        { kind: 'notify', conversationId: c._id.toHexString(), minutes },
        { jobId: `ping-${c._id.toHexString()}-${at.getTime()}` },
      );
    }
  }

  async function caseAlert(s: SlackTarget, caseId: string, breach: SlaKind): Promise<void> {
    const c = await Case.findById(caseId, { notes: 0, timeline: 0 }).lean<CaseDoc>();
    if (!c) return;
    await s.client.chat.postMessage({
      channel: s.channel,
      text: caseAlertText(c, breach, deps.locale),
      unfurl_links: false,
      unfurl_media: false,
    });
  }

  const processJob = async (job: Job<EscalationJob>, token?: string): Promise<void> => {
    const data = job.data;
    if (data.kind === 'customer-notice') return deps.sendNotice(data.conversationId, data.notice);
    const s = deps.slack;
    if (!s) return; // Slack was configured when this job was queued, and is not any more.
    switch (data.kind) {
      case 'post-item':
        return postItem(s, data);
      case 'update-item':
        return updateItem(s, data.conversationId);
      case 'relay':
        return relay(s, job, data.conversationId, token);
      case 'thread-note':
        return threadNote(s, data.conversationId, data.text);
      case 'staff-echo':
        return staffEcho(s, data.conversationId, data.messageId);
      case 'notify':
        return notify(s, data.conversationId, data.minutes);
      case 'sla-sweep':
        return sweep();
      case 'case-alert':
        return caseAlert(s, data.caseId, data.breach);
    }
  };

  const accepted = refuseForeignJobs(deps.install, ESCALATION_QUEUE, processJob);
  const worker = new Worker<EscalationJob>(ESCALATION_QUEUE, accepted, {
    connection,
    prefix,
    concurrency: 8,
    settings: {
      backoffStrategy: (attemptsMade: number, _type?: string, err?: Error) =>
        escalationBackoff(attemptsMade, err, deps.backoffBaseMs),
    },
  });
  worker.on('failed', (job, err) => {
    if (err instanceof TurnInProgress) return; // expected: the engine is mid-turn
    // Slack outages are expected: log once in a while, not on every retry.
    if (!job || job.attemptsMade <= 1 || job.attemptsMade % 20 === 0) {
      logger.warn(
        {
          err: { name: err.name, message: err.message },
          kind: job?.data.kind,
          attempts: job?.attemptsMade,
        },
        'escalation job failed; will retry',
      );
    }
  });
  worker.on('error', (err) => logger.error({ err }, 'escalation worker error'));
  return worker;
}

/** Queues a case's SLA alert for the staff channel; one job id per (case, kind). */
export async function queueCaseAlert(
  queue: Queue<EscalationJob>,
  caseId: string,
  breach: SlaKind,
): Promise<void> {
  await queue.add(
    'case-alert',
    { kind: 'case-alert', caseId, breach },
    { jobId: `case-sla-${caseId}-${breach}` },
  );
}

/** Schedules the SLA sweep (idempotent across instances: one scheduler id). */
export async function scheduleSlaSweep(
  queue: Queue<EscalationJob>,
  everyMs: number,
): Promise<void> {
  await queue.upsertJobScheduler(
    SWEEP_SCHEDULER,
    { every: everyMs },
    { name: 'sla-sweep', data: { kind: 'sla-sweep' }, opts: { attempts: 1 } },
  );
}
