/**
 * Bot Framework adapter: the real botbuilder CloudAdapter and MSAL against fakes on 127.0.0.1 —
 * OpenID metadata + JWKS (inbound JWTs signed with a test RSA key), an HTTPS login authority
 * (client-credentials tokens) and the Bot Connector at the activity's serviceUrl.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Conversation } from '../../../src/kernel/db/models/conversation.js';
import { Message } from '../../../src/kernel/db/models/message.js';
import {
  messageActivity,
  startFakeConnector,
  type FakeConnector,
} from '../../fakes/botframework-connector.js';
import {
  otherKey,
  startFakeBotIdentity,
  type FakeBotIdentity,
} from '../../fakes/botframework-identity.js';
import { eventually, startTestApp, type TestApp, sentReply } from '../../support/app.js';

const APP_ID = 'a3f1c2d4-0000-4000-8000-00000000b0f1';
const APP_PASSWORD = 'bot-password-secret';

describe('Bot Framework adapter', () => {
  let identity: FakeBotIdentity;
  let connector: FakeConnector;
  let app: TestApp;

  beforeAll(async () => {
    identity = await startFakeBotIdentity({ appId: APP_ID, appPassword: APP_PASSWORD });
    connector = await startFakeConnector((t) => identity.issuedTokens.has(t));
    app = await startTestApp({
      MICROSOFT_APP_ID: APP_ID,
      MICROSOFT_APP_PASSWORD: APP_PASSWORD,
      BOTFRAMEWORK_OPENID_METADATA_URL: identity.openIdMetadataUrl,
      BOTFRAMEWORK_TOKEN_ISSUER: identity.issuer,
      BOTFRAMEWORK_LOGIN_URL: identity.loginUrl,
      BOTFRAMEWORK_CA_FILE: identity.caFile,
    });
  });
  afterAll(async () => {
    await app?.stop();
    await connector?.close();
    await identity?.close();
  });

  const fresh = () => randomUUID().slice(0, 8);

  async function post(activity: Record<string, unknown>, authorization?: string) {
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (authorization !== undefined) headers.authorization = authorization;
    return fetch(`${app.url}/api/messages`, {
      method: 'POST',
      headers,
      body: JSON.stringify(activity),
    });
  }
  const bearer = () =>
    `Bearer ${identity.channelToken({ appId: APP_ID, serviceUrl: connector.serviceUrl })}`;

  function activity(conversationId: string, text = 'hola', id = fresh()) {
    return messageActivity({
      id,
      text,
      userId: `user-${conversationId}`,
      conversationId,
      serviceUrl: connector.serviceUrl,
    });
  }

  const conversationOf = (conversationId: string) =>
    eventually(() =>
      Conversation.findOne({
        channel: 'botframework',
        platformConversationId: conversationId,
      }).lean(),
    );

  it('stores a signed message activity and replies through the connector with an MSAL token', async () => {
    const convId = `conv-${fresh()}`;
    const res = await post(activity(convId, 'hola'), bearer());
    expect(res.status).toBe(200);

    const [sent] = await eventually(async () => {
      const d = connector.delivered(convId);
      return d.length > 0 ? d : undefined;
    });
    const conversation = await conversationOf(convId);
    const reply = await sentReply(conversation._id);
    expect(sent!.activity).toMatchObject({
      type: 'message',
      text: reply.text,
      conversation: { id: convId },
      recipient: { id: `user-${convId}` },
      from: { id: 'charla-bot' },
    });
    // The bearer token came from the login authority, for our app id and secret.
    expect(identity.issuedTokens.has(sent!.authorization!.replace('Bearer ', ''))).toBe(true);
    expect(identity.tokenRequests.at(-1)).toMatchObject({
      client_id: APP_ID,
      grant_type: 'client_credentials',
      scope: 'https://api.botframework.com/.default',
    });
    expect(reply.platformMessageId).toMatch(/^activity-/);

    const inbound = await Message.findOne({
      conversationId: conversation._id,
      direction: 'in',
    }).lean();
    expect(inbound?.text).toBe('hola');
    expect(conversation.platformUserId).toBe(`user-${convId}`);
    expect(conversation.locale).toBe('es');
  });

  it('rejects requests without a valid Bot Framework JWT and stores nothing', async () => {
    const convId = `conv-${fresh()}`;
    const body = activity(convId);
    const now = Math.floor(Date.now() / 1000);
    const attempts = [
      undefined,
      'Bearer not-a-jwt',
      `Bearer ${identity.channelToken({ appId: APP_ID, serviceUrl: connector.serviceUrl, forgedKey: otherKey() })}`,
      `Bearer ${identity.channelToken({ appId: 'someone-else', serviceUrl: connector.serviceUrl })}`,
      `Bearer ${identity.channelToken({ appId: APP_ID, serviceUrl: 'http://127.0.0.1:9/' })}`,
      `Bearer ${identity.channelToken({ appId: APP_ID, serviceUrl: connector.serviceUrl, claims: { exp: now - 3600, nbf: now - 7200 } })}`,
    ];
    for (const authorization of attempts) {
      const res = await post(body, authorization);
      expect(res.status).toBe(401);
      expect(await res.json()).toMatchObject({ error: { code: 'unauthorized' } });
    }
    expect(await Conversation.countDocuments({ platformConversationId: convId })).toBe(0);
    expect(await Message.countDocuments({ dedupeKey: new RegExp(`^botframework:${convId}`) })).toBe(
      0,
    );
  });

  it('stores and answers a redelivered activity once', async () => {
    const convId = `conv-${fresh()}`;
    const body = activity(convId, 'hello', 'dup-1');
    expect((await post(body, bearer())).status).toBe(200);
    expect((await post(body, bearer())).status).toBe(200);
    await eventually(async () => connector.delivered(convId).length >= 1);
    const conversation = await conversationOf(convId);
    await eventually(() =>
      Message.findOne({ conversationId: conversation._id, direction: 'in', status: 'processed' }),
    );
    await new Promise((r) => setTimeout(r, 400));
    expect(
      await Message.countDocuments({ conversationId: conversation._id, direction: 'in' }),
    ).toBe(1);
    expect(
      await Message.countDocuments({ conversationId: conversation._id, direction: 'out' }),
    ).toBe(1);
    expect(connector.delivered(convId)).toHaveLength(1);
  });

  it('retries a rate-limited send until the connector accepts it', async () => {
    const convId = `conv-${fresh()}`;
    connector.script({ status: 429, headers: { 'retry-after': '0' } });
    await post(activity(convId), bearer());
    await eventually(async () => connector.delivered(convId).length >= 1);
    expect(
      connector.requests.filter((r) => r.conversationId === convId).length,
    ).toBeGreaterThanOrEqual(2);
    const conversation = await conversationOf(convId);
    const reply = await sentReply(conversation._id);
    expect(reply.status).toBe('sent');
  });

  it('marks a send the connector refuses (403) as failed', async () => {
    const convId = `conv-${fresh()}`;
    connector.script({
      status: 403,
      body: { error: { code: 'BotDisabled', message: 'disabled' } },
    });
    await post(activity(convId), bearer());
    const conversation = await conversationOf(convId);
    const failed = await eventually(() =>
      Message.findOne({
        conversationId: conversation._id,
        direction: 'out',
        status: 'failed',
      }).lean(),
    );
    expect(failed.error).toContain('403');
    expect(connector.requests.filter((r) => r.conversationId === convId)).toHaveLength(1);
  });

  it('sends quick replies as suggested actions and stores attachments with a placeholder', async () => {
    const convId = `conv-${fresh()}`;
    const body = messageActivity({
      id: fresh(),
      text: '',
      userId: `user-${convId}`,
      conversationId: convId,
      serviceUrl: connector.serviceUrl,
      extra: {
        attachments: [
          { contentType: 'image/png', contentUrl: 'http://127.0.0.1:9/a.png', name: 'a.png' },
        ],
      },
    });
    expect((await post(body, bearer())).status).toBe(200);
    const conversation = await conversationOf(convId);
    const inbound = await Message.findOne({
      conversationId: conversation._id,
      direction: 'in',
    }).lean();
    expect(inbound?.text).toBe('[image]');
    expect(inbound?.attachments?.[0]).toMatchObject({
      kind: 'image',
      mimeType: 'image/png',
      name: 'a.png',
    });

    await eventually(async () => connector.delivered(convId).length >= 1);
    await app.charla.services.outbox.send(conversation, [
      {
        text: 'Choose one',
        quickReplies: [
          { title: 'Talk to a person', payload: 'HUMAN' },
          { title: 'Prices', payload: 'PRICING' },
        ],
      },
    ]);
    const withActions = await eventually(async () =>
      connector.delivered(convId).find((r) => r.activity.text === 'Choose one'),
    );
    expect(withActions.activity.suggestedActions?.actions).toEqual([
      { type: 'imBack', title: 'Talk to a person', value: 'HUMAN' },
      { type: 'imBack', title: 'Prices', value: 'PRICING' },
    ]);
  });

  it('drops the @bot mention in Teams and replies in the same tenant', async () => {
    const convId = `a:teams-${fresh()}`;
    const body = messageActivity({
      id: fresh(),
      text: '<at>Charla</at> precios',
      userId: `29:user-${convId}`,
      conversationId: convId,
      serviceUrl: connector.serviceUrl,
      channelId: 'msteams',
      extra: {
        conversation: { id: convId, tenantId: 'tenant-42', conversationType: 'personal' },
        channelData: { tenant: { id: 'tenant-42' } },
        entities: [
          {
            type: 'mention',
            text: '<at>Charla</at>',
            mentioned: { id: 'charla-bot', name: 'Charla' },
          },
        ],
      },
    });
    expect((await post(body, bearer())).status).toBe(200);
    const conversation = await conversationOf(convId);
    const inbound = await Message.findOne({
      conversationId: conversation._id,
      direction: 'in',
    }).lean();
    expect(inbound?.text).toBe('precios');

    const [sent] = await eventually(async () => {
      const d = connector.delivered(convId);
      return d.length > 0 ? d : undefined;
    });
    expect(sent!.activity).toMatchObject({
      conversation: { id: convId, tenantId: 'tenant-42' },
      recipient: { id: `29:user-${convId}` },
    });
  });

  it('acknowledges non-message activities without storing them and rejects malformed bodies', async () => {
    const convId = `conv-${fresh()}`;
    const update = {
      ...activity(convId),
      type: 'conversationUpdate',
      membersAdded: [{ id: 'charla-bot' }],
    };
    expect((await post(update, bearer())).status).toBe(200);
    expect(await Conversation.countDocuments({ platformConversationId: convId })).toBe(0);

    const bad = await post({ text: 'no type' }, bearer());
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ error: { code: 'invalid_activity' } });
  });
});
