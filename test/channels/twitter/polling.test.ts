import { afterAll, beforeAll, expect, it } from 'vitest';
import { Conversation } from '../../../src/kernel/db/models/conversation.js';
import { Message } from '../../../src/kernel/db/models/message.js';
import { eventually } from '../../support/app.js';
import { twitterHarness } from './harness.js';

// A tier without Account Activity webhooks: DMs arrive only through background polling.
const h = twitterHarness({ TWITTER_DM_POLL_SECONDS: '0.2' });

beforeAll(async () => {
  await h.start();
  // The first poll only records where the inbox stands.
  await eventually(async () => h.fake().requests.some((r) => r.path === '/2/dm_events'));
});
afterAll(async () => {
  await h.stop();
});

it('answers a DM found by background polling, once', async () => {
  const userId = '5550001';
  h.fake().addInboundDm({ id: h.fake().nextEventId(), senderId: userId, text: 'hola' });
  const reply = await eventually(async () => h.sent().find((s) => s.to === userId));
  expect(reply.text).not.toBe('');
  const conv = await eventually(async () =>
    Conversation.findOne({ channel: 'twitter', platformUserId: userId }).lean(),
  );
  // Several more polls run meanwhile; none may ingest the DM (or the bot's reply) again.
  const polls = h.fake().requests.filter((r) => r.path === '/2/dm_events').length;
  await eventually(
    async () => h.fake().requests.filter((r) => r.path === '/2/dm_events').length >= polls + 3,
  );
  expect(await Message.countDocuments({ conversationId: conv._id, direction: 'in' })).toBe(1);
  expect(h.fake().requests.every((r) => r.authorized)).toBe(true);
});
