import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseMessageEvent } from '../../../channels/slack/events.js';
import { toSendError } from '../../../channels/slack/outbound.js';
import { Conversation } from '../../../src/kernel/db/models/conversation.js';
import { Message } from '../../../src/kernel/db/models/message.js';
import {
  SLACK_SIGNING_SECRET,
  sendSlackAction,
  sendSlackEvent,
  startFakeSlackApi,
  type FakeSlackApi,
} from '../../fakes/slack-api.js';
import { eventually, startTestApp, type TestApp } from '../../support/app.js';
import {
  describeChannelConformance,
  type ChannelHarness,
  type SentRecord,
} from '../conformance.js';

const ESCALATION_CHANNEL = 'CSTAFFQUEUE';
const dmChannelOf = (userId: string) => `D${userId}`;

function slackHarness(): ChannelHarness & { fake(): FakeSlackApi } {
  let fake: FakeSlackApi;
  let app: TestApp;
  // Slack identifies a message by channel + ts: a redelivery of the same id reuses its ts.
  const tsOf = new Map<string, string>();
  const tsFor = (id: string) => {
    if (!tsOf.has(id)) tsOf.set(id, `${1_700_001_000 + tsOf.size}.000100`);
    return tsOf.get(id)!;
  };
  return {
    channel: 'slack',
    async start() {
      fake = await startFakeSlackApi();
      app = await startTestApp({
        SLACK_BOT_TOKEN: 'xoxb-test',
        SLACK_SIGNING_SECRET,
        SLACK_API_URL: fake.apiUrl,
        SLACK_ESCALATION_CHANNEL: ESCALATION_CHANNEL,
      });
    },
    async stop() {
      await app?.stop();
      await fake?.close();
    },
    deliver({ id, text, userId, signed = true, badSignature = false }) {
      const user = userId ?? `U${id}`;
      const event = {
        type: 'message',
        channel: dmChannelOf(user),
        channel_type: 'im',
        user,
        text,
        ts: tsFor(id),
        client_msg_id: id,
      };
      const opts = !signed
        ? { signature: null }
        : badSignature
          ? { secret: 'not-the-signing-secret' }
          : {};
      return sendSlackEvent(app.url, event, opts);
    },
    sent(): SentRecord[] {
      return fake.callsTo('chat.postMessage').map((c) => ({
        text: String(c.args.text ?? ''),
        to: String(c.args.channel ?? ''),
        raw: c.args,
      }));
    },
    failNext(kind, count = 1) {
      if (count === 0) return fake.recover();
      fake.fail(
        kind === 'rate-limit'
          ? { status: 429, retryAfterSeconds: 1 }
          : { status: 200, error: 'channel_not_found' },
        count,
      );
    },
    app: () => app,
    recipientFor: (userId) => dmChannelOf(userId),
    fake: () => fake,
  };
}

describeChannelConformance('slack', slackHarness);

describe('slack customer channel', () => {
  const h = slackHarness();
  beforeAll(() => h.start());
  afterAll(() => h.stop());

  it('answers a mention in a channel inside the mention thread', async () => {
    const res = await sendSlackEvent(h.app().url, {
      type: 'app_mention',
      channel: 'CPUBLIC',
      user: 'UMENTION',
      text: '<@UCHARLABOT> hola, ¿cuál es vuestro horario?',
      ts: '1700000100.000100',
    });
    expect(res.status).toBe(200);
    const post = await eventually(async () =>
      h
        .fake()
        .callsTo('chat.postMessage')
        .find((c) => c.args.channel === 'CPUBLIC'),
    );
    expect(post.args.thread_ts).toBe('1700000100.000100');
    const conv = await Conversation.findOne({
      channel: 'slack',
      platformUserId: 'UMENTION',
    }).lean();
    expect(conv?.platformConversationId).toBe('CPUBLIC:1700000100.000100');
    const inbound = await Message.findOne({ conversationId: conv?._id, direction: 'in' }).lean();
    expect(inbound?.text).not.toContain('<@');
  });

  it('leaves the staff escalation channel and bot messages alone', async () => {
    const before = await Message.countDocuments({ channel: 'slack', direction: 'in' });
    await sendSlackEvent(h.app().url, {
      type: 'message',
      channel: dmChannelOf('UBOTLIKE'),
      channel_type: 'im',
      user: 'UBOTLIKE',
      bot_id: 'B999',
      text: 'I am a bot',
      ts: '1700000200.000100',
    });
    await sendSlackEvent(h.app().url, {
      type: 'app_mention',
      channel: ESCALATION_CHANNEL,
      user: 'USTAFF',
      text: '<@UCHARLABOT> staff chatter',
      ts: '1700000200.000200',
    });
    await new Promise((r) => setTimeout(r, 300));
    expect(await Message.countDocuments({ channel: 'slack', direction: 'in' })).toBe(before);
  });

  it('sends quick replies as buttons whose press comes back as the customer message', async () => {
    const user = 'UBUTTONS';
    await h.deliver({ id: 'btn1', text: 'hola', userId: user });
    const conv = await eventually(async () =>
      Conversation.findOne({ channel: 'slack', platformUserId: user }).lean(),
    );
    const before = h.fake().callsTo('chat.postMessage').length;
    await h.app().charla.services.outbox.send(conv, [
      {
        text: '¿Te llamamos?',
        quickReplies: [
          { title: 'Sí', payload: 'sí' },
          { title: 'No', payload: 'no' },
        ],
      },
    ]);
    const post = await eventually(async () =>
      h
        .fake()
        .callsTo('chat.postMessage')
        .slice(before)
        .find((c) => Array.isArray(c.args.blocks)),
    );
    const blocks = post.args.blocks as Array<{
      type: string;
      elements?: Array<{ action_id: string; value: string }>;
    }>;
    const actions = blocks.find((b) => b.type === 'actions');
    expect(actions?.elements?.map((e) => e.value)).toEqual(['sí', 'no']);

    const press = () =>
      sendSlackAction(h.app().url, {
        actionId: actions!.elements![1]!.action_id,
        value: 'no',
        user: { id: user, name: 'ana' },
        channel: dmChannelOf(user),
        messageTs: '1700000300.000100',
      });
    expect((await press()).status).toBe(200);
    const pressed = await eventually(async () =>
      Message.findOne({ conversationId: conv._id, direction: 'in', text: 'no' }).lean(),
    );
    expect(pressed.platformMessageId).toMatch(/^action:/);
    expect(pressed.dedupeKey).toMatch(/^slack:action:/);
  });

  it('stores shared files as attachments with a readable placeholder', () => {
    const parsed = parseMessageEvent(
      {
        type: 'message',
        subtype: 'file_share',
        channel: 'DFILES',
        channel_type: 'im',
        user: 'UFILES',
        text: 'my invoice',
        ts: '1700000400.000100',
        files: [{ id: 'F1', name: 'invoice.pdf', mimetype: 'application/pdf' }],
      },
      {},
    );
    expect(parsed.kind).toBe('inbound');
    if (parsed.kind !== 'inbound') return;
    expect(parsed.inbound.text).toBe('[file: invoice.pdf] my invoice');
    expect(parsed.inbound.attachments?.[0]).toMatchObject({ kind: 'file', platformId: 'F1' });
  });

  it('maps Slack errors to retryable or permanent send errors', () => {
    expect(
      toSendError({ code: 'slack_webapi_rate_limited_error', retryAfter: 3 }).retryAfterMs,
    ).toBe(3000);
    expect(
      toSendError({ code: 'slack_webapi_platform_error', data: { error: 'channel_not_found' } })
        .retryable,
    ).toBe(false);
    expect(
      toSendError({ code: 'slack_webapi_platform_error', data: { error: 'internal_error' } })
        .retryable,
    ).toBe(true);
    expect(toSendError({ code: 'slack_webapi_http_error', statusCode: 503 }).retryable).toBe(true);
    expect(toSendError({ code: 'slack_webapi_http_error', statusCode: 400 }).retryable).toBe(false);
  });

  it('answers Slack only after the message is stored, so a failure makes Slack redeliver', async () => {
    const slack = h.app().charla.services.slack!;
    slack.app.event('message', async ({ event }) => {
      if ((event as { text?: string }).text === 'explode') throw new Error('storage down');
    });
    const res = await sendSlackEvent(h.app().url, {
      type: 'message',
      channel: dmChannelOf('UEXPLODE'),
      channel_type: 'im',
      user: 'UEXPLODE',
      text: 'explode',
      ts: '1700000500.000100',
    });
    expect(res.status).toBe(500);
  });
});
