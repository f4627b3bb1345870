/**
 * The Slack side of the staff queue, one function per job kind: post the queue item, re-render
 * it, write in its thread (notes, console messages, relayed customer messages), re-ping, and
 * post case alerts. Message texts are read from MongoDB when the job runs, never carried in it.
 */
import type { Job } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Locale } from '../../../kernel/contracts/messages.js';
import type { SlackWebClient } from '../../../kernel/slack/slack-app.js';
import { Conversation, type ConversationDoc } from '../../../kernel/db/models/conversation.js';
import { Message, type MessageDoc } from '../../../kernel/db/models/message.js';
import { Case, type CaseDoc } from '../../../kernel/db/models/case.js';
import { markRelayed, markStaffItem } from '../../../kernel/db/conversation-state.js';
import type { ConversationLock } from '../../../kernel/redis/conversation-lock.js';
import { drainExclusively, lockKey } from '../../../kernel/redis/lock.js';
import { slackUrlAsText } from '../../../kernel/escaping/slack.js';
import type { SlaKind } from '../../../kernel/time/sla.js';
import { caseAlertText } from '../../cases/index.js';
import type { EscalationJob } from './jobs.js';
import { renderItem } from './item-view.js';
import { slackEscape, staffTexts } from './staff-texts.js';

const RELAY_LOCK_TTL_MS = 30_000;
const RELAY_RETRY_MS = 200;

export interface SlackTarget {
  client: SlackWebClient;
  /** SLACK_ESCALATION_CHANNEL (an id; a name works for posting but see the README). */
  channel: string;
}

/** What the Slack jobs need besides the target: one per worker. */
export interface SlackJobContext {
  slack: SlackTarget;
  connection: Redis;
  prefix: string;
  locale: Locale;
  /** Every write to a conversation happens under it (see conversation-lock.ts). */
  lock: ConversationLock;
}

class ItemNotPostedYet extends Error {
  constructor() {
    super('the queue item is not posted yet');
    this.name = 'ItemNotPostedYet';
  }
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

/** The conversation and its posted item; throws (the job retries) while the item is not posted. */
async function loadPosted(conversationId: string) {
  const c = await Conversation.findById(conversationId).lean<ConversationDoc>();
  if (!c) return undefined;
  if (!c.escalation?.itemTs || !c.escalation.itemChannel) throw new ItemNotPostedYet();
  return { conversation: c, channel: c.escalation.itemChannel, ts: c.escalation.itemTs };
}

export async function postItem(
  ctx: SlackJobContext,
  job: { conversationId: string; episode: number },
): Promise<void> {
  const c = await Conversation.findById(job.conversationId).lean<ConversationDoc>();
  const queuedAt = c?.escalation?.queuedAt;
  if (!c || !queuedAt || new Date(queuedAt).getTime() !== job.episode) return; // superseded
  if (c.escalation?.itemTs) return; // already posted (a retry after a lost save)
  const view = await renderItem(c, ctx.locale);
  const res = await ctx.slack.client.chat.postMessage({
    channel: ctx.slack.channel,
    text: view.text,
    blocks: view.blocks as never,
    unfurl_links: false,
    unfurl_media: false,
  });
  await ctx.lock(job.conversationId, () =>
    markStaffItem(c._id, queuedAt, { channel: res.channel ?? ctx.slack.channel, ts: res.ts }),
  );
}

export async function updateItem(ctx: SlackJobContext, conversationId: string): Promise<void> {
  const posted = await loadPosted(conversationId);
  if (!posted) return;
  const view = await renderItem(posted.conversation, ctx.locale);
  await ctx.slack.client.chat.update({
    channel: posted.channel,
    ts: posted.ts,
    text: view.text,
    blocks: view.blocks as never,
  });
}

export async function threadNote(
  ctx: SlackJobContext,
  conversationId: string,
  text: string,
): Promise<void> {
  const posted = await loadPosted(conversationId);
  if (!posted) return;
  await ctx.slack.client.chat.postMessage({ channel: posted.channel, thread_ts: posted.ts, text });
}

/**
 * Copies the conversation's pending customer messages into the thread, oldest first. One relay
 * per conversation at a time: a job that finds another relaying is put back shortly (the holder
 * may or may not see its message).
 */
export async function relay(
  ctx: SlackJobContext,
  job: Job<EscalationJob>,
  conversationId: string,
  token?: string,
): Promise<void> {
  await drainExclusively({
    redis: ctx.connection,
    key: lockKey(ctx.prefix, `escalation-relay:${conversationId}`),
    ttlMs: RELAY_LOCK_TTL_MS,
    job,
    token,
    retryInMs: RELAY_RETRY_MS,
    drain: () => relayPending(ctx, conversationId),
    // relayPending returns only once pendingRelay is empty.
    hasMore: async () => false,
  });
}

async function relayPending(ctx: SlackJobContext, conversationId: string): Promise<void> {
  for (;;) {
    const posted = await loadPosted(conversationId);
    if (!posted) return;
    const nextId = posted.conversation.escalation?.pendingRelay?.[0];
    if (!nextId) return;
    const message = await Message.findById(nextId).lean<MessageDoc>();
    if (message) {
      await ctx.slack.client.chat.postMessage({
        channel: posted.channel,
        thread_ts: posted.ts,
        text: relayLine(message, ctx.locale),
        unfurl_links: false,
        unfurl_media: false,
      });
    }
    await ctx.lock(conversationId, () => markRelayed(posted.conversation._id, nextId));
  }
}

/** A console reply or note, shown in the item's thread (read from MongoDB, not the job). */
export async function staffEcho(ctx: SlackJobContext, conversationId: string, messageId: string) {
  const t = staffTexts(ctx.locale);
  const posted = await loadPosted(conversationId);
  const message = posted ? await Message.findById(messageId).lean<MessageDoc>() : null;
  if (!posted || !message) return;
  const who = slackEscape(message.staff?.name ?? message.staff?.id ?? t.who.staff ?? '');
  const text = slackEscape(message.text?.trim() ?? '');
  await ctx.slack.client.chat.postMessage({
    channel: posted.channel,
    thread_ts: posted.ts,
    text: message.internal ? t.consoleNote(who, text) : t.consoleReply(who, text),
    unfurl_links: false,
    unfurl_media: false,
  });
}

/** The SLA re-ping: in the item's thread (broadcast), or in the channel if it has no item. */
export async function notify(
  ctx: SlackJobContext,
  conversationId: string,
  minutes: number,
): Promise<void> {
  const c = await Conversation.findById(conversationId).lean<ConversationDoc>();
  if (!c || c.status !== 'queued') return;
  const text = staffTexts(ctx.locale).reping(minutes);
  const { client, channel } = ctx.slack;
  if (c.escalation?.itemTs && c.escalation.itemChannel) {
    await client.chat.postMessage({
      channel: c.escalation.itemChannel,
      thread_ts: c.escalation.itemTs,
      reply_broadcast: true,
      text,
    });
  } else {
    await client.chat.postMessage({ channel, text });
  }
}

export async function caseAlert(
  ctx: SlackJobContext,
  caseId: string,
  breach: SlaKind,
): Promise<void> {
  const c = await Case.findById(caseId, { notes: 0, timeline: 0 }).lean<CaseDoc>();
  if (!c) return;
  await ctx.slack.client.chat.postMessage({
    channel: ctx.slack.channel,
    text: caseAlertText(c, breach, ctx.locale),
    unfurl_links: false,
    unfurl_media: false,
  });
}
