/**
 * Bot Framework configurations beyond the happy path, one app at a time: a wrong app password
 * (MSAL refused: the reply is marked failed, not retried forever) and the unauthenticated
 * Emulator mode (no MICROSOFT_APP_ID: no JWT check, no outgoing token).
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
import { startFakeBotIdentity, type FakeBotIdentity } from '../../fakes/botframework-identity.js';
import { eventually, startTestApp, type TestApp } from '../../support/app.js';

const APP_ID = 'b0b0b0b0-0000-4000-8000-00000000b0b0';

async function post(app: TestApp, activity: Record<string, unknown>, authorization?: string) {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (authorization) headers.authorization = authorization;
  return fetch(`${app.url}/api/messages`, {
    method: 'POST',
    headers,
    body: JSON.stringify(activity),
  });
}

const outboundOf = (conversationId: string, status: 'sent' | 'failed') =>
  eventually(async () => {
    const conv = await Conversation.findOne({ platformConversationId: conversationId }).lean();
    return conv
      ? Message.findOne({ conversationId: conv._id, direction: 'out', status }).lean()
      : undefined;
  });

describe('Bot Framework with a wrong app password', () => {
  let identity: FakeBotIdentity;
  let connector: FakeConnector;
  let app: TestApp;

  beforeAll(async () => {
    identity = await startFakeBotIdentity({ appId: APP_ID, appPassword: 'the-real-password' });
    connector = await startFakeConnector((t) => identity.issuedTokens.has(t));
    app = await startTestApp({
      MICROSOFT_APP_ID: APP_ID,
      MICROSOFT_APP_PASSWORD: 'a-stale-password',
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

  it('still accepts signed activities, and marks the reply failed without retrying', async () => {
    const convId = `conv-${randomUUID().slice(0, 8)}`;
    const token = identity.channelToken({ appId: APP_ID, serviceUrl: connector.serviceUrl });
    const activity = messageActivity({
      id: 'a1',
      text: 'hola',
      userId: 'u1',
      conversationId: convId,
      serviceUrl: connector.serviceUrl,
    });
    expect((await post(app, activity, `Bearer ${token}`)).status).toBe(200);

    const failed = await outboundOf(convId, 'failed');
    expect(failed.error).toContain('invalid_client');
    expect(identity.tokenRequests).toHaveLength(1);
    expect(identity.tokenRequests[0]).not.toHaveProperty('client_secret', 'the-real-password');
    expect(connector.requests).toHaveLength(0);
  });
});

describe('Bot Framework without MICROSOFT_APP_ID (Emulator mode)', () => {
  let connector: FakeConnector;
  let app: TestApp;

  beforeAll(async () => {
    connector = await startFakeConnector(null);
    app = await startTestApp({ MICROSOFT_APP_PASSWORD: 'unused' });
  });
  afterAll(async () => {
    await app?.stop();
    await connector?.close();
  });

  it('takes activities without a token and replies without one', async () => {
    const convId = `conv-${randomUUID().slice(0, 8)}`;
    const activity = messageActivity({
      id: 'e1',
      text: 'hello',
      userId: 'emulator-user',
      conversationId: convId,
      serviceUrl: connector.serviceUrl,
      channelId: 'emulator',
      locale: 'en-US',
    });
    expect((await post(app, activity)).status).toBe(200);
    const sent = await outboundOf(convId, 'sent');
    const [delivered] = connector.delivered(convId);
    expect(delivered?.activity.text).toBe(sent.text);
    expect(delivered?.authorization).toBeUndefined();
  });
});
