/**
 * A real Charla wired to a fake Slack Web API on 127.0.0.1, with a web chat client for the
 * customer side: the setup every escalation test starts from.
 */
import type { RawEnv } from '../../../src/kernel/config/config.js';
import type { CreateOptions } from '../../../src/app/charla.js';
import { webchatClient } from '../../channels/webchat/client.js';
import {
  SLACK_SIGNING_SECRET,
  startFakeSlackApi,
  type FakeSlackApi,
} from '../../fakes/slack-api.js';
import { startTestApp, type TestApp } from '../../support/app.js';

export const ESCALATION_CHANNEL = 'C_ESC';

export interface SlackRig {
  slackApi: FakeSlackApi;
  app: TestApp;
  web: ReturnType<typeof webchatClient>;
  stop(): Promise<void>;
}

export async function startSlackRig(env: RawEnv = {}, opts: CreateOptions = {}): Promise<SlackRig> {
  const slackApi = await startFakeSlackApi();
  const app = await startTestApp(
    {
      SLACK_BOT_TOKEN: 'xoxb-test-token',
      SLACK_SIGNING_SECRET,
      SLACK_API_URL: slackApi.apiUrl,
      SLACK_ESCALATION_CHANNEL: ESCALATION_CHANNEL,
      ...env,
    },
    { escalationBackoffMs: 50, ...opts },
  );
  return {
    slackApi,
    app,
    web: webchatClient(app.url),
    async stop() {
      await app.stop();
      await slackApi.close();
    },
  };
}
