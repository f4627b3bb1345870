/**
 * Slack as a customer channel: people DM the app or mention it in a channel; replies go back to
 * the DM or the mention's thread, quick replies as buttons. Runs on the one shared Bolt app
 * (src/kernel/slack), whose receiver owns the /webhooks/slack/* routes and the signature check. The
 * staff escalation queue is a different concern (src/features/escalation).
 */
import type {
  AdapterDeps,
  AdapterFactory,
  ChannelAdapter,
  SendResult,
} from '../../src/kernel/contracts/channel-adapter.js';
import type { OutboundMessage } from '../../src/kernel/contracts/messages.js';
import { parseMessageEvent, type SlackMessageEvent } from './events.js';
import { postMessageArgs, QUICK_REPLY_ACTION_PREFIX, toSendError } from './outbound.js';

/** Slack truncates messages past 40,000 characters; keep well below. */
const SLACK_MAX_TEXT = 3000;

interface ButtonPress {
  action: { action_id: string; value?: string; action_ts?: string };
  body: {
    user?: { id?: string };
    channel?: { id?: string };
    container?: { message_ts?: string; thread_ts?: string; channel_id?: string };
    message?: { ts?: string; thread_ts?: string };
  };
}

export const createSlackAdapter: AdapterFactory = (deps: AdapterDeps) => {
  const config = deps.config.channels.slack;
  const slack = deps.slack;
  if (!config || !slack) return undefined;
  const logger = deps.logger.child({ channel: 'slack' });

  const onMessage = async (event: SlackMessageEvent, botUserId: string | undefined) => {
    const parsed = parseMessageEvent(event, {
      escalationChannel: config.escalationChannel,
      botUserId,
    });
    if (parsed.kind === 'ignored') {
      logger.debug({ reason: parsed.reason }, 'slack event ignored');
      return;
    }
    // Throwing here makes the receiver answer 500, so Slack redelivers; ingest is idempotent.
    await deps.sink.ingest(parsed.inbound);
  };

  slack.app.event('message', async ({ event, context }) => {
    await onMessage(event as SlackMessageEvent, context.botUserId);
  });
  slack.app.event('app_mention', async ({ event, context }) => {
    await onMessage(event as SlackMessageEvent, context.botUserId);
  });
  slack.app.action(new RegExp(`^${QUICK_REPLY_ACTION_PREFIX}`), async (args) => {
    const { action, body } = args as unknown as ButtonPress;
    await args.ack();
    const channel = body.channel?.id ?? body.container?.channel_id;
    const user = body.user?.id;
    const messageTs = body.container?.message_ts ?? body.message?.ts;
    if (!channel || !user || !messageTs || action.value === undefined) return;
    if (config.escalationChannel && channel === config.escalationChannel) return;
    const threadTs = body.container?.thread_ts ?? body.message?.thread_ts;
    const isDm = channel.startsWith('D');
    await deps.sink.ingest({
      channel: 'slack',
      // One press of one button on one message: a retried interaction carries the same action_ts.
      platformMessageId: `action:${channel}:${messageTs}:${action.action_id}:${action.action_ts ?? ''}`,
      platformUserId: user,
      platformConversationId: !isDm && threadTs ? `${channel}:${threadTs}` : channel,
      text: action.value,
      replyContext: !isDm && threadTs ? { channel, threadTs } : { channel },
    });
  });

  const adapter: ChannelAdapter = {
    id: 'slack',
    capabilities: { buttons: true, media: true, typing: false, maxTextLength: SLACK_MAX_TEXT },
    // The app may post to a channel or DM it is in, at any time.
    outreach: {},
    // The shared receiver (src/kernel/slack) mounts /webhooks/slack/*; listeners are registered above.
    mount: () => undefined,
    async send(message: OutboundMessage): Promise<SendResult> {
      try {
        const res = await slack.client.chat.postMessage(postMessageArgs(message));
        return { platformMessageId: res.ts };
      } catch (err) {
        throw toSendError(err);
      }
    },
  };
  return adapter;
};
