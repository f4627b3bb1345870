/**
 * A fake WhatsApp Cloud API (Graph) on 127.0.0.1: records POST /{phone-id}/messages, checks the
 * bearer token like Graph does, and answers scripted failures (429, Graph error codes) on demand.
 * Serves the business account's message templates (GET /{waba-id}/message_templates, two per
 * page with `paging.next`, as Graph pages them).
 * Also builds and signs webhook notifications the way Meta sends them.
 */
import { createServer, type Server } from 'node:http';
import { signBody } from '../../channels/whatsapp/signature.js';
import { closeServer, listenOnLoopback, readBody } from './loopback.js';

export interface GraphRequest {
  path: string;
  authorization: string | undefined;
  body: Record<string, unknown> & { to?: string; type?: string };
}

export interface ScriptedResponse {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
  /** Only answer this to messages for this recipient (others get the default success). */
  to?: string;
}

export interface FakeGraph {
  url: string;
  /** Every POST received, including the ones answered with an error. */
  requests: GraphRequest[];
  /** Successful sends only. */
  delivered(to?: string): GraphRequest[];
  /** Queues responses answered before the default success, in order. */
  script(...responses: ScriptedResponse[]): void;
  /** Drops scripted responses not used yet. */
  clearScript(): void;
  /** The templates GET /{waba-id}/message_templates lists (Graph's shape). */
  templates: FakeTemplate[];
  /** How many template pages were read. */
  templateReads(): number;
  close(): Promise<void>;
}

export interface FakeTemplate {
  name: string;
  language: string;
  status: 'APPROVED' | 'PENDING' | 'REJECTED' | 'PAUSED';
  category: string;
  components: Array<{ type: string; text?: string; format?: string }>;
}

/** Graph URLs carry an API version; the fake serves one so the adapter's URL joining is checked. */
const VERSION = '/v21.0';
const TEMPLATES_PER_PAGE = 2;

export async function startFakeGraph(opts: {
  token: string;
  phoneId: string;
  wabaId?: string;
}): Promise<FakeGraph> {
  const templates: FakeTemplate[] = [];
  let templateReads = 0;
  const requests: GraphRequest[] = [];
  const succeeded = new Set<GraphRequest>();
  const scripted: ScriptedResponse[] = [];
  let counter = 0;

  const server: Server = createServer((req, res) => {
    void (async () => {
      const send = (status: number, body: unknown, headers: Record<string, string> = {}) => {
        res.writeHead(status, { 'content-type': 'application/json', ...headers });
        res.end(JSON.stringify(body));
      };
      const raw = await readBody(req);
      const url = new URL(req.url ?? '/', 'http://fake');
      if (
        req.method === 'GET' &&
        opts.wabaId &&
        url.pathname === `${VERSION}/${opts.wabaId}/message_templates`
      ) {
        if (req.headers.authorization !== `Bearer ${opts.token}`) {
          return send(401, { error: { message: 'Invalid OAuth access token.', code: 190 } });
        }
        templateReads += 1;
        const after = Number(url.searchParams.get('after') ?? 0);
        const page = templates.slice(after, after + TEMPLATES_PER_PAGE);
        const more = after + TEMPLATES_PER_PAGE < templates.length;
        const next = new URL(url.href);
        next.searchParams.set('after', String(after + TEMPLATES_PER_PAGE));
        const host = `http://${req.headers.host}`;
        return send(200, {
          data: page.map((t, i) => ({ ...t, id: String(after + i + 1) })),
          paging: more ? { next: `${host}${next.pathname}${next.search}` } : {},
        });
      }
      if (req.method !== 'POST' || req.url !== `${VERSION}/${opts.phoneId}/messages`) {
        return send(404, { error: { message: 'Unknown path', code: 100 } });
      }
      let body: GraphRequest['body'];
      try {
        body = JSON.parse(raw) as GraphRequest['body'];
      } catch {
        return send(400, { error: { message: 'Invalid JSON', code: 100 } });
      }
      const record: GraphRequest = {
        path: req.url,
        authorization: req.headers.authorization,
        body,
      };
      requests.push(record);
      if (req.headers.authorization !== `Bearer ${opts.token}`) {
        return send(401, { error: { message: 'Invalid OAuth access token.', code: 190 } });
      }
      const i = scripted.findIndex((s) => s.to === undefined || s.to === body.to);
      if (i >= 0) {
        const [s] = scripted.splice(i, 1);
        return send(s!.status, s!.body ?? {}, s!.headers);
      }
      succeeded.add(record);
      counter += 1;
      return send(200, {
        messaging_product: 'whatsapp',
        contacts: [{ input: body.to, wa_id: body.to }],
        messages: [{ id: `wamid.fake-${counter}` }],
      });
    })();
  });
  const port = await listenOnLoopback(server);
  return {
    url: `http://127.0.0.1:${port}${VERSION}`,
    requests,
    delivered: (to) =>
      requests.filter((r) => succeeded.has(r) && (to === undefined || r.body.to === to)),
    script: (...r) => scripted.push(...r),
    clearScript: () => void scripted.splice(0),
    templates,
    templateReads: () => templateReads,
    close: () => closeServer(server),
  };
}

/** A webhook notification carrying `messages` from one customer, shaped like Meta's. */
export function whatsappWebhook(opts: {
  phoneId: string;
  from: string;
  name?: string;
  messages: Array<Record<string, unknown>>;
}): Record<string, unknown> {
  return {
    object: 'whatsapp_business_account',
    entry: [
      {
        id: 'WABA-1',
        changes: [
          {
            field: 'messages',
            value: {
              messaging_product: 'whatsapp',
              metadata: { display_phone_number: '15550000000', phone_number_id: opts.phoneId },
              contacts: [{ profile: { name: opts.name ?? 'Ana' }, wa_id: opts.from }],
              messages: opts.messages.map((m, i) => ({
                from: opts.from,
                timestamp: String(Math.floor(Date.now() / 1000) + i),
                ...m,
              })),
            },
          },
        ],
      },
    ],
  };
}

/** POSTs a notification to Charla, signed with `appSecret` (pass null to omit the header). */
export async function postWebhook(
  baseUrl: string,
  payload: unknown,
  appSecret: string | null,
): Promise<Response> {
  const raw = typeof payload === 'string' ? payload : JSON.stringify(payload);
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (appSecret !== null) headers['x-hub-signature-256'] = signBody(appSecret, raw);
  return fetch(`${baseUrl}/webhooks/whatsapp`, { method: 'POST', headers, body: raw });
}

/** A webhook notification carrying `statuses` of our messages (sent, delivered, read, failed). */
export function whatsappStatuses(opts: {
  phoneId: string;
  statuses: Array<{
    id: string;
    status: 'sent' | 'delivered' | 'read' | 'failed';
    recipient?: string;
    errors?: Array<{ code: number; title: string; message?: string }>;
  }>;
}): Record<string, unknown> {
  return {
    object: 'whatsapp_business_account',
    entry: [
      {
        id: 'WABA-1',
        changes: [
          {
            field: 'messages',
            value: {
              messaging_product: 'whatsapp',
              metadata: { display_phone_number: '15550000000', phone_number_id: opts.phoneId },
              statuses: opts.statuses.map((s, i) => ({
                id: s.id,
                status: s.status,
                timestamp: String(Math.floor(Date.now() / 1000) + i),
                recipient_id: s.recipient ?? '34600000000',
                ...(s.errors ? { errors: s.errors } : {}),
              })),
            },
          },
        ],
      },
    ],
  };
}
