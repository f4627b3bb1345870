/**
 * Replies to customers carry text that may repeat what a customer typed (a name in "Thanks,
 * {name}"), so channels that render markup get it as plain text: Bot Framework (Teams, Web Chat
 * render markdown by default) is sent with textFormat plain.
 */
import { describe, expect, it } from 'vitest';
import { toActivity } from '../../../channels/botframework/activity.js';
import type { OutboundMessage } from '../../../src/kernel/contracts/messages.js';

const message = (text: string, quickReplies?: OutboundMessage['quickReplies']) =>
  ({
    id: 'm1',
    channel: 'botframework',
    platformConversationId: 'c1',
    text,
    quickReplies,
  }) as OutboundMessage;

describe('Bot Framework replies', () => {
  it('are plain text, so customer markdown shows as typed', () => {
    const text = 'Thanks, [Verify your account](https://evil.example) **now** <b>x</b>';
    const activity = toActivity(message(text));
    expect(activity.textFormat).toBe('plain');
    expect(activity.text).toBe(text);
  });

  it('are plain text with suggested actions too', () => {
    const activity = toActivity(message('Pick *one*', [{ title: 'Yes', payload: 'YES' }]));
    expect(activity.textFormat).toBe('plain');
    expect(activity.text).toBe('Pick *one*');
    expect(activity.suggestedActions?.actions).toHaveLength(1);
  });
});
