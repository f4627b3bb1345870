/**
 * OutboundMessage → chat.postMessage arguments, and Slack Web API errors → ChannelSendError.
 * Replies are plain text (bot answers may repeat what a customer typed, e.g. a name; staff text
 * arrives as plain text), so they are escaped for mrkdwn: a name like `<!channel>` is shown, not
 * run, in a shared channel.
 */
import { ChannelSendError } from '../../src/kernel/contracts/channel-adapter.js';
import type { OutboundMessage, QuickReply } from '../../src/kernel/contracts/messages.js';
import { escapeSlack } from '../../src/kernel/escaping/slack.js';

/** Action ids of quick-reply buttons; the staff queue uses its own ids, so presses never collide. */
export const QUICK_REPLY_ACTION_PREFIX = 'charla_quick_reply_';
/** Slack allows 25 elements per actions block and 75-character button labels. */
const MAX_BUTTONS = 25;

export function quickReplyBlocks(text: string, quickReplies: QuickReply[]) {
  return [
    { type: 'section', text: { type: 'mrkdwn', text: escapeSlack(text) } },
    {
      type: 'actions',
      elements: quickReplies.slice(0, MAX_BUTTONS).map((q, i) => ({
        type: 'button',
        action_id: `${QUICK_REPLY_ACTION_PREFIX}${i}`,
        text: { type: 'plain_text', text: q.title.slice(0, 75), emoji: true },
        value: q.payload.slice(0, 2000),
      })),
    },
  ];
}

export function postMessageArgs(message: OutboundMessage) {
  const channel = message.replyContext?.channel ?? message.platformConversationId;
  const threadTs = message.replyContext?.threadTs;
  return {
    channel,
    text: escapeSlack(message.text),
    unfurl_links: false,
    unfurl_media: false,
    ...(threadTs ? { thread_ts: threadTs } : {}),
    ...(message.quickReplies?.length
      ? { blocks: quickReplyBlocks(message.text, message.quickReplies) }
      : {}),
  };
}

/** Slack platform errors that no retry can fix. */
const PERMANENT = new Set([
  'channel_not_found',
  'not_in_channel',
  'is_archived',
  'msg_too_long',
  'no_text',
  'invalid_auth',
  'account_inactive',
  'token_revoked',
  'not_authed',
  'missing_scope',
  'user_not_found',
  'cannot_dm_bot',
  'invalid_blocks',
]);

interface SlackErrorShape {
  code?: string;
  retryAfter?: number;
  statusCode?: number;
  data?: { error?: string };
}

export function toSendError(err: unknown): ChannelSendError {
  const e = (err ?? {}) as SlackErrorShape;
  switch (e.code) {
    case 'slack_webapi_rate_limited_error':
      return new ChannelSendError('slack rate limited', {
        retryable: true,
        retryAfterMs: (e.retryAfter ?? 1) * 1000,
        status: 429,
      });
    case 'slack_webapi_platform_error': {
      const reason = e.data?.error ?? 'unknown_error';
      return new ChannelSendError(`slack: ${reason}`, { retryable: !PERMANENT.has(reason) });
    }
    case 'slack_webapi_http_error':
      return new ChannelSendError(`slack http ${e.statusCode ?? '?'}`, {
        retryable: (e.statusCode ?? 500) >= 500,
        status: e.statusCode,
      });
    default:
      return new ChannelSendError(
        `slack: ${err instanceof Error ? err.message : 'request failed'}`,
        {
          retryable: true,
        },
      );
  }
}
