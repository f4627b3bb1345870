import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTwitterAdapter, type TwitterAdapter } from '../../../channels/twitter/index.js';
import { createTwitterClient } from '../../../channels/twitter/client.js';
import { dmText } from '../../../channels/twitter/outbound.js';
import type { InboundMessage } from '../../../src/kernel/contracts/messages.js';
import { createLogger } from '../../../src/kernel/logger.js';
import { Conversation } from '../../../src/kernel/db/models/conversation.js';
import { Message } from '../../../src/kernel/db/models/message.js';
import { eventually, conversationOf as conversationOfChannel } from '../../support/app.js';
import { activity, CREDS, dmEvent, OWN_ID, twitterHarness } from './harness.js';

// Polling is off in this app (TWITTER_DM_POLL_SECONDS unset): the tests drive pollOnce themselves.
const h = twitterHarness({}, { pageSize: 2 });
let nextUser = 3_100_000;
const newUser = () => String((nextUser += 1));
const newEventId = () => h.fake().nextEventId();

const appAdapter = () => h.app().charla.services.adapters.get('twitter') as TwitterAdapter;

const conversationOf = (userId: string) =>
  conversationOfChannel('twitter', { platformUserId: userId });

async function inboundTexts(userId: string) {
  const conv = await conversationOf(userId);
  const messages = await Message.find({ conversationId: conv._id, direction: 'in' })
    .sort({ createdAt: 1, _id: 1 })
    .lean();
  return messages.map((m) => m.text);
}

/** An adapter instance as after a restart, with a sink that only records. */
function restartedAdapter() {
  const ingested: InboundMessage[] = [];
  const adapter = createTwitterAdapter({
    config: h.app().charla.services.config,
    sink: {
      async ingest(m) {
        ingested.push(m);
        return { messageId: 'x', conversationId: 'x', contactId: 'x', duplicate: false };
      },
    },
    logger: createLogger('silent'),
    realtime: h.app().charla.services.realtime,
  });
  return { adapter: adapter!, ingested };
}

beforeAll(async () => {
  await h.start();
});
afterAll(async () => {
  await h.stop();
});

describe('x webhooks', () => {
  it('answers the CRC challenge with the HMAC of the token', async () => {
    const res = await fetch(`${h.app().url}/webhooks/twitter?crc_token=challenge-123`);
    expect(res.status).toBe(200);
    const expected = createHmac('sha256', CREDS.consumerSecret)
      .update('challenge-123')
      .digest('base64');
    expect(await res.json()).toEqual({ response_token: `sha256=${expected}` });

    const missing = await fetch(`${h.app().url}/webhooks/twitter`);
    expect(missing.status).toBe(400);
    expect(await missing.json()).toMatchObject({ error: { code: 'missing_crc_token' } });
  });

  it("ignores the account's own DMs and non-DM activity", async () => {
    const userId = newUser();
    const own = activity([
      dmEvent({ id: newEventId(), text: 'bot echo', senderId: OWN_ID, recipientId: userId }),
    ]);
    const likes = { for_user_id: OWN_ID, favorite_events: [{ id: 'f1' }] };
    for (const body of [own, likes]) {
      const res = await h.post(body, 'valid');
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ result: 'ignored' });
    }
    expect(await Conversation.countDocuments({ channel: 'twitter', platformUserId: userId })).toBe(
      0,
    );
    expect(await Conversation.countDocuments({ channel: 'twitter', platformUserId: OWN_ID })).toBe(
      0,
    );
  });

  it('rejects a signed body that is not an Account Activity event with a 400', async () => {
    const res = await h.post({ direct_message_events: 'nope' }, 'valid');
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ error: { code: 'invalid_payload' } });
  });

  it('stores media DMs as attachments with a placeholder, and quick-reply metadata as text', async () => {
    const userId = newUser();
    const media = dmEvent({ id: newEventId(), text: 'see https://t.co/x', senderId: userId });
    (media.message_create.message_data as Record<string, unknown>).attachment = {
      type: 'media',
      media: { id_str: '777', type: 'photo', media_url_https: 'https://pbs.example/777.jpg' },
    };
    const quick = dmEvent({ id: newEventId(), text: 'Yes', senderId: userId, metadata: 'YES' });
    quick.created_timestamp = String(Number(media.created_timestamp) + 1);
    expect((await h.post(activity([media, quick], userId), 'valid')).status).toBe(200);
    expect(await inboundTexts(userId)).toEqual(['[image] see https://t.co/x', 'YES']);
    const conv = await conversationOf(userId);
    const first = await Message.findOne({ conversationId: conv._id, direction: 'in' })
      .sort({ createdAt: 1, _id: 1 })
      .lean();
    expect(first?.attachments).toEqual([
      { kind: 'image', platformId: '777', url: 'https://pbs.example/777.jpg' },
    ]);
  });

  it('offers quick replies as a numbered list and reads a number back as the payload', async () => {
    const userId = newUser();
    expect((await h.deliver({ id: newEventId(), text: 'hello', userId })).status).toBe(200);
    const conv = await conversationOf(userId);
    await eventually(async () => {
      const out = await Message.find({ conversationId: conv._id, direction: 'out' }).lean();
      return out.length > 0 && out.every((m) => m.status !== 'pending');
    });
    const quickReplies = [
      { title: 'Yes', payload: 'CONFIRM_YES' },
      { title: 'No', payload: 'CONFIRM_NO' },
    ];
    await h.app().charla.services.outbox.send(conv, [{ text: 'Shall we?', quickReplies }]);
    const dm = await eventually(async () =>
      h
        .fake()
        .sent.find(
          (s) =>
            s.participantId === userId &&
            s.body.text !== undefined &&
            String(s.body.text).startsWith('Shall we?'),
        ),
    );
    expect(dm.body).toEqual({ text: 'Shall we?\n\n1. Yes\n2. No' });

    await h.post(
      activity([dmEvent({ id: newEventId(), text: ' 2 ', senderId: userId })], userId),
      'valid',
    );
    await h.post(
      activity([dmEvent({ id: newEventId(), text: 'yes', senderId: userId })], userId),
      'valid',
    );
    const texts = await inboundTexts(userId);
    expect(texts.slice(-2)).toEqual(['CONFIRM_NO', 'CONFIRM_YES']);
  });
});

describe('x DM polling', () => {
  it('starts from the current inbox: DMs from before the first poll are not answered', async () => {
    const userId = newUser();
    h.fake().addInboundDm({ id: newEventId(), senderId: userId, text: 'old message' });
    expect(await appAdapter().pollOnce()).toEqual({ ingested: 0 });
    expect(await Conversation.countDocuments({ channel: 'twitter', platformUserId: userId })).toBe(
      0,
    );
  });

  it('ingests new DMs across pages oldest first, answers them, and skips its own', async () => {
    const userId = newUser();
    const ids = [newEventId(), newEventId(), newEventId()];
    ids.forEach((id, i) => h.fake().addInboundDm({ id, senderId: userId, text: `hola ${i}` }));
    const outcome = await appAdapter().pollOnce();
    expect(outcome).toEqual({ ingested: 3 });
    expect(await inboundTexts(userId)).toEqual(['hola 0', 'hola 1', 'hola 2']);
    await eventually(
      async () => h.fake().sent.filter((s) => s.participantId === userId).length >= 1,
    );
    // The bot's replies are in the inbox now; polling must not take them for customer DMs.
    await eventually(async () => {
      const out = await Message.find({ channel: 'twitter', direction: 'out', status: 'pending' });
      return out.length === 0;
    });
    expect(await appAdapter().pollOnce()).toEqual({ ingested: 0 });
    expect(await Conversation.countDocuments({ channel: 'twitter', platformUserId: OWN_ID })).toBe(
      0,
    );
  });

  it('keeps its cursor across restarts and never ingests a DM twice', async () => {
    const { adapter, ingested } = restartedAdapter();
    expect(await adapter.pollOnce()).toEqual({ ingested: 0 });
    const userId = newUser();
    const id = newEventId();
    h.fake().addInboundDm({ id, senderId: userId, text: 'after restart', mediaKey: 'mk1' });
    expect(await adapter.pollOnce()).toEqual({ ingested: 1 });
    expect(ingested.map((m) => [m.platformMessageId, m.platformUserId, m.text])).toEqual([
      [id, userId, '[image] after restart'],
    ]);
    expect(ingested[0]?.attachments).toEqual([
      { kind: 'image', platformId: 'mk1', url: 'https://pbs.example/mk1.jpg' },
    ]);
    expect(await adapter.pollOnce()).toEqual({ ingested: 0 });
    expect(ingested).toHaveLength(1);
  });

  it('stores a DM seen by both the webhook and polling once', async () => {
    const userId = newUser();
    const id = newEventId();
    expect((await h.deliver({ id, text: 'both ways', userId })).status).toBe(200);
    h.fake().addInboundDm({ id, senderId: userId, text: 'both ways' });
    await appAdapter().pollOnce();
    expect(await inboundTexts(userId)).toEqual(['both ways']);
  });

  it('backs off when X rate-limits the poll', async () => {
    h.fake().rateLimitPolls(1);
    const outcome = await appAdapter().pollOnce();
    expect(outcome.ingested).toBe(0);
    expect(outcome.retryAfterMs).toBeGreaterThan(0);
  });
});

describe('x helpers', () => {
  it('signs requests with OAuth 1.0a that the fake verifies (and a wrong secret fails)', async () => {
    const base = { ...CREDS, apiBase: h.fake().url, pollSeconds: 0 };
    const me = await createTwitterClient(base).v2.me();
    expect(me.data.id).toBe(OWN_ID);
    const wrong = createTwitterClient({ ...base, accessSecret: 'not-the-secret' });
    await expect(wrong.v2.me()).rejects.toMatchObject({ code: 401 });
  });

  it('keeps DMs within the 10,000 character limit', () => {
    const text = dmText('a'.repeat(10_050), [{ title: 'Ok', payload: 'OK' }]);
    expect(text).toHaveLength(10_000);
    expect(text.endsWith('…')).toBe(true);
  });
});
