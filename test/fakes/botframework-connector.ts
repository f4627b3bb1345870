/**
 * A fake Bot Connector service (the activity's serviceUrl) on 127.0.0.1: records
 * POST /v3/conversations/:id/activities, accepts only access tokens the fake login issued, and
 * answers scripted failures (429 with Retry-After, 403) on demand.
 */
import { createServer } from 'node:http';
import { closeServer, listenOnLoopback, readBody } from './loopback.js';

export interface ConnectorActivity {
  conversationId: string;
  authorization: string | undefined;
  activity: {
    type?: string;
    text?: string;
    suggestedActions?: { actions?: Array<{ type?: string; title?: string; value?: unknown }> };
    conversation?: { id?: string };
    recipient?: { id?: string };
    from?: { id?: string };
    [k: string]: unknown;
  };
}

export interface ConnectorScript {
  status: number;
  headers?: Record<string, string>;
  body?: unknown;
}

export interface FakeConnector {
  /** The serviceUrl to put on activities (with a trailing slash, as channels send it). */
  serviceUrl: string;
  /** Every POST received, accepted or not. */
  requests: ConnectorActivity[];
  /** Activities answered 200. */
  delivered(conversationId?: string): ConnectorActivity[];
  script(...responses: ConnectorScript[]): void;
  clearScript(): void;
  close(): Promise<void>;
}

/** `acceptToken` decides whether a bearer token is valid (null: no auth expected, Emulator mode). */
export async function startFakeConnector(
  acceptToken: ((token: string) => boolean) | null,
): Promise<FakeConnector> {
  const requests: ConnectorActivity[] = [];
  const ok = new Set<ConnectorActivity>();
  const scripted: ConnectorScript[] = [];
  let counter = 0;

  const server = createServer((req, res) => {
    void (async () => {
      const send = (status: number, body: unknown, headers: Record<string, string> = {}) => {
        res.writeHead(status, { 'content-type': 'application/json', ...headers });
        res.end(JSON.stringify(body));
      };
      const raw = await readBody(req);
      const match = /^\/v3\/conversations\/([^/]+)\/activities\/?([^/]*)$/.exec(req.url ?? '');
      if (req.method !== 'POST' || !match) {
        return send(404, { error: { code: 'NotFound', message: 'unknown route' } });
      }
      const record: ConnectorActivity = {
        conversationId: decodeURIComponent(match[1]!),
        authorization: req.headers.authorization,
        activity: JSON.parse(raw) as ConnectorActivity['activity'],
      };
      requests.push(record);
      if (acceptToken) {
        const token = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
        if (!token || !acceptToken(token)) {
          return send(401, { error: { code: 'Unauthorized', message: 'bad token' } });
        }
      }
      const next = scripted.shift();
      if (next)
        return send(next.status, next.body ?? { error: { code: 'Scripted' } }, next.headers);
      ok.add(record);
      counter += 1;
      return send(200, { id: `activity-${counter}` });
    })();
  });
  const port = await listenOnLoopback(server);
  return {
    serviceUrl: `http://127.0.0.1:${port}/`,
    requests,
    delivered: (conversationId) =>
      requests.filter(
        (r) => ok.has(r) && (conversationId === undefined || r.conversationId === conversationId),
      ),
    script: (...r) => scripted.push(...r),
    clearScript: () => void scripted.splice(0),
    close: () => closeServer(server),
  };
}

/** A message activity as a channel sends it to the bot. */
export function messageActivity(opts: {
  id: string;
  text: string;
  userId: string;
  conversationId: string;
  serviceUrl: string;
  channelId?: string;
  botId?: string;
  locale?: string;
  extra?: Record<string, unknown>;
}): Record<string, unknown> {
  return {
    type: 'message',
    id: opts.id,
    timestamp: new Date().toISOString(),
    serviceUrl: opts.serviceUrl,
    channelId: opts.channelId ?? 'webchat',
    from: { id: opts.userId, name: 'Ana' },
    conversation: { id: opts.conversationId },
    recipient: { id: opts.botId ?? 'charla-bot', name: 'Charla' },
    text: opts.text,
    locale: opts.locale ?? 'es-ES',
    ...opts.extra,
  };
}
