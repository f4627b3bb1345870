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
 * in the channel may write notes. Who may close: anyone while the item waits, then only the
 * assignee or a Charla admin (close-rule.ts); a refused close is told ephemerally.
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
import { createCloseRule, type CloseAs, type CloseOutcome } from './close-rule.js';
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

/** Slack user names (cached) and ephemeral notices: what every listener says back to staff. */
interface StaffDirectory {
  staffName(userId: string, hint?: string): Promise<string>;
  ephemeral(channel: string, user: string, text: string, threadTs?: string): Promise<void>;
}

function createStaffDirectory(client: SlackWebClient, logger: Logger): StaffDirectory {
  const names = new Map<string, string>();
  return {
    /** A display name for a Slack user; falls back to the id while Slack cannot tell us. */
    async staffName(userId, hint) {
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
    },
    async ephemeral(channel, user, text, threadTs) {
      try {
        await client.chat.postEphemeral({ channel, user, text, thread_ts: threadTs });
      } catch (err) {
        logger.warn({ err }, 'could not post an ephemeral notice to staff');
      }
    },
  };
}

interface ListenerContext {
  deps: ListenerDeps;
  staff: StaffDirectory;
  t: ReturnType<typeof staffTexts>;
  closeAs: CloseAs;
}

/** The ephemeral line for a refused close (nothing for a done one). */
function closeRefusal(t: ListenerContext['t'], result: CloseOutcome): string | undefined {
  if (result.outcome === 'closed') return undefined;
  if (result.outcome === 'claimed_by_other') return t.closeOnlyAssignee(result.assignee);
  return t.notEscalated;
}

type ActionBody = { user: { id: string; name?: string; username?: string } };
const actionValue = (action: object): string =>
  'value' in action && typeof action.value === 'string' ? action.value : '';
const actionChannel = (body: object): string | undefined =>
  (body as { channel?: { id?: string } }).channel?.id;

/** Claim / Close buttons on a queue item. */
function registerItemButtons({ deps, staff, t, closeAs }: ListenerContext): void {
  const { app, escalator } = deps;
  app.action(CLAIM_ACTION, async ({ ack, body, action }) => {
    await ack();
    const user = (body as unknown as ActionBody).user;
    const member: StaffMember = {
      id: user.id,
      name: await staff.staffName(user.id, user.name ?? user.username),
    };
    const result = await escalator.claim(actionValue(action), member);
    const channel = actionChannel(body);
    if (!channel || result.outcome === 'claimed') return;
    await staff.ephemeral(
      channel,
      user.id,
      result.outcome === 'already_assigned'
        ? t.alreadyClaimed(result.assignee.name ?? result.assignee.id)
        : t.notEscalated,
    );
  });

  app.action(CLOSE_ACTION, async ({ ack, body, action }) => {
    await ack();
    const user = (body as unknown as ActionBody).user;
    const result = await closeAs(actionValue(action), {
      id: user.id,
      name: await staff.staffName(user.id, user.name ?? user.username),
    });
    const channel = actionChannel(body);
    const refusal = closeRefusal(t, result);
    if (refusal && channel) await staff.ephemeral(channel, user.id, refusal);
  });
}

/** `/charla …`, answered only in the staff channel. */
function registerCharlaCommand({ deps, t, closeAs }: ListenerContext): void {
  deps.app.command('/charla', async ({ ack, command }) => {
    if (!deps.staffChannel || command.channel_id !== deps.staffChannel) {
      await ack({ response_type: 'ephemeral', text: t.staffChannelOnly });
      return;
    }
    const text = await runCharlaCommand(
      { escalator: deps.escalator, locale: deps.locale, closeAs },
      command.text ?? '',
      { id: command.user_id, name: command.user_name },
    );
    await ack({ response_type: 'ephemeral', text });
  });
}

/** A `note:` line in an item's thread: stored as an internal note once, never sent. */
async function storeThreadNote(
  event: ThreadMessage,
  conversation: ConversationDoc,
  member: StaffMember,
): Promise<void> {
  await Message.updateOne(
    { dedupeKey: `slack-note:${event.channel}:${event.ts}` },
    {
      $setOnInsert: {
        conversationId: conversation._id,
        contactId: conversation.contactId,
        channel: conversation.channel,
        direction: 'out',
        author: 'staff',
        staff: member,
        text: slackToPlain((event.text ?? '').trim().replace(NOTE, '')),
        internal: true,
        // Never queued for delivery: an internal note is done once stored.
        status: 'processed',
      },
    },
    { upsert: true },
  );
}

/** A staff reply in an item's thread: relayed by the assignee (claiming an unclaimed item first). */
async function relayThreadReply(
  { deps, staff, t }: ListenerContext,
  event: ThreadMessage,
  conversation: ConversationDoc,
  member: StaffMember,
): Promise<void> {
  const text = slackToPlain(event.text ?? '');
  if (!text) return;
  const notice = (line: string) => staff.ephemeral(event.channel, member.id, line, event.thread_ts);
  let current = conversation;
  if (current.status === 'queued') {
    const claim = await deps.escalator.claim(conversation._id.toHexString(), member);
    if (claim.outcome === 'not_escalated') return notice(t.notSent);
    const fresh = await Conversation.findById(conversation._id).lean<ConversationDoc>();
    if (!fresh) return;
    current = fresh;
  }
  if (current.status !== 'assigned') return notice(t.notSent);
  if (current.assignee?.id !== member.id) {
    return notice(t.onlyAssignee(current.assignee?.name ?? current.assignee?.id ?? '?'));
  }
  await deps.outbox.send(current, [{ text }], { kind: 'staff', staff: member });
}

async function handleThreadReply(
  ctx: ListenerContext,
  event: ThreadMessage,
  conversation: ConversationDoc,
): Promise<void> {
  const userId = event.user!;
  const raw = (event.text ?? '').trim();
  const member: StaffMember = { id: userId, name: await ctx.staff.staffName(userId) };
  if (NOTE.test(raw)) return storeThreadNote(event, conversation, member);
  if (CLOSE_WORD.test(raw)) {
    const refusal = closeRefusal(ctx.t, await ctx.closeAs(conversation._id.toHexString(), member));
    if (refusal) await ctx.staff.ephemeral(event.channel, userId, refusal, event.thread_ts);
    return;
  }
  await relayThreadReply(ctx, event, conversation, member);
}

/** Human replies in the thread of one of our queue items, each Slack event handled once. */
function registerThreadReplies(ctx: ListenerContext): void {
  const { deps } = ctx;
  deps.app.event('message', async ({ event, body }) => {
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
      await handleThreadReply(ctx, m, conversation);
    } catch (err) {
      await deps.redis.del(key); // let Slack's redelivery try again
      throw err;
    }
  });
}

export function registerEscalationListeners(deps: ListenerDeps): void {
  const ctx: ListenerContext = {
    deps,
    staff: createStaffDirectory(deps.client, deps.logger),
    t: staffTexts(deps.locale),
    closeAs: createCloseRule({ client: deps.client, escalator: deps.escalator }),
  };
  registerItemButtons(ctx);
  registerCharlaCommand(ctx);
  registerThreadReplies(ctx);
}
