/**
 * Each channel's rule for staff writing to a customer who has not just written (issue 19.3), as
 * its adapter declares it (`ChannelAdapter.outreach`): web chat while the visitor's session is
 * known, Telegram, Slack and Bot Framework at any time, WhatsApp only inside the 24-hour
 * customer-service window; a channel without a rule (X) never, an unconfigured one never.
 */
import type { ChannelId } from '../../kernel/contracts/messages.js';
import type { ChannelOutreach } from '../../kernel/contracts/channel-adapter.js';
import type { ConversationDoc } from '../../kernel/db/models/conversation.js';
import type { OutreachRefusalCode } from './schemas.js';

export type OutreachLookup = (channel: ChannelId) => ChannelOutreach;

export interface Refusal {
  code: OutreachRefusalCode;
  message: string;
}

export interface Reach {
  refusal: Refusal | null;
  /** When a windowed channel stops taking free-form messages (null: no window). */
  windowEndsAt: Date | null;
}

const CHANNEL_NAMES: Partial<Record<ChannelId, string>> = {
  webchat: 'Web chat',
  whatsapp: 'WhatsApp',
  'whatsapp-web': 'WhatsApp',
  telegram: 'Telegram',
  twitter: 'X',
  slack: 'Slack',
  botframework: 'Bot Framework',
};
const nameOf = (channel: string) => CHANNEL_NAMES[channel as ChannelId] ?? channel;

/** Whether staff may write on this conversation's channel now, and if not, why. */
export async function reachOf(
  c: Pick<ConversationDoc, 'channel' | 'platformConversationId' | 'lastMessageAt'>,
  lookup: OutreachLookup,
  now: Date,
): Promise<Reach> {
  const channel = c.channel as ChannelId;
  const none = (code: OutreachRefusalCode, message: string): Reach => ({
    refusal: { code, message },
    windowEndsAt: null,
  });
  const outreach = channel === 'studio' ? { configured: false as const } : lookup(channel);
  if (!outreach.configured) {
    return none(
      'channel_off',
      `${nameOf(channel)} is not connected to Charla: nothing can be sent there.`,
    );
  }
  const rule = outreach.rule;
  if (!rule) {
    return none(
      'channel_not_supported',
      `${nameOf(channel)} does not let a business write first: answer when the customer writes.`,
    );
  }
  let windowEndsAt: Date | null = null;
  if (rule.windowHours !== undefined) {
    const last = c.lastMessageAt ? new Date(c.lastMessageAt) : null;
    windowEndsAt = last ? new Date(last.getTime() + rule.windowHours * 3_600_000) : null;
    if (!windowEndsAt || windowEndsAt <= now) {
      return {
        refusal: {
          code: 'outside_window',
          message:
            `${nameOf(channel)} takes a free-form message only within ${rule.windowHours} hours of ` +
            `the customer's last message${last ? ` (${last.toISOString()})` : ''}; ` +
            'it can be sent once the customer writes again.',
        },
        windowEndsAt,
      };
    }
  }
  if (rule.reachable && !(await rule.reachable(c.platformConversationId))) {
    return none(
      'session_gone',
      `The customer's ${nameOf(channel)} session no longer exists: they cannot be reached there.`,
    );
  }
  return { refusal: null, windowEndsAt };
}

/**
 * Whether the assignee may answer on this conversation's channel now (the console's reply
 * route): the same rule, except that a channel which never lets a business write first (X) may
 * still be answered inside the conversation the customer started — the reply route serves only
 * conversations staff hold, which on such a channel only the customer's escalation gives them
 * (taking over from the bot and writing to a contact are refused there).
 */
export async function replyRefusal(
  c: Pick<ConversationDoc, 'channel' | 'platformConversationId' | 'lastMessageAt'>,
  lookup: OutreachLookup,
  now: Date,
): Promise<Refusal | null> {
  const { refusal } = await reachOf(c, lookup, now);
  return refusal?.code === 'channel_not_supported' ? null : refusal;
}
