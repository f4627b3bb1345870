/**
 * The console reply's channel rule (replyRefusal): the outreach rules, except that a channel
 * which never lets a business write first (X) may be answered inside the customer's own
 * conversation; a channel not connected, a closed window or a session gone refuse.
 */
import { describe, expect, it } from 'vitest';
import type { ChannelOutreach } from '../../../src/kernel/contracts/channel-adapter.js';
import type { ChannelId } from '../../../src/kernel/contracts/messages.js';
import { replyRefusal } from '../../../src/features/outreach/index.js';

const NOW = new Date('2026-03-02T12:00:00Z');
const RULES: Partial<Record<ChannelId, ChannelOutreach>> = {
  twitter: { configured: true },
  whatsapp: { configured: true, rule: { windowHours: 24 } },
  telegram: { configured: true, rule: {} },
  webchat: { configured: true, rule: { reachable: async (id) => id === 'known' } },
};
const lookup = (channel: ChannelId): ChannelOutreach => RULES[channel] ?? { configured: false };
const at = (hoursAgo: number) => new Date(NOW.getTime() - hoursAgo * 3_600_000);
const check = (channel: ChannelId, lastMessageAt: Date | null, pcid = 'p1') =>
  replyRefusal({ channel, platformConversationId: pcid, lastMessageAt }, lookup, NOW);

describe('replyRefusal', () => {
  it('answers X inside the customer’s conversation, Telegram any time', async () => {
    expect(await check('twitter', at(500))).toBeNull();
    expect(await check('telegram', at(5000))).toBeNull();
  });

  it('refuses WhatsApp outside its 24-hour window, with the reason', async () => {
    expect(await check('whatsapp', at(23.9))).toBeNull();
    const late = await check('whatsapp', at(24.1));
    expect(late?.code).toBe('outside_window');
    expect(late?.message).toContain(at(24.1).toISOString());
    expect((await check('whatsapp', null))?.code).toBe('outside_window');
  });

  it('refuses a web chat session gone and a channel not connected', async () => {
    expect(await check('webchat', at(1), 'known')).toBeNull();
    expect((await check('webchat', at(1), 'gone'))?.code).toBe('session_gone');
    expect((await check('slack', at(1)))?.code).toBe('channel_off');
  });
});
