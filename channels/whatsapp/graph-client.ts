/**
 * Sending through the WhatsApp Cloud API (Graph `/{phone-id}/messages`) with plain fetch: there is
 * no official Node SDK. Errors are mapped onto ChannelSendError so the outbound worker retries
 * rate limits and outages and marks everything else failed.
 */
import {
  ChannelSendError,
  type MessageTemplate,
} from '../../src/kernel/contracts/channel-adapter.js';
import type { Locale, OutboundMessage, QuickReply } from '../../src/kernel/contracts/messages.js';

/** Platform limits (Cloud API reference, "Interactive object"). */
export const LIMITS = {
  text: 4096,
  interactiveBody: 1024,
  buttons: 3,
  buttonTitle: 20,
  buttonId: 256,
  listRows: 10,
  rowTitle: 24,
  rowId: 200,
  listButton: 20,
} as const;

/** Graph error codes that mean "slow down", not "this message can never be sent". */
const RATE_LIMIT_CODES = new Set([4, 80007, 130429, 131056]);
/** Transient Graph failures ("something went wrong", "service unavailable"). */
const TRANSIENT_CODES = new Set([1, 2, 131000, 131016]);

const LIST_BUTTON: Record<Locale, string> = { es: 'Ver opciones', en: 'See options' };

const clip = (s: string, max: number) => (s.length <= max ? s : `${s.slice(0, max - 1)}…`);

/** The Graph request body for one outbound message: text, reply buttons (≤3) or a list (4–10). */
export function buildPayload(
  msg: Pick<OutboundMessage, 'platformConversationId' | 'text' | 'quickReplies'>,
  locale: Locale,
): Record<string, unknown> {
  const base = {
    messaging_product: 'whatsapp',
    recipient_type: 'individual',
    to: msg.platformConversationId,
  };
  const replies: QuickReply[] = (msg.quickReplies ?? []).slice(0, LIMITS.listRows);
  if (replies.length === 0) {
    return {
      ...base,
      type: 'text',
      text: { body: clip(msg.text, LIMITS.text), preview_url: false },
    };
  }
  const body = { text: clip(msg.text || '…', LIMITS.interactiveBody) };
  if (replies.length <= LIMITS.buttons) {
    return {
      ...base,
      type: 'interactive',
      interactive: {
        type: 'button',
        body,
        action: {
          buttons: replies.map((q) => ({
            type: 'reply',
            reply: {
              id: q.payload.slice(0, LIMITS.buttonId),
              title: clip(q.title, LIMITS.buttonTitle),
            },
          })),
        },
      },
    };
  }
  return {
    ...base,
    type: 'interactive',
    interactive: {
      type: 'list',
      body,
      action: {
        button: LIST_BUTTON[locale],
        sections: [
          {
            rows: replies.map((q) => ({
              id: q.payload.slice(0, LIMITS.rowId),
              title: clip(q.title, LIMITS.rowTitle),
            })),
          },
        ],
      },
    },
  };
}

/** Phone numbers never reach logs or the admin-visible error: Graph messages can echo them. */
const scrub = (s: string) => s.replace(/\+?\d[\d\s-]{6,}\d/g, '…').slice(0, 200);

function retryAfterMs(header: string | null): number | undefined {
  if (!header) return undefined;
  const seconds = Number(header);
  if (Number.isFinite(seconds) && seconds >= 0) return Math.ceil(seconds * 1000);
  const at = Date.parse(header);
  return Number.isNaN(at) ? undefined : Math.max(0, at - Date.now());
}

interface GraphError {
  error?: { message?: string; code?: number; error_subcode?: number };
}

/** Maps a failed Graph response onto a ChannelSendError (retryable for rate limits and 5xx). */
export function graphError(
  status: number,
  body: GraphError,
  retryAfter: string | null,
): ChannelSendError {
  const code = body.error?.code;
  const detail = body.error?.message ? `: ${scrub(body.error.message)}` : '';
  const text = `whatsapp ${status}${code !== undefined ? ` (code ${code})` : ''}${detail}`;
  const rateLimited = status === 429 || (code !== undefined && RATE_LIMIT_CODES.has(code));
  const transient = status >= 500 || (code !== undefined && TRANSIENT_CODES.has(code));
  return new ChannelSendError(text, {
    retryable: rateLimited || transient,
    retryAfterMs: rateLimited || transient ? retryAfterMs(retryAfter) : undefined,
    status,
  });
}

export interface GraphClientOptions {
  graphUrl: string;
  phoneId: string;
  token: string;
  timeoutMs?: number;
}

/** POSTs one message; returns the WhatsApp message id (wamid). */
export async function postMessage(
  opts: GraphClientOptions,
  payload: Record<string, unknown>,
): Promise<string | undefined> {
  const url = `${opts.graphUrl.replace(/\/+$/, '')}/${encodeURIComponent(opts.phoneId)}/messages`;
  let res: Response;
  try {
    res = await fetch(url, {
      method: 'POST',
      headers: { authorization: `Bearer ${opts.token}`, 'content-type': 'application/json' },
      body: JSON.stringify(payload),
      signal: AbortSignal.timeout(opts.timeoutMs ?? 15_000),
    });
  } catch (err) {
    const why = err instanceof Error ? err.name : 'error';
    throw new ChannelSendError(`whatsapp network error (${why})`, { retryable: true });
  }
  const body = (await res.json().catch(() => ({}))) as GraphError & {
    messages?: Array<{ id?: string }>;
  };
  if (!res.ok) throw graphError(res.status, body, res.headers.get('retry-after'));
  return body.messages?.[0]?.id;
}

/** `{{1}}`, `{{2}}`… in a template's body: how many values it takes. */
export function placeholderCount(body: string): number {
  const numbers = [...body.matchAll(/\{\{\s*(\d+)\s*\}\}/g)].map((m) => Number(m[1]));
  return numbers.length ? Math.max(...numbers) : 0;
}

interface GraphTemplate {
  name?: string;
  language?: string;
  status?: string;
  category?: string;
  components?: Array<{ type?: string; text?: string }>;
}

/** The business account's message templates (Graph `GET /{waba-id}/message_templates`, paged). */
export async function listTemplates(
  opts: Omit<GraphClientOptions, 'phoneId'> & { wabaId: string },
): Promise<MessageTemplate[]> {
  const out: MessageTemplate[] = [];
  const fields = 'name,language,status,category,components';
  let url: string | undefined =
    `${opts.graphUrl.replace(/\/+$/, '')}/${encodeURIComponent(opts.wabaId)}/message_templates` +
    `?fields=${fields}&limit=100`;
  // Bounded: a business account has at most a few hundred templates.
  for (let page = 0; url && page < 50; page++) {
    let res: Response;
    try {
      res = await fetch(url, {
        headers: { authorization: `Bearer ${opts.token}` },
        signal: AbortSignal.timeout(opts.timeoutMs ?? 15_000),
      });
    } catch (err) {
      const why = err instanceof Error ? err.name : 'error';
      throw new ChannelSendError(`whatsapp network error (${why})`, { retryable: true });
    }
    const body = (await res.json().catch(() => ({}))) as GraphError & {
      data?: GraphTemplate[];
      paging?: { next?: string };
    };
    if (!res.ok) throw graphError(res.status, body, res.headers.get('retry-after'));
    for (const t of body.data ?? []) {
      if (!t.name || !t.language) continue;
      const text = t.components?.find((c) => c.type?.toUpperCase() === 'BODY')?.text ?? '';
      out.push({
        name: t.name,
        language: t.language,
        status: t.status ?? 'UNKNOWN',
        ...(t.category ? { category: t.category } : {}),
        body: text,
        variables: placeholderCount(text),
      });
    }
    url = body.paging?.next;
  }
  return out;
}

/** The Graph request body for a template message with its body values in order. */
export function templatePayload(
  to: string,
  template: { name: string; language: string; variables: string[] },
): Record<string, unknown> {
  return {
    messaging_product: 'whatsapp',
    recipient_type: 'individual',
    to,
    type: 'template',
    template: {
      name: template.name,
      language: { code: template.language },
      ...(template.variables.length
        ? {
            components: [
              {
                type: 'body',
                parameters: template.variables.map((text) => ({ type: 'text', text })),
              },
            ],
          }
        : {}),
    },
  };
}
