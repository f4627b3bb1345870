/**
 * X test harness: the fake X API on 127.0.0.1 (OAuth 1.0a verified), a real Charla whose
 * twitter-api-v2 client points at it (TWITTER_API_BASE), and Account Activity deliveries signed
 * with x-twitter-webhooks-signature.
 */
import { createHmac } from 'node:crypto';
import type { ChannelHarness, DeliverOptions } from '../conformance.js';
import { startFakeTwitterApi, type FakeTwitterApi } from '../../fakes/twitter-api.js';
import { startTestApp, type TestApp } from '../../support/app.js';

export const CREDS = {
  consumerKey: 'x-consumer-key',
  consumerSecret: 'x-consumer-secret',
  accessToken: '4242-x-access-token',
  accessSecret: 'x-access-secret',
};
export const OWN_ID = '4242';

export const sign = (body: string, secret = CREDS.consumerSecret) =>
  `sha256=${createHmac('sha256', secret).update(body).digest('base64')}`;

export interface TwitterHarness extends ChannelHarness {
  fake(): FakeTwitterApi;
  /** Posts any body to POST /webhooks/twitter; `signature` undefined sends no header. */
  post(body: unknown, signature?: string | 'valid'): Promise<{ status: number; body: unknown }>;
}

export function dmEvent(opts: {
  id: string;
  text: string;
  senderId: string;
  recipientId?: string;
  metadata?: string;
}) {
  return {
    type: 'message_create',
    id: opts.id,
    created_timestamp: String(Date.now()),
    message_create: {
      sender_id: opts.senderId,
      target: { recipient_id: opts.recipientId ?? OWN_ID },
      message_data: {
        text: opts.text,
        entities: { hashtags: [], symbols: [], user_mentions: [], urls: [] },
        ...(opts.metadata
          ? { quick_reply_response: { type: 'options', metadata: opts.metadata } }
          : {}),
      },
    },
  };
}

export function activity(events: unknown[], senderId?: string) {
  return {
    for_user_id: OWN_ID,
    direct_message_events: events,
    users: senderId
      ? { [senderId]: { id: senderId, name: 'Ana Test', screen_name: 'anatest' } }
      : {},
  };
}

export function twitterHarness(
  env: Record<string, string> = {},
  fakeOpts: { pageSize?: number } = {},
): TwitterHarness {
  let fake: FakeTwitterApi | undefined;
  let app: TestApp | undefined;
  let users = 0;

  const post = async (body: unknown, signature?: string) => {
    const text = typeof body === 'string' ? body : JSON.stringify(body);
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (signature !== undefined) {
      headers['x-twitter-webhooks-signature'] = signature === 'valid' ? sign(text) : signature;
    }
    const res = await fetch(`${app!.url}/webhooks/twitter`, {
      method: 'POST',
      headers,
      body: text,
    });
    const raw = await res.text();
    let parsed: unknown = raw;
    try {
      parsed = JSON.parse(raw);
    } catch {
      // not JSON: keep the text
    }
    return { status: res.status, body: parsed };
  };

  return {
    channel: 'twitter',
    async start() {
      fake = await startFakeTwitterApi(CREDS, { ownUserId: OWN_ID, ...fakeOpts });
      app = await startTestApp({
        TWITTER_CONSUMER_KEY: CREDS.consumerKey,
        TWITTER_CONSUMER_SECRET: CREDS.consumerSecret,
        TWITTER_ACCESS_TOKEN: CREDS.accessToken,
        TWITTER_ACCESS_SECRET: CREDS.accessSecret,
        TWITTER_API_BASE: fake.url,
        ...env,
      });
    },
    async stop() {
      await app?.stop();
      await fake?.close();
    },
    deliver(opts: DeliverOptions) {
      users += 1;
      const userId = opts.userId ?? String(900_000 + users);
      const body = activity([dmEvent({ id: opts.id, text: opts.text, senderId: userId })], userId);
      const signed = opts.signed ?? true;
      const signature = !signed
        ? undefined
        : opts.badSignature
          ? sign(JSON.stringify(body), 'wrong-secret')
          : 'valid';
      return post(body, signature);
    },
    sent() {
      return (fake?.sent ?? []).map((s) => ({
        text: String(s.body.text),
        to: s.participantId,
        raw: s.body,
      }));
    },
    failNext(kind, count) {
      fake!.failNext(kind, count);
    },
    app: () => app!,
    fake: () => fake!,
    post,
  };
}
