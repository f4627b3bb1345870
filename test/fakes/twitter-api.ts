/**
 * A fake X API v2 on 127.0.0.1 for tests. It verifies every request's OAuth 1.0a HMAC-SHA1
 * signature (its own implementation of RFC 5849, independent of the client library), serves
 * POST /2/dm_conversations/with/:id/messages, GET /2/dm_events (newest first, paginated) and
 * GET /2/users/me, records what was sent, and can fail the next sends with a 429 carrying
 * x-rate-limit-* headers or a permanent 403.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { closeServer, listenOnLoopback } from './loopback.js';

export interface XCredentials {
  consumerKey: string;
  consumerSecret: string;
  accessToken: string;
  accessSecret: string;
}

export interface SentDm {
  participantId: string;
  body: Record<string, unknown>;
  eventId: string;
}

export interface FakeDmEvent {
  id: string;
  event_type: 'MessageCreate';
  text: string;
  sender_id: string;
  dm_conversation_id: string;
  created_at: string;
  attachments?: { media_keys: string[] };
}

export interface FakeTwitterApi {
  /** e.g. http://127.0.0.1:40123 — use as TWITTER_API_BASE. */
  url: string;
  ownUserId: string;
  /** Accepted DMs, in order. */
  sent: SentDm[];
  /** Requests that reached the fake (method + path), signature valid or not. */
  requests: Array<{ method: string; path: string; authorized: boolean }>;
  /** A fresh snowflake-like event id, increasing across tests' DMs and the bot's own. */
  nextEventId(): string;
  /** Adds a DM from a customer to the account's inbox (as GET /2/dm_events lists it). */
  addInboundDm(opts: { id: string; senderId: string; text: string; mediaKey?: string }): void;
  failNext(kind: 'rate-limit' | 'permanent', count?: number): void;
  /** Makes the next `count` GET /2/dm_events answer 429. */
  rateLimitPolls(count: number): void;
  close(): Promise<void>;
}

/** RFC 3986 percent-encoding, as OAuth 1.0a requires. */
const enc = (s: string) =>
  encodeURIComponent(s).replace(
    /[!'()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );

function parseOAuthHeader(header: string | undefined): Record<string, string> | undefined {
  if (!header?.startsWith('OAuth ')) return undefined;
  const out: Record<string, string> = {};
  for (const part of header.slice(6).split(',')) {
    const m = /^\s*([^=]+)="([^"]*)"\s*$/.exec(part);
    if (m?.[1] && m[2] !== undefined) out[decodeURIComponent(m[1])] = decodeURIComponent(m[2]);
  }
  return out;
}

function validOAuth(req: IncomingMessage, rawBody: string, base: string, creds: XCredentials) {
  const oauth = parseOAuthHeader(req.headers.authorization);
  if (!oauth?.oauth_signature) return false;
  if (oauth.oauth_consumer_key !== creds.consumerKey || oauth.oauth_token !== creds.accessToken) {
    return false;
  }
  if (oauth.oauth_signature_method !== 'HMAC-SHA1') return false;
  const url = new URL(req.url ?? '/', base);
  const params: Array<[string, string]> = [];
  for (const [k, v] of Object.entries(oauth)) if (k !== 'oauth_signature') params.push([k, v]);
  for (const [k, v] of url.searchParams) params.push([k, v]);
  if ((req.headers['content-type'] ?? '').includes('application/x-www-form-urlencoded')) {
    for (const [k, v] of new URLSearchParams(rawBody)) params.push([k, v]);
  }
  const normalized = params
    .map(([k, v]) => [enc(k), enc(v)] as const)
    .sort(([ak, av], [bk, bv]) => (ak === bk ? (av < bv ? -1 : 1) : ak < bk ? -1 : 1))
    .map(([k, v]) => `${k}=${v}`)
    .join('&');
  const baseString = [
    (req.method ?? 'GET').toUpperCase(),
    enc(`${url.origin}${url.pathname}`),
    enc(normalized),
  ].join('&');
  const key = `${enc(creds.consumerSecret)}&${enc(creds.accessSecret)}`;
  const expected = Buffer.from(createHmac('sha1', key).update(baseString).digest('base64'));
  const given = Buffer.from(oauth.oauth_signature);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

export async function startFakeTwitterApi(
  creds: XCredentials,
  opts: { ownUserId?: string; resetInSeconds?: number; pageSize?: number } = {},
): Promise<FakeTwitterApi> {
  const ownUserId = opts.ownUserId ?? creds.accessToken.split('-')[0] ?? '1';
  const sent: SentDm[] = [];
  const requests: FakeTwitterApi['requests'] = [];
  const failures: Array<'rate-limit' | 'permanent'> = [];
  let pollLimits = 0;
  // Inbox, oldest first; GET /2/dm_events lists it newest first.
  const events: FakeDmEvent[] = [];
  let nextEventId = 1_800_000_000_000_000_000n;
  let base = '';
  const newEventId = () => String((nextEventId += 1n));

  const server: Server = createServer((req, res) => {
    const send = (status: number, payload: unknown, headers: Record<string, string> = {}) => {
      res.writeHead(status, { 'content-type': 'application/json', ...headers });
      res.end(JSON.stringify(payload));
    };
    const rateLimitHeaders = () => ({
      'x-rate-limit-limit': '15',
      'x-rate-limit-remaining': '0',
      'x-rate-limit-reset': String(Math.ceil(Date.now() / 1000) + (opts.resetInSeconds ?? 1)),
    });
    const tooMany = () =>
      send(
        429,
        {
          title: 'Too Many Requests',
          detail: 'Too Many Requests',
          type: 'about:blank',
          status: 429,
        },
        rateLimitHeaders(),
      );
    void (async () => {
      const chunks: Buffer[] = [];
      for await (const chunk of req) chunks.push(chunk as Buffer);
      const rawBody = Buffer.concat(chunks).toString('utf8');
      const url = new URL(req.url ?? '/', base);
      const authorized = validOAuth(req, rawBody, base, creds);
      requests.push({ method: req.method ?? '', path: url.pathname, authorized });
      if (!authorized) {
        return send(401, {
          title: 'Unauthorized',
          type: 'about:blank',
          status: 401,
          detail: 'Unauthorized',
        });
      }

      const dm = /^\/2\/dm_conversations\/with\/([^/]+)\/messages$/.exec(url.pathname);
      if (req.method === 'POST' && dm?.[1]) {
        const failure = failures.shift();
        if (failure === 'rate-limit') return tooMany();
        if (failure === 'permanent') {
          return send(403, {
            title: 'Forbidden',
            detail: 'You are not permitted to send messages to this user.',
            type: 'about:blank',
            status: 403,
          });
        }
        let body: Record<string, unknown>;
        try {
          body = JSON.parse(rawBody) as Record<string, unknown>;
        } catch {
          return send(400, { title: 'Invalid Request', detail: 'bad JSON', status: 400 });
        }
        if (typeof body.text !== 'string' || body.text === '') {
          return send(400, { title: 'Invalid Request', detail: 'text is required', status: 400 });
        }
        const eventId = newEventId();
        const conversationId = `${dm[1]}-${ownUserId}`;
        sent.push({ participantId: dm[1], body, eventId });
        // The bot's own DM shows up in the inbox too, as on X.
        events.push({
          id: eventId,
          event_type: 'MessageCreate',
          text: body.text,
          sender_id: ownUserId,
          dm_conversation_id: conversationId,
          created_at: new Date().toISOString(),
        });
        return send(201, { data: { dm_conversation_id: conversationId, dm_event_id: eventId } });
      }

      if (req.method === 'GET' && url.pathname === '/2/dm_events') {
        if (pollLimits > 0) {
          pollLimits -= 1;
          return tooMany();
        }
        const max = Math.min(
          Number(url.searchParams.get('max_results') ?? 100),
          opts.pageSize ?? 100,
        );
        const newestFirst = [...events].reverse();
        const start = Number(url.searchParams.get('pagination_token') ?? 0);
        const page = newestFirst.slice(start, start + max);
        const next = start + max < newestFirst.length ? String(start + max) : undefined;
        const media = page
          .flatMap((e) => e.attachments?.media_keys ?? [])
          .map((k) => ({ media_key: k, type: 'photo', url: `https://pbs.example/${k}.jpg` }));
        return send(200, {
          ...(page.length > 0 ? { data: page } : {}),
          ...(media.length > 0 ? { includes: { media } } : {}),
          meta: { result_count: page.length, ...(next ? { next_token: next } : {}) },
        });
      }

      if (req.method === 'GET' && url.pathname === '/2/users/me') {
        return send(200, { data: { id: ownUserId, name: 'Charla', username: 'charla' } });
      }
      return send(404, { title: 'Not Found Error', type: 'about:blank', status: 404 });
    })().catch(() => send(500, { title: 'fake failed', status: 500 }));
  });
  const port = await listenOnLoopback(server);
  base = `http://127.0.0.1:${port}`;

  return {
    url: base,
    ownUserId,
    sent,
    requests,
    nextEventId: newEventId,
    addInboundDm({ id, senderId, text, mediaKey }) {
      events.push({
        id,
        event_type: 'MessageCreate',
        text,
        sender_id: senderId,
        dm_conversation_id: `${senderId}-${ownUserId}`,
        created_at: new Date().toISOString(),
        ...(mediaKey ? { attachments: { media_keys: [mediaKey] } } : {}),
      });
      events.sort((a, b) => (BigInt(a.id) < BigInt(b.id) ? -1 : 1));
    },
    failNext(kind, count = 1) {
      if (count === 0) {
        failures.length = 0;
        return;
      }
      for (let i = 0; i < count; i++) failures.push(kind);
    },
    rateLimitPolls(count) {
      pollLimits = count;
    },
    close: () => closeServer(server),
  };
}
