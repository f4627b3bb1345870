/**
 * SLA re-pings (items waiting longer than ESCALATION_SLA_MINUTES are pinged again in the
 * channel; claimed ones never) and the Slack job backoff honouring Retry-After from a real
 * WebClient error.
 */
import { webApi } from '@slack/bolt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { escalationBackoff } from '../../../src/features/escalation/slack/queue.js';
import { Conversation } from '../../../src/kernel/db/models/conversation.js';
import { startFakeSlackApi, type FakeSlackApi } from '../../fakes/slack-api.js';
import type { webchatClient } from '../../channels/webchat/client.js';
import { eventually, type TestApp } from '../../support/app.js';
import { startSlackRig, type SlackRig } from './slack-rig.js';

describe('SLA re-pings', () => {
  let slackApi: FakeSlackApi;
  let app: TestApp;
  let web: ReturnType<typeof webchatClient>;
  let rig: SlackRig;

  beforeAll(async () => {
    rig = await startSlackRig({
      // 0.6 s SLA, checked every 0.2 s.
      ESCALATION_SLA_MINUTES: '0.01',
      ESCALATION_SLA_CHECK_SECONDS: '0.2',
    });
    ({ slackApi, app, web } = rig);
  });
  afterAll(() => rig?.stop());

  const pings = (ts: string) =>
    slackApi
      .callsTo('chat.postMessage')
      .filter((c) => c.args.thread_ts === ts && String(c.args.text).includes('⏰'));

  it('pings a waiting item again and again, never a claimed one', async () => {
    const waiting = await web.createSession('es');
    const claimed = await web.createSession('es');
    const { escalator } = app.charla.services;
    await escalator.escalate(waiting.conversationId, 'customer_request');
    await escalator.escalate(claimed.conversationId, 'customer_request');
    expect(
      (await escalator.claim(claimed.conversationId, { id: 'U_ANA', name: 'Ana' })).outcome,
    ).toBe('claimed');
    const tsOf = (id: string) =>
      eventually(
        async () => (await Conversation.findById(id).lean())?.escalation?.itemTs ?? undefined,
      );
    const waitingTs = await tsOf(waiting.conversationId);
    const claimedTs = await tsOf(claimed.conversationId);

    const first = await eventually(async () => pings(waitingTs)[0]);
    expect(String(first.args.reply_broadcast)).toBe('true');
    expect(String(first.args.text)).toContain('<!here>');
    expect(
      (await Conversation.findById(waiting.conversationId).lean())?.escalation?.lastPingAt,
    ).toBeInstanceOf(Date);
    // Still waiting after another SLA period: pinged again.
    await eventually(async () => pings(waitingTs).length >= 2);
    expect(pings(claimedTs)).toHaveLength(0);
  });
});

describe('Slack job backoff', () => {
  it("waits for Slack's Retry-After on 429, else backs off exponentially with a cap", async () => {
    const slackApi = await startFakeSlackApi();
    try {
      slackApi.fail({ status: 429, retryAfterSeconds: 7 });
      const client = new webApi.WebClient('xoxb-x', {
        slackApiUrl: slackApi.apiUrl,
        retryConfig: { retries: 0 },
        rejectRateLimitedCalls: true,
      });
      const err = await client.chat.postMessage({ channel: 'C', text: 'x' }).then(
        () => undefined,
        (e: Error) => e,
      );
      expect(err).toBeInstanceOf(Error);
      expect(escalationBackoff(1, err, 50)).toBe(7000);

      slackApi.fail({ status: 500 });
      const err500 = await client.chat.postMessage({ channel: 'C', text: 'x' }).then(
        () => undefined,
        (e: Error) => e,
      );
      expect(escalationBackoff(1, err500, 1000)).toBe(1000);
      expect(escalationBackoff(3, err500, 1000)).toBe(4000);
      expect(escalationBackoff(30, err500, 1000)).toBe(60_000);
    } finally {
      await slackApi.close();
    }
  });
});
