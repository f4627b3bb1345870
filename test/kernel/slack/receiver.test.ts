import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  SLACK_SIGNING_SECRET,
  slackSignature,
  sendSlackAction,
  sendSlackCommand,
  sendSlackEvent,
  sendSlackRawEvent,
  startFakeSlackApi,
  type FakeSlackApi,
} from '../../fakes/slack-api.js';
import { eventually, startTestApp, type TestApp } from '../../support/app.js';

describe('shared Slack app: fastify receiver for Bolt', () => {
  let slackApi: FakeSlackApi;
  let app: TestApp;
  const seen: string[] = [];
  let releaseSlow: () => void = () => undefined;
  let slowFinished = false;

  beforeAll(async () => {
    slackApi = await startFakeSlackApi();
    app = await startTestApp({
      SLACK_BOT_TOKEN: 'xoxb-test-token',
      SLACK_SIGNING_SECRET,
      SLACK_API_URL: slackApi.apiUrl,
    });
    const slack = app.charla.services.slack;
    if (!slack) throw new Error('slack app missing');
    slack.app.command('/probe', async ({ ack, command }) => {
      seen.push(`command:${command.text}`);
      await ack({ response_type: 'ephemeral', text: `pong ${command.text}` });
    });
    slack.app.command('/slow', async ({ ack }) => {
      await new Promise<void>((r) => (releaseSlow = r));
      slowFinished = true;
      await ack('too late');
    });
    slack.app.action('probe_button', async ({ ack, body }) => {
      await ack();
      seen.push(`action:${(body as { user: { id: string } }).user.id}`);
    });
    slack.app.event('app_mention', async ({ event, client }) => {
      seen.push(`mention:${event.text}`);
      await client.chat.postMessage({ channel: event.channel, text: 'hi there' });
    });
  });
  afterAll(async () => {
    releaseSlow();
    await app?.stop();
    await slackApi?.close();
  });

  it('answers url_verification with the challenge', async () => {
    const res = await sendSlackRawEvent(app.url, {
      type: 'url_verification',
      token: 't',
      challenge: 'abc123',
    });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ challenge: 'abc123' });
  });

  it('hands a signed slash command to Bolt and returns its ack', async () => {
    const res = await sendSlackCommand(app.url, {
      command: '/probe',
      text: 'hello',
      userId: 'U1',
      channel: 'C1',
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ response_type: 'ephemeral', text: 'pong hello' });
    expect(seen).toContain('command:hello');
  });

  it('hands a signed action to Bolt', async () => {
    const res = await sendSlackAction(app.url, {
      actionId: 'probe_button',
      value: 'v',
      user: { id: 'UACT', name: 'ana' },
      channel: 'C1',
      messageTs: '1.000001',
    });
    expect(res.status).toBe(200);
    await eventually(async () => seen.includes('action:UACT'));
  });

  it('acks an event at once and lets the listener call the Web API with the bot token', async () => {
    const res = await sendSlackEvent(app.url, {
      type: 'app_mention',
      user: 'U9',
      text: 'ping',
      ts: '1.1',
      channel: 'C7',
    });
    expect(res.status).toBe(200);
    const call = await eventually(async () =>
      slackApi.callsTo('chat.postMessage').find((c) => c.args.channel === 'C7'),
    );
    expect(call.token).toBe('xoxb-test-token');
    expect(call.args.text).toBe('hi there');
    expect(seen).toContain('mention:ping');
  });

  it('answers Slack by itself when a listener does not ack in time', async () => {
    const res = await sendSlackCommand(app.url, {
      command: '/slow',
      text: '',
      userId: 'U1',
      channel: 'C1',
    });
    expect(res.status).toBe(200);
    expect(res.text).toBe('');
    // The response arrived while the listener was still waiting.
    expect(slowFinished).toBe(false);
    releaseSlow();
    await eventually(async () => slowFinished);
  });

  it.each([
    ['missing signature', { signature: null }, 'missing_signature'],
    ['wrong secret', { secret: 'not-the-secret' }, 'bad_signature'],
    ['tampered signature', { signature: 'v0=' + '0'.repeat(64) }, 'bad_signature'],
    [
      'timestamp 6 minutes old',
      { timestamp: Math.floor(Date.now() / 1000) - 360 },
      'stale_timestamp',
    ],
    [
      'timestamp 6 minutes ahead',
      { timestamp: Math.floor(Date.now() / 1000) + 360 },
      'stale_timestamp',
    ],
  ] as const)('rejects a request with %s: 401, nothing processed', async (_name, opts, code) => {
    const before = seen.length;
    const cmd = await sendSlackCommand(
      app.url,
      { command: '/probe', text: 'forged', userId: 'U1', channel: 'C1' },
      opts,
    );
    expect(cmd.status).toBe(401);
    expect(cmd.body).toMatchObject({ error: { code } });
    const act = await sendSlackAction(
      app.url,
      {
        actionId: 'probe_button',
        value: 'v',
        user: { id: 'UFORGED', name: 'x' },
        channel: 'C1',
        messageTs: '1.2',
      },
      opts,
    );
    expect(act.status).toBe(401);
    const ev = await sendSlackEvent(
      app.url,
      { type: 'app_mention', user: 'U9', text: 'forged', ts: '1.3', channel: 'C8' },
      opts,
    );
    expect(ev.status).toBe(401);
    // Give a (wrongly) accepted request time to reach a listener before checking.
    await new Promise((r) => setTimeout(r, 200));
    expect(seen.length).toBe(before);
    expect(slackApi.callsTo('chat.postMessage').some((c) => c.args.channel === 'C8')).toBe(false);
  });

  it("answers Slack's signed ssl_check for slash commands", async () => {
    const raw = 'ssl_check=1&token=legacy-verification-token';
    const ts = Math.floor(Date.now() / 1000);
    const res = await fetch(`${app.url}/webhooks/slack/commands`, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        'x-slack-request-timestamp': String(ts),
        'x-slack-signature': slackSignature(SLACK_SIGNING_SECRET, ts, raw),
      },
      body: raw,
    });
    expect(res.status).toBe(200);
  });

  it('rejects a signed body that is not a Slack payload with 400', async () => {
    const res = await sendSlackRawEvent(app.url, ['not', 'an', 'object']);
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ error: { code: 'invalid_payload' } });
  });
});
