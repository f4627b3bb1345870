/**
 * The one Bolt app Charla runs: created once by the composition root when SLACK_BOT_TOKEN and
 * SLACK_SIGNING_SECRET are set, shared by the staff escalation queue and the Slack customer
 * channel, which each register their listeners on `app`.
 *
 * - Requests arrive on our fastify server through FastifyReceiver (see SLACK_ROUTES).
 * - `client` (also set as `app.client`) carries the bot token and talks to SLACK_API_URL. It never
 *   retries or waits by itself (no built-in retries, 429 rejected with `retryAfter`): callers run
 *   Slack calls from BullMQ jobs, which own retries and backoff.
 * - Authorization never blocks on Slack: auth.test is tried (and cached once it succeeds) to learn
 *   the bot's own ids, but listeners run with the token even while Slack is unreachable. Listeners
 *   must ignore bot messages themselves (`event.bot_id`), as Bolt's ignoreSelf only works once the
 *   ids are known.
 */
import { App, LogLevel, webApi, type Authorize, type Logger as BoltLogger } from '@slack/bolt';
import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import { FastifyReceiver } from './receiver.js';

export type SlackWebClient = webApi.WebClient;

export interface SlackApp {
  app: App;
  client: SlackWebClient;
  receiver: FastifyReceiver;
  /** Adds POST /webhooks/slack/{events,actions,commands} to the server. */
  mount(server: FastifyInstance): void;
}

export interface SlackAppOptions {
  botToken: string;
  signingSecret: string;
  /** Base of the Web API, e.g. http://127.0.0.1:PORT/api/ in tests; Slack's own when undefined. */
  apiUrl: string | undefined;
  logger: Logger;
  /** Per-call timeout of the Web API client. */
  timeoutMs?: number;
  ackTimeoutMs?: number;
}

const AUTH_TEST_RETRY_MS = 30_000;

/** Bolt's logger interface over pino; extra arguments (errors) go into the `err` field. */
function boltLogger(logger: Logger): BoltLogger {
  const child = logger.child({ component: 'slack' });
  let level = LogLevel.INFO;
  const write =
    (method: 'info' | 'warn' | 'error') =>
    (...msgs: unknown[]) => {
      const text = msgs.filter((m) => typeof m === 'string').join(' ');
      const err = msgs.find((m) => m instanceof Error);
      child[method](err ? { err } : {}, text || 'slack');
    };
  return {
    // The Web API client logs request and response bodies at debug level: message texts and
    // customer details must never reach our logs, so Bolt's debug output is dropped.
    debug: () => undefined,
    info: write('info'),
    warn: write('warn'),
    error: write('error'),
    setLevel: (l: LogLevel) => {
      level = l;
    },
    getLevel: () => level,
    setName: () => undefined,
  };
}

/** Normalises SLACK_API_URL so method names append cleanly ("…/api/chat.postMessage"). */
export function slackApiBase(apiUrl: string | undefined): string | undefined {
  if (!apiUrl) return undefined;
  return apiUrl.endsWith('/') ? apiUrl : `${apiUrl}/`;
}

export function createSlackApp(opts: SlackAppOptions): SlackApp {
  const logger = boltLogger(opts.logger);
  const clientOptions: webApi.WebClientOptions = {
    slackApiUrl: slackApiBase(opts.apiUrl),
    retryConfig: { retries: 0 },
    rejectRateLimitedCalls: true,
    timeout: opts.timeoutMs ?? 10_000,
    logger,
  };
  const client = new webApi.WebClient(opts.botToken, clientOptions);

  let identity: { botId?: string; botUserId?: string } | undefined;
  let lastAttempt = 0;
  const authorize: Authorize<boolean> = async () => {
    if (!identity && Date.now() - lastAttempt > AUTH_TEST_RETRY_MS) {
      lastAttempt = Date.now();
      try {
        const res = await client.auth.test();
        identity = { botId: res.bot_id, botUserId: res.user_id };
      } catch (err) {
        opts.logger.warn({ err }, 'slack auth.test failed; handling the event without bot ids');
      }
    }
    return { botToken: opts.botToken, ...identity };
  };

  const receiver = new FastifyReceiver({
    signingSecret: opts.signingSecret,
    logger: opts.logger,
    ackTimeoutMs: opts.ackTimeoutMs,
  });
  const app = new App({
    receiver,
    authorize,
    logger,
    clientOptions,
    // Conversation state lives in MongoDB, not in process memory.
    convoStore: false,
  });
  // Bolt builds app.client without a token when `authorize` is used; share ours instead.
  app.client = client;

  return { app, client, receiver, mount: (server) => receiver.mount(server) };
}
