/**
 * A fake Telegram Bot API on 127.0.0.1 for tests: POST /bot<token>/<method> for sendMessage,
 * answerCallbackQuery, setWebhook and getMe. It records every call, answers with Bot API
 * envelopes, and can be told to fail the next sends with a 429 (retry_after) or a permanent 403.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { closeServer, listenOnLoopback, readBody } from './loopback.js';

export interface TelegramCall {
  method: string;
  body: Record<string, unknown>;
}

export interface FakeTelegramApi {
  /** e.g. http://127.0.0.1:40123 — use as TELEGRAM_API_ROOT. */
  url: string;
  /** Every call that reached the fake with the right token, in order. */
  calls: TelegramCall[];
  /** sendMessage calls that were accepted, in order. */
  sent: TelegramCall[];
  /** Fails the next `count` sendMessage calls; count 0 clears pending failures. */
  failNext(kind: 'rate-limit' | 'permanent', count?: number): void;
  /** Calls refused because of an injected failure. */
  refused: Array<{ kind: 'rate-limit' | 'permanent'; body: Record<string, unknown> }>;
  close(): Promise<void>;
}

async function readJson(req: IncomingMessage): Promise<Record<string, unknown>> {
  const text = await readBody(req);
  if (text === '') return {};
  if (!(req.headers['content-type'] ?? '').includes('json')) {
    return Object.fromEntries(new URLSearchParams(text));
  }
  return JSON.parse(text) as Record<string, unknown>;
}

export async function startFakeTelegramApi(
  token: string,
  opts: { retryAfterSeconds?: number } = {},
) {
  const calls: TelegramCall[] = [];
  const refused: FakeTelegramApi['refused'] = [];
  const sent: TelegramCall[] = [];
  const failures: Array<'rate-limit' | 'permanent'> = [];
  let nextMessageId = 1000;

  const server: Server = createServer((req, res) => {
    const send = (status: number, payload: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(payload));
    };
    void (async () => {
      const match = /^\/bot([^/]+)\/(\w+)$/.exec(req.url ?? '');
      if (req.method !== 'POST' || !match) {
        return send(404, { ok: false, error_code: 404, description: 'Not Found' });
      }
      if (match[1] !== token) {
        return send(401, { ok: false, error_code: 401, description: 'Unauthorized' });
      }
      const method = match[2] ?? '';
      let body: Record<string, unknown>;
      try {
        body = await readJson(req);
      } catch {
        return send(400, { ok: false, error_code: 400, description: 'Bad Request: bad JSON' });
      }
      calls.push({ method, body });
      switch (method) {
        case 'getMe':
          return send(200, {
            ok: true,
            result: { id: 999, is_bot: true, first_name: 'Charla', username: 'charla_bot' },
          });
        case 'setWebhook':
        case 'answerCallbackQuery':
          return send(200, { ok: true, result: true });
        case 'sendMessage': {
          const failure = failures.shift();
          if (failure === 'rate-limit') {
            refused.push({ kind: failure, body });
            const retryAfter = opts.retryAfterSeconds ?? 1;
            return send(429, {
              ok: false,
              error_code: 429,
              description: `Too Many Requests: retry after ${retryAfter}`,
              parameters: { retry_after: retryAfter },
            });
          }
          if (failure === 'permanent') {
            refused.push({ kind: failure, body });
            return send(403, {
              ok: false,
              error_code: 403,
              description: 'Forbidden: bot was blocked by the user',
            });
          }
          if (typeof body.text !== 'string' || body.text === '' || body.chat_id === undefined) {
            return send(400, {
              ok: false,
              error_code: 400,
              description: 'Bad Request: message text is empty',
            });
          }
          nextMessageId += 1;
          sent.push({ method, body });
          return send(200, {
            ok: true,
            result: {
              message_id: nextMessageId,
              date: Math.floor(Date.now() / 1000),
              chat: { id: Number(body.chat_id), type: 'private' },
              text: body.text,
            },
          });
        }
        default:
          return send(404, { ok: false, error_code: 404, description: 'Not Found: method' });
      }
    })().catch(() => send(500, { ok: false, error_code: 500, description: 'fake failed' }));
  });
  const port = await listenOnLoopback(server);

  const api: FakeTelegramApi = {
    url: `http://127.0.0.1:${port}`,
    calls,
    refused,
    sent,
    failNext(kind, count = 1) {
      if (count === 0) {
        failures.length = 0;
        return;
      }
      for (let i = 0; i < count; i++) failures.push(kind);
    },
    close: () => closeServer(server),
  };
  return api;
}
