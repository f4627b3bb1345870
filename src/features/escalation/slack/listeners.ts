/**
 * What staff do in Slack, registered on the shared Bolt app:
 * - Claim / Close buttons on a queue item;
 * - replies in an item's thread: relayed to the customer on their own channel; lines starting
 *   with `note:` stay internal (stored, never sent); `!close` closes the item;
 * - `/charla queue | lead <email> | close <ref>`.
 *
 * `/charla` works only in the staff channel (it shows customer and lead data).
 *
 * Who may answer: only the assignee. A reply in the thread of an unclaimed item claims it for the
 * replier first (atomically, so two staff answering at once still give exactly one owner); anyone
 * in the channel may close an item or write notes.
 *
 * Slack redelivers events it thinks we missed; each event id is handled once (Redis SET NX).
 */
import type { App } from '@slack/bolt';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { Escalator, StaffMember } from '../../../kernel/contracts/escalation.js';
import type { Locale } from '../../../kernel/contracts/messages.js';
import type { Outbox } from '../../../pipeline/outbox.js';
import type { SlackWebClient } from '../../../kernel/slack/slack-app.js';
import { Conversation, type ConversationDoc } from '../../../kernel/db/models/conversation.js';
import { Message } from '../../../kernel/db/models/message.js';
import { runCharlaCommand } from './commands.js';
import { CLAIM_ACTION, CLOSE_ACTION } from './item-view.js';
import { slackToPlain, staffTexts } from './staff-texts.js';

export interface ListenerDeps {
  app: App;
  client: SlackWebClient;
  escalator: Escalator;
  outbox: Outbox;
  redis: Redis;
  prefix: string;
  locale: Locale;
  logger: Logger;
  /**
   * SLACK_ESCALATION_CHANNEL. `/charla` answers only there: it shows customer and lead data,
   * and the workspace may also hold customers (the Slack customer channel).
   */
  staffChannel: string | undefined;
}

const NOTE = /^note:\s*/i;
const CLOSE_WORD = /^!close\b/i;
const EVENT_TTL_SECONDS = 24 * 3600;

interface ThreadMessage {
  type: 'message';
  subtype?: string;
  channel: string;
  user?: string;
  bot_id?: string;
  text?: string;
  ts: string;
  thread_ts?: string;
}

// eslint-disable-next-line max-lines-per-function -- over 150 lines until its split (issue 17) lands
export function registerEscalationListeners(deps: ListenerDeps): void {
  const { app, client, escalator, logger } = deps;
  const t = staffTexts(deps.locale);
  const names = new Map<string, string>();

  /** A display name for a Slack user; falls back to the id while Slack cannot tell us. */
  async function staffName(userId: string, hint?: string): Promise<string> {
    const cached = names.get(userId);
    if (cached) return cached;
    try {
      const res = await client.users.info({ user: userId });
      const u = res.user;
      const name = u?.profile?.display_name || u?.real_name || u?.name || hint || userId;
      names.set(userId, name);
      return name;
    } catch {
      return hint || userId;
    }
  }

  async function ephemeral(channel: string, user: string, text: string, threadTs?: string) {
    try {
      await client.chat.postEphemeral({ channel, user, text, thread_ts: threadTs });
    } catch (err) {
      logger.warn({ err }, 'could not post an ephemeral notice to staff');
    }
  }

  app.action(CLAIM_ACTION, async ({ ack, body, action }) => {
    await ack();
    const value = 'value' in action && typeof action.value === 'string' ? action.value : '';
    const user = body.user as { id: string; name?: string; username?: string };
    const staff: StaffMember = {
      id: user.id,
      name: await staffName(user.id, user.name ?? user.username),
    };
    const result = await escalator.claim(value, staff);
    const channel = (body as { channel?: { id?: string } }).channel?.id;
    if (!channel || result.outcome === 'claimed') return;
    await ephemeral(
      channel,
      user.id,
      result.outcome === 'already_assigned'
        ? t.alreadyClaimed(result.assignee.name ?? result.assignee.id)
        : t.notEscalated,
    );
  });

  app.action(CLOSE_ACTION, async ({ ack, body, action }) => {
    await ack();
    const value = 'value' in action && typeof action.value === 'string' ? action.value : '';
    const user = body.user as { id: string; name?: string; username?: string };
    const closed = await escalator.close(value, {
      id: user.id,
      name: await staffName(user.id, user.name ?? user.username),
    });
    const channel = (body as { channel?: { id?: string } }).channel?.id;
    if (!closed && channel) await ephemeral(channel, user.id, t.notEscalated);
  });

  app.command('/charla', async ({ ack, command }) => {
    if (!deps.staffChannel || command.channel_id !== deps.staffChannel) {
      await ack({ response_type: 'ephemeral', text: t.staffChannelOnly });
      return;
    }
    const text = await runCharlaCommand({ escalator, locale: deps.locale }, command.text ?? '', {
      id: command.user_id,
      name: command.user_name,
    });
    await ack({ response_type: 'ephemeral', text });
  });

  async function handleThreadReply(
    event: ThreadMessage,
    conversation: ConversationDoc,
  ): Promise<void> {
    const userId = event.user!;
    const raw = event.text ?? '';
    const threadTs = event.thread_ts!;
    const staff: StaffMember = { id: userId, name: await staffName(userId) };
    const conversationId = conversation._id.toHexString();

    if (NOTE.test(raw.trim())) {
      await Message.updateOne(
        { dedupeKey: `slack-note:${event.channel}:${event.ts}` },
        {
          $setOnInsert: {
            conversationId: conversation._id,
            contactId: conversation.contactId,
            channel: conversation.channel,
            direction: 'out',
            author: 'staff',
            staff,
            text: slackToPlain(raw.trim().replace(NOTE, '')),
            internal: true,
            // Never queued for delivery: an internal note is done once stored.
            status: 'processed',
          },
        },
        { upsert: true },
      );
      return;
    }
    if (CLOSE_WORD.test(raw.trim())) {
      if (!(await escalator.close(conversationId, staff))) {
        await ephemeral(event.channel, userId, t.notEscalated, threadTs);
      }
      return;
    }

    const text = slackToPlain(raw);
    if (!text) return;
    let current = conversation;
    if (current.status === 'queued') {
      const claim = await escalator.claim(conversationId, staff);
      if (claim.outcome === 'not_escalated') {
        await ephemeral(event.channel, userId, t.notSent, threadTs);
        return;
      }
      const fresh = await Conversation.findById(conversation._id).lean<ConversationDoc>();
      if (!fresh) return;
      current = fresh;
    }
    if (current.status !== 'assigned') {
      await ephemeral(event.channel, userId, t.notSent, threadTs);
      return;
    }
    if (current.assignee?.id !== userId) {
      await ephemeral(
        event.channel,
        userId,
        t.onlyAssignee(current.assignee?.name ?? current.assignee?.id ?? '?'),
        threadTs,
      );
      return;
    }
    await deps.outbox.send(current, [{ text }], { kind: 'staff', staff });
  }

  app.event('message', async ({ event, body }) => {
    const m = event as unknown as ThreadMessage;
    // Only human replies inside a thread; our own posts carry bot_id.
    if (!m.thread_ts || m.thread_ts === m.ts || !m.user || m.bot_id) return;
    if (m.subtype && m.subtype !== 'thread_broadcast' && m.subtype !== 'file_share') return;
    const conversation = await Conversation.findOne({
      'escalation.itemChannel': m.channel,
      'escalation.itemTs': m.thread_ts,
    })
      .sort({ 'escalation.queuedAt': -1 })
      .lean<ConversationDoc>();
    if (!conversation) return; // not one of our items (e.g. the Slack customer channel's)

    const eventId = (body as { event_id?: string }).event_id ?? `${m.channel}:${m.ts}`;
    const key = `${deps.prefix}:slack-event:${eventId}`;
    if ((await deps.redis.set(key, '1', 'EX', EVENT_TTL_SECONDS, 'NX')) !== 'OK') return;
    try {
      await handleThreadReply(m, conversation);
    } catch (err) {
      await deps.redis.del(key); // let Slack's redelivery try again
      throw err;
    }
  });
}
