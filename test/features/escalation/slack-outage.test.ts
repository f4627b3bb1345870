/**
 * Slack down: escalations and relayed customer messages wait in BullMQ and go out, in order,
 * once Slack answers again (HTTP 500, then 429 with Retry-After). Nothing is lost.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Conversation } from '../../../src/kernel/db/models/conversation.js';
import { type FakeSlackApi } from '../../fakes/slack-api.js';
import type { webchatClient } from '../../channels/webchat/client.js';
import { eventually, type TestApp } from '../../support/app.js';
import { ESCALATION_CHANNEL, startSlackRig, type SlackRig } from './slack-rig.js';

const CHANNEL = ESCALATION_CHANNEL;

describe('escalations while Slack is down', () => {
  let slackApi: FakeSlackApi;
  let app: TestApp;
  let web: ReturnType<typeof webchatClient>;
  let rig: SlackRig;

  beforeAll(async () => {
    rig = await startSlackRig({ ESCALATION_SLA_MINUTES: '600' });
    ({ slackApi, app, web } = rig);
  });
  afterAll(() => rig?.stop());

  const threadTexts = (ts: string) =>
    slackApi
      .callsTo('chat.postMessage')
      .filter((c) => c.args.thread_ts === ts)
      .map((c) => String(c.args.text));

  it('Slack answering 500: the item and the customer messages wait, then arrive in order', async () => {
    slackApi.fail({ status: 500 });
    const s = await web.createSession('es');
    await web.post(s, { text: 'quiero hablar con una persona' });
    await eventually(
      async () => (await Conversation.findById(s.conversationId).lean())?.status === 'queued',
    );
    for (const text of ['primero', 'segundo', 'tercero']) {
      expect((await web.post(s, { text })).status).toBeLessThan(300);
    }
    // Slack was asked (and failed) more than once: the jobs are retrying.
    await eventually(
      async () => slackApi.failed.filter((c) => c.method === 'chat.postMessage').length >= 3,
    );
    expect(slackApi.callsTo('chat.postMessage')).toHaveLength(0);
    const waiting = await Conversation.findById(s.conversationId).lean();
    expect(waiting?.escalation?.itemTs).toBeFalsy();

    slackApi.recover();
    const posted = await eventually(async () => {
      const c = await Conversation.findById(s.conversationId).lean();
      return c?.escalation?.itemTs ? c.escalation.itemTs : undefined;
    });
    const items = slackApi
      .callsTo('chat.postMessage')
      .filter((c) => c.args.channel === CHANNEL && !c.args.thread_ts);
    expect(items).toHaveLength(1);
    const relayed = await eventually(async () => {
      const texts = threadTexts(posted).filter((t) => /primero|segundo|tercero/.test(t));
      return texts.length === 3 ? texts : undefined;
    });
    expect(relayed.map((t) => t.replace(/^\*[^*]+\* /, ''))).toEqual([
      'primero',
      'segundo',
      'tercero',
    ]);
    await eventually(async () => {
      const c = await Conversation.findById(s.conversationId).lean();
      return (c?.escalation?.pendingRelay ?? []).length === 0;
    });
  });

  it('Slack rate-limiting (429 + Retry-After): the item goes out after the wait', async () => {
    slackApi.fail({ status: 429, retryAfterSeconds: 1 });
    const s = await web.createSession('en');
    await app.charla.services.escalator.escalate(s.conversationId, 'fallback');
    await eventually(async () =>
      slackApi.failed.some(
        (c) => c.method === 'chat.postMessage' && JSON.stringify(c.args).includes(s.conversationId),
      ),
    );
    slackApi.recover();
    await eventually(
      async () => (await Conversation.findById(s.conversationId).lean())?.escalation?.itemTs,
    );
    expect(
      slackApi
        .callsTo('chat.postMessage')
        .filter(
          (c) => !c.args.thread_ts && JSON.stringify(c.args.blocks).includes(s.conversationId),
        ),
    ).toHaveLength(1);
  });
});
