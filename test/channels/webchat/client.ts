/** A tiny HTTP client of the web chat API for tests: real requests against a real app. */
import type { WebchatMessageView } from '../../../channels/webchat/message-view.js';
import { Conversation } from '../../../src/kernel/db/models/conversation.js';
import { Message } from '../../../src/kernel/db/models/message.js';
import { eventually } from '../../support/app.js';

export type MessageItem = WebchatMessageView;

export interface Session {
  sessionId: string;
  token: string;
  conversationId: string;
}

export interface Reply {
  status: number;
  body: any; // eslint-disable-line @typescript-eslint/no-explicit-any
  headers: Headers;
}

export function webchatClient(baseUrl: string) {
  async function request(
    method: string,
    path: string,
    opts: {
      body?: unknown;
      rawBody?: string;
      token?: string;
      headers?: Record<string, string>;
    } = {},
  ): Promise<Reply> {
    const headers: Record<string, string> = { ...opts.headers };
    if (opts.body !== undefined || opts.rawBody !== undefined) {
      headers['content-type'] ??= 'application/json';
    }
    if (opts.token !== undefined) headers.authorization = `Bearer ${opts.token}`;
    const res = await fetch(`${baseUrl}${path}`, {
      method,
      headers,
      body: opts.rawBody ?? (opts.body !== undefined ? JSON.stringify(opts.body) : undefined),
    });
    const text = await res.text();
    let body: unknown = text;
    try {
      body = text ? JSON.parse(text) : undefined;
    } catch {
      /* not JSON: keep the text */
    }
    return { status: res.status, body, headers: res.headers };
  }

  return {
    request,
    async createSession(locale?: 'es' | 'en'): Promise<Session> {
      const res = await request('POST', '/api/webchat/sessions', {
        body: locale ? { locale } : {},
      });
      if (res.status !== 201) throw new Error(`session: ${res.status}`);
      return res.body as Session;
    },
    post(s: Session, body: unknown, token = s.token) {
      return request('POST', `/api/webchat/sessions/${s.sessionId}/messages`, { body, token });
    },
    list(s: Session, token = s.token) {
      return request('GET', `/api/webchat/sessions/${s.sessionId}/messages`, { token });
    },
  };
}

/**
 * Waits until every message of the session is settled: inbound processed, outbound sent or
 * failed, at least one reply. Returns the stored messages of all the session's conversations.
 */
export async function settledSession(sessionId: string, minInbound = 1) {
  return eventually(async () => {
    const conversations = await Conversation.find({
      channel: 'webchat',
      platformConversationId: sessionId,
    }).lean();
    const messages = await Message.find({
      conversationId: { $in: conversations.map((c) => c._id) },
    })
      .sort({ createdAt: 1, _id: 1 })
      .lean();
    const inbound = messages.filter((m) => m.direction === 'in');
    const outbound = messages.filter((m) => m.direction === 'out');
    if (inbound.length < minInbound || inbound.some((m) => m.status !== 'processed')) return false;
    if (outbound.length === 0 || outbound.some((m) => m.status === 'pending')) return false;
    // The engine may answer a turn with several messages: the last reply follows the last inbound.
    const lastIn = inbound[inbound.length - 1]!;
    const lastOut = outbound[outbound.length - 1]!;
    if (lastOut.createdAt < lastIn.createdAt) return false;
    return { conversations, messages, inbound, outbound };
  });
}
