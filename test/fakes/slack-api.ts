/**
 * A fake Slack, on 127.0.0.1 only: the Web API methods Charla calls (recorded, with switchable
 * failures: HTTP 500 or 429 with Retry-After), and helpers that send signed events, interactive
 * actions and slash commands to Charla's receiver the way Slack does (v0 signatures).
 */
import { createHmac } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import { closeServer, listenOnLoopback, readBody } from './loopback.js';

export interface SlackCall {
  method: string;
  token: string | undefined;
  args: Record<string, unknown>;
}

export type SlackFailure =
  | { status: 500 }
  | { status: 429; retryAfterSeconds: number }
  /** HTTP 200 with `ok: false` and this error, as Slack reports e.g. channel_not_found. */
  | { status: 200; error: string };

export interface FakeSlackUser {
  id: string;
  name: string;
  realName?: string;
  /** profile.email (Slack gives it with the users:read.email scope). */
  email?: string;
}

export interface FakeSlackApi {
  /** Base URL for SLACK_API_URL, ending in /api/. */
  apiUrl: string;
  /** Successful calls, in order. */
  calls: SlackCall[];
  /** Calls answered with a failure. */
  failed: SlackCall[];
  users: Map<string, FakeSlackUser>;
  /** Every call fails this way until `recover()`, or only the next `count` calls when given. */
  fail(failure: SlackFailure, count?: number): void;
  recover(): void;
  callsTo(method: string): SlackCall[];
  close(): Promise<void>;
}

const JSON_FIELDS = new Set(['blocks', 'attachments', 'metadata']);

function parseArgs(contentType: string | undefined, raw: string): Record<string, unknown> {
  if (contentType?.includes('application/json')) {
    return raw ? (JSON.parse(raw) as Record<string, unknown>) : {};
  }
  const args: Record<string, unknown> = {};
  for (const [k, v] of new URLSearchParams(raw)) {
    args[k] = JSON_FIELDS.has(k) ? JSON.parse(v) : v;
  }
  return args;
}

export async function startFakeSlackApi(): Promise<FakeSlackApi> {
  const calls: SlackCall[] = [];
  const failed: SlackCall[] = [];
  const users = new Map<string, FakeSlackUser>();
  let failure: SlackFailure | undefined;
  let failuresLeft = Infinity;
  let tsCounter = 0;
  const nextTs = () => {
    tsCounter += 1;
    return `${1_700_000_000 + tsCounter}.${String(tsCounter).padStart(6, '0')}`;
  };

  const server: Server = createServer((req, res) => {
    void (async () => {
      const raw = await readBody(req);
      const method = (req.url ?? '').replace(/^\/api\//, '').split('?')[0] ?? '';
      const auth = req.headers.authorization;
      const call: SlackCall = {
        method,
        token: auth?.replace(/^Bearer /, ''),
        args: parseArgs(req.headers['content-type'], raw),
      };
      if (!call.token && typeof call.args.token === 'string') call.token = call.args.token;
      if (failure) {
        const current = failure;
        failed.push(call);
        failuresLeft -= 1;
        if (failuresLeft <= 0) failure = undefined;
        const headers: Record<string, string> = { 'content-type': 'application/json' };
        if (current.status === 429) headers['retry-after'] = String(current.retryAfterSeconds);
        const error =
          current.status === 200
            ? current.error
            : current.status === 429
              ? 'ratelimited'
              : 'fatal_error';
        res.writeHead(current.status, headers);
        res.end(JSON.stringify({ ok: false, error }));
        return;
      }
      calls.push(call);
      const reply = (body: Record<string, unknown>) => {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ ok: true, ...body }));
      };
      switch (method) {
        case 'auth.test':
          return reply({ user_id: 'UCHARLABOT', bot_id: 'BCHARLA', team_id: 'T1', user: 'charla' });
        case 'chat.postMessage': {
          const ts = nextTs();
          return reply({ channel: call.args.channel, ts, message: { ts, text: call.args.text } });
        }
        case 'chat.update':
          return reply({ channel: call.args.channel, ts: call.args.ts, text: call.args.text });
        case 'chat.postEphemeral':
          return reply({ message_ts: nextTs() });
        case 'users.info': {
          const id = String(call.args.user ?? '');
          const user = users.get(id) ?? { id, name: id.toLowerCase() };
          return reply({
            user: {
              id: user.id,
              name: user.name,
              real_name: user.realName ?? user.name,
              profile: {
                real_name: user.realName ?? user.name,
                display_name: user.name,
                ...(user.email ? { email: user.email } : {}),
              },
            },
          });
        }
        default:
          res.writeHead(200, { 'content-type': 'application/json' });
          res.end(JSON.stringify({ ok: false, error: 'unknown_method' }));
      }
    })().catch(() => {
      res.writeHead(400);
      res.end();
    });
  });
  const port = await listenOnLoopback(server);

  return {
    apiUrl: `http://127.0.0.1:${port}/api/`,
    calls,
    failed,
    users,
    fail(f, count) {
      failure = f;
      failuresLeft = count ?? Infinity;
    },
    recover() {
      failure = undefined;
    },
    callsTo: (method) => calls.filter((c) => c.method === method),
    close: () => closeServer(server),
  };
}

/* ---------------------------- what Slack sends ---------------------------- */

export const SLACK_SIGNING_SECRET = 'test-slack-signing-secret';

export function slackSignature(secret: string, timestamp: number, rawBody: string): string {
  return `v0=${createHmac('sha256', secret).update(`v0:${timestamp}:${rawBody}`).digest('hex')}`;
}

export interface SignOptions {
  secret?: string;
  /** Seconds since epoch; defaults to now. */
  timestamp?: number;
  /** Overrides the computed signature (tests of bad signatures); null leaves the header out. */
  signature?: string | null;
}

async function post(
  url: string,
  contentType: string,
  rawBody: string,
  opts: SignOptions,
): Promise<{ status: number; body: unknown; text: string }> {
  const timestamp = opts.timestamp ?? Math.floor(Date.now() / 1000);
  const headers: Record<string, string> = {
    'content-type': contentType,
    'x-slack-request-timestamp': String(timestamp),
  };
  const signature =
    opts.signature === undefined
      ? slackSignature(opts.secret ?? SLACK_SIGNING_SECRET, timestamp, rawBody)
      : opts.signature;
  if (signature !== null) headers['x-slack-signature'] = signature;
  const res = await fetch(url, { method: 'POST', headers, body: rawBody });
  const text = await res.text();
  let body: unknown = text;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    // plain-text answers (slash commands may answer with text)
  }
  return { status: res.status, body, text };
}

/** POSTs an Events API envelope around `event` to /webhooks/slack/events. */
export function sendSlackEvent(
  baseUrl: string,
  event: Record<string, unknown>,
  opts: SignOptions & { eventId?: string } = {},
) {
  const envelope = {
    token: 'legacy-verification-token',
    team_id: 'T1',
    api_app_id: 'A1',
    type: 'event_callback',
    event_id: opts.eventId ?? `Ev${Math.random().toString(36).slice(2, 12)}`,
    event_time: Math.floor(Date.now() / 1000),
    authorizations: [{ team_id: 'T1', user_id: 'UCHARLABOT', is_bot: true }],
    event,
  };
  return post(
    `${baseUrl}/webhooks/slack/events`,
    'application/json',
    JSON.stringify(envelope),
    opts,
  );
}

/** POSTs a raw JSON body (e.g. url_verification) to /webhooks/slack/events. */
export function sendSlackRawEvent(baseUrl: string, body: unknown, opts: SignOptions = {}) {
  return post(`${baseUrl}/webhooks/slack/events`, 'application/json', JSON.stringify(body), opts);
}

/** A block_actions payload for a button click, form-encoded as `payload=…`. */
export function sendSlackAction(
  baseUrl: string,
  action: {
    actionId: string;
    value: string;
    user: { id: string; name: string };
    channel: string;
    messageTs: string;
  },
  opts: SignOptions = {},
) {
  const payload = {
    type: 'block_actions',
    team: { id: 'T1', domain: 'acme' },
    user: { id: action.user.id, username: action.user.name, name: action.user.name, team_id: 'T1' },
    api_app_id: 'A1',
    token: 'legacy-verification-token',
    trigger_id: `trig-${Math.random().toString(36).slice(2)}`,
    channel: { id: action.channel, name: 'escalations' },
    container: { type: 'message', message_ts: action.messageTs, channel_id: action.channel },
    message: { ts: action.messageTs, type: 'message', text: '' },
    response_url: undefined,
    actions: [
      {
        type: 'button',
        action_id: action.actionId,
        block_id: 'charla_item_actions',
        value: action.value,
        action_ts: String(Date.now() / 1000),
      },
    ],
  };
  const raw = new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
  return post(`${baseUrl}/webhooks/slack/actions`, 'application/x-www-form-urlencoded', raw, opts);
}

/** A slash command, form-encoded as Slack sends it. */
export function sendSlackCommand(
  baseUrl: string,
  command: { command?: string; text: string; userId: string; userName?: string; channel: string },
  opts: SignOptions = {},
) {
  const raw = new URLSearchParams({
    token: 'legacy-verification-token',
    team_id: 'T1',
    team_domain: 'acme',
    channel_id: command.channel,
    channel_name: 'escalations',
    user_id: command.userId,
    user_name: command.userName ?? command.userId.toLowerCase(),
    command: command.command ?? '/charla',
    text: command.text,
    api_app_id: 'A1',
    trigger_id: `trig-${Math.random().toString(36).slice(2)}`,
  }).toString();
  return post(`${baseUrl}/webhooks/slack/commands`, 'application/x-www-form-urlencoded', raw, opts);
}
