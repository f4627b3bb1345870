/** The Bot Framework adapter in the shared conformance suite: signed JWTs in, MSAL-authorised replies out. */
import { describeChannelConformance, type ChannelHarness } from '../conformance.js';
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
import { startTestApp, type TestApp } from '../../support/app.js';

const APP_ID = 'c0ffee00-0000-4000-8000-0000000c0f0e';
const APP_PASSWORD = 'conformance-bot-password';

/**
 * The connector's HTTP pipeline itself retries a 429 with Retry-After up to 3 times; the queue's
 * retry only starts once those are used up, so one "rate-limited send" is four refusals.
 */
const SDK_ATTEMPTS = 4;

function botFrameworkHarness(): ChannelHarness {
  let identity: FakeBotIdentity;
  let connector: FakeConnector;
  let app: TestApp;
  // Users map 1:1 to conversations here, so replies are addressed to the conversation id.
  const conversationFor = (userId: string) => `conv-${userId}`;
  return {
    channel: 'botframework',
    async start() {
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
    },
    async stop() {
      await app?.stop();
      await connector?.close();
      await identity?.close();
    },
    async deliver({ id, text, userId = 'bf-user', signed = true, badSignature = false }) {
      const activity = messageActivity({
        id,
        text,
        userId,
        conversationId: conversationFor(userId),
        serviceUrl: connector.serviceUrl,
      });
      const headers: Record<string, string> = { 'content-type': 'application/json' };
      if (signed) {
        const token = identity.channelToken({
          appId: APP_ID,
          serviceUrl: connector.serviceUrl,
          forgedKey: badSignature ? otherKey() : undefined,
        });
        headers.authorization = `Bearer ${token}`;
      }
      const res = await fetch(`${app.url}/api/messages`, {
        method: 'POST',
        headers,
        body: JSON.stringify(activity),
      });
      return { status: res.status };
    },
    sent() {
      return connector.delivered().map((r) => ({
        text: r.activity.text ?? '',
        to: r.conversationId,
        raw: r.activity,
      }));
    },
    failNext(kind, count = 1) {
      if (count === 0) return connector.clearScript();
      for (let i = 0; i < count; i++) {
        if (kind === 'rate-limit') {
          for (let j = 0; j < SDK_ATTEMPTS; j++) {
            connector.script({ status: 429, headers: { 'retry-after': '0' } });
          }
        } else {
          connector.script({
            status: 403,
            body: { error: { code: 'BotDisabled', message: 'off' } },
          });
        }
      }
    },
    app: () => app,
    recipientFor: conversationFor,
  };
}

describeChannelConformance('Bot Framework', botFrameworkHarness);
