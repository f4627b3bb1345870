/**
 * The web chat HTTP contract against a real Charla (FerretDB + Redis): sessions, posting,
 * idempotency by clientMessageId, history, and every error status. Assertions never depend on
 * the bot's wording: the engine decides what to say.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ContactIdentity } from '../../../src/kernel/db/models/contact.js';
import { Conversation } from '../../../src/kernel/db/models/conversation.js';
import { Message } from '../../../src/kernel/db/models/message.js';
import { WebchatSession } from '../../../channels/webchat/session.model.js';
import { startTestApp, type TestApp } from '../../support/app.js';
import {
  settledSession,
  webchatClient,
  type MessageItem,
  type Reply,
  type Session,
} from './client.js';

describe('web chat HTTP API', () => {
  let app: TestApp;
  let client: ReturnType<typeof webchatClient>;

  beforeAll(async () => {
    app = await startTestApp();
    client = webchatClient(app.url);
  });
  afterAll(async () => app?.stop());

  const expectError = (
    res: { status: number; body: Reply['body'] },
    status: number,
    code?: string,
  ) => {
    expect(res.status).toBe(status);
    expect(typeof res.body.error.message).toBe('string');
    if (code) expect(res.body.error.code).toBe(code);
    else expect(typeof res.body.error.code).toBe('string');
  };

  describe('POST /api/webchat/sessions', () => {
    it('creates a session with a contact, an open conversation and a hashed token', async () => {
      const res = await client.request('POST', '/api/webchat/sessions', { body: { locale: 'en' } });
      expect(res.status).toBe(201);
      const { sessionId, token, conversationId } = res.body as Session;
      expect(sessionId).toMatch(/^[A-Za-z0-9_-]{38}$/);
      expect(token.length).toBeGreaterThanOrEqual(43);

      const conversation = await Conversation.findById(conversationId).lean();
      expect(conversation).toMatchObject({
        channel: 'webchat',
        platformConversationId: sessionId,
        platformUserId: sessionId,
        locale: 'en',
        status: 'bot',
      });
      const identity = await ContactIdentity.findOne({ key: `webchat:${sessionId}` }).lean();
      expect(identity?.contactId.toHexString()).toBe(conversation?.contactId.toHexString());

      const stored = await WebchatSession.findOne({ sessionId }).lean();
      expect(stored?.tokenHash).toMatch(/^[0-9a-f]{64}$/);
      // The token itself is stored nowhere.
      expect(JSON.stringify(stored)).not.toContain(token);
    });

    it('gives every session its own id and token', async () => {
      const a = await client.createSession();
      const b = await client.createSession();
      expect(a.sessionId).not.toBe(b.sessionId);
      expect(a.token).not.toBe(b.token);
      expect(a.conversationId).not.toBe(b.conversationId);
    });

    it('accepts an empty body and rejects a bad locale or invalid JSON, creating nothing', async () => {
      const empty = await client.request('POST', '/api/webchat/sessions');
      expect(empty.status).toBe(201);

      const before = await WebchatSession.countDocuments();
      expectError(
        await client.request('POST', '/api/webchat/sessions', { body: { locale: 'fr' } }),
        400,
        'invalid_request',
      );
      expectError(
        await client.request('POST', '/api/webchat/sessions', { rawBody: '{"locale":' }),
        400,
        'invalid_json',
      );
      expectError(
        await client.request('POST', '/api/webchat/sessions', { rawBody: '"es"' }),
        400,
        'invalid_request',
      );
      expect(await WebchatSession.countDocuments()).toBe(before);
    });
  });

  describe('POST and GET messages', () => {
    it('accepts a message with 202 and lists it with the bot reply, oldest first', async () => {
      const s = await client.createSession('es');
      const res = await client.post(s, { text: '  hola  ' });
      expect(res.status).toBe(202);
      expect(res.body.messageId).toMatch(/^[0-9a-f]{24}$/);

      const { outbound } = await settledSession(s.sessionId);
      const list = await client.list(s);
      expect(list.status).toBe(200);
      const messages = list.body.messages as MessageItem[];
      expect(messages[0]).toMatchObject({
        id: res.body.messageId,
        direction: 'in',
        text: 'hola',
        author: 'customer',
      });
      expect(messages.filter((m) => m.direction === 'out').map((m) => m.id)).toEqual(
        outbound.map((m) => m._id.toHexString()),
      );
      for (const m of messages) {
        expect(Object.keys(m).sort()).toEqual(
          expect.arrayContaining(['author', 'createdAt', 'direction', 'id', 'text']),
        );
        expect(new Date(m.createdAt).toISOString()).toBe(m.createdAt);
      }
      const times = messages.map((m) => m.createdAt);
      expect([...times].sort()).toEqual(times);
    });

    it('stores and answers a repeated clientMessageId once, returning the same messageId', async () => {
      // A control session sends the same text once: the repeated one must get as many replies.
      const control = await client.createSession('es');
      const dup = await client.createSession('es');
      const clientMessageId = randomUUID();
      expect(
        (await client.post(control, { text: 'hola', clientMessageId: randomUUID() })).status,
      ).toBe(202);
      const first = await client.post(dup, { text: 'hola', clientMessageId });
      const second = await client.post(dup, { text: 'hola', clientMessageId });
      expect(first.status).toBe(202);
      expect(second.status).toBe(202);
      expect(second.body.messageId).toBe(first.body.messageId);

      const a = await settledSession(control.sessionId);
      const b = await settledSession(dup.sessionId);
      expect(b.inbound).toHaveLength(1);
      expect(b.outbound).toHaveLength(a.outbound.length);
      // Let a wrongly queued second turn surface before counting again.
      await new Promise((r) => setTimeout(r, 500));
      expect(await Message.countDocuments({ conversationId: b.conversations[0]!._id })).toBe(
        b.messages.length,
      );
      const listed = (await client.list(dup)).body.messages as MessageItem[];
      expect(listed.filter((m) => m.direction === 'in')).toHaveLength(1);
    });

    it('shows the bot reply to this session only', async () => {
      const mine = await client.createSession();
      const other = await client.createSession();
      await client.post(mine, { text: 'hola' });
      await settledSession(mine.sessionId);
      expect((await client.list(other)).body.messages).toEqual([]);
    });

    it('never lists internal staff notes', async () => {
      const s = await client.createSession();
      await client.post(s, { text: 'hola' });
      const { conversations } = await settledSession(s.sessionId);
      const conv = conversations[0]!;
      await Message.create({
        conversationId: conv._id,
        contactId: conv.contactId,
        channel: 'webchat',
        direction: 'out',
        author: 'staff',
        text: 'internal note: VIP customer',
        internal: true,
        dedupeKey: `out:internal-${randomUUID()}`,
        status: 'sent',
      });
      const listed = (await client.list(s)).body.messages as MessageItem[];
      expect(listed.length).toBeGreaterThan(0);
      expect(listed.some((m) => m.text.includes('internal note'))).toBe(false);
    });

    it('keeps the history when the conversation is closed and a new one starts', async () => {
      const s = await client.createSession();
      await client.post(s, { text: 'hola' });
      await settledSession(s.sessionId);
      await Conversation.updateOne({ _id: s.conversationId }, { $set: { status: 'closed' } });

      const res = await client.post(s, { text: 'otra vez' });
      expect(res.status).toBe(202);
      const { conversations, inbound } = await settledSession(s.sessionId, 2);
      expect(conversations).toHaveLength(2);
      const newer = await Message.findById(res.body.messageId).lean();
      expect(newer?.conversationId.toHexString()).not.toBe(s.conversationId);

      const listed = (await client.list(s)).body.messages as MessageItem[];
      expect(listed.filter((m) => m.direction === 'in').map((m) => m.text)).toEqual(
        inbound.map((m) => m.text),
      );
      expect(listed.filter((m) => m.direction === 'in').map((m) => m.text)).toEqual([
        'hola',
        'otra vez',
      ]);
    });
  });

  describe('errors', () => {
    let s: Session;
    let other: Session;
    let before: number;
    beforeAll(async () => {
      s = await client.createSession();
      other = await client.createSession();
    });
    // Inbound only: bot replies to earlier accepted messages may still be arriving.
    const countMessages = () =>
      Message.countDocuments({ conversationId: s.conversationId, direction: 'in' });

    it('rejects invalid JSON, missing, non-string, empty and over-long text with 400', async () => {
      before = await countMessages();
      const path = `/api/webchat/sessions/${s.sessionId}/messages`;
      expectError(
        await client.request('POST', path, { rawBody: '{"text": "hola"', token: s.token }),
        400,
        'invalid_json',
      );
      expectError(await client.post(s, {}), 400, 'invalid_text');
      expectError(await client.post(s, { text: 42 }), 400, 'invalid_text');
      expectError(await client.post(s, { text: ['hola'] }), 400, 'invalid_text');
      expectError(await client.post(s, { text: null }), 400, 'invalid_text');
      expectError(await client.post(s, { text: '' }), 400, 'empty_text');
      expectError(await client.post(s, { text: ' \n\t ' }), 400, 'empty_text');
      expectError(await client.post(s, { text: 'x'.repeat(4001) }), 400, 'text_too_long');
      expectError(await client.post(s, ['hola']), 400, 'invalid_request');
      expectError(
        await client.post(s, { text: 'hola', clientMessageId: 'has spaces in it' }),
        400,
        'invalid_request',
      );
      expectError(
        await client.post(s, { text: 'hola', clientMessageId: 'x'.repeat(129) }),
        400,
        'invalid_request',
      );
      expect(await countMessages()).toBe(before);
    });

    it('accepts exactly 4,000 characters', async () => {
      const res = await client.post(s, { text: 'x'.repeat(4000) });
      expect(res.status).toBe(202);
      const stored = await Message.findById(res.body.messageId).lean();
      expect(stored?.text).toHaveLength(4000);
    });

    it('answers 413 to a body over the size limit', async () => {
      const n = await countMessages();
      expectError(await client.post(s, { text: 'x'.repeat(1024 * 1024 + 10) }), 413);
      expect(await countMessages()).toBe(n);
    });

    it('answers 401 without a valid token, on POST and GET', async () => {
      const n = await countMessages();
      const path = `/api/webchat/sessions/${s.sessionId}/messages`;
      expectError(
        await client.request('POST', path, { body: { text: 'hola' } }),
        401,
        'unauthorized',
      );
      expectError(await client.post(s, { text: 'hola' }, 'wrong-token'), 401, 'unauthorized');
      expectError(await client.post(s, { text: 'hola' }, other.token), 401, 'unauthorized');
      expectError(
        await client.request('POST', path, {
          body: { text: 'hola' },
          headers: { authorization: s.token },
        }),
        401,
      );
      expectError(await client.request('GET', path), 401, 'unauthorized');
      expectError(await client.list(s, 'wrong-token'), 401, 'unauthorized');
      expectError(await client.list(s, other.token), 401, 'unauthorized');
      expect(await countMessages()).toBe(n);
    });

    it('answers 404 for an unknown or malformed session id', async () => {
      const unknown = { ...s, sessionId: 'AAAAAAAAAAAAAAAAAAAAAA' };
      expectError(await client.post(unknown, { text: 'hola' }), 404, 'not_found');
      expectError(await client.list(unknown), 404, 'not_found');
      const malformed = { ...s, sessionId: '..%2F..%2Fetc' };
      expectError(await client.post(malformed, { text: 'hola' }), 404, 'not_found');
      expectError(await client.list(malformed), 404, 'not_found');
    });

    it('keeps serving after bad input', async () => {
      const res = await client.post(s, { text: 'sigo aquí' });
      expect(res.status).toBe(202);
      expect((await client.list(s)).status).toBe(200);
    });
  });

  describe('cross-origin embedding and assets', () => {
    it('answers CORS preflights and marks API responses as readable from any origin', async () => {
      const pre = await client.request('OPTIONS', '/api/webchat/sessions', {
        headers: {
          origin: 'https://shop.example',
          'access-control-request-method': 'POST',
          'access-control-request-headers': 'authorization, content-type',
        },
      });
      expect(pre.status).toBe(204);
      expect(pre.headers.get('access-control-allow-origin')).toBe('*');
      expect(pre.headers.get('access-control-allow-headers')).toContain('authorization');
      const err = await client.list({
        sessionId: 'AAAAAAAAAAAAAAAAAAAAAA',
        token: 'x',
        conversationId: '',
      });
      expect(err.status).toBe(404);
      expect(err.headers.get('access-control-allow-origin')).toBe('*');
    });

    it('serves the demo page and the widget with their content types', async () => {
      const page = await client.request('GET', '/');
      expect(page.status).toBe(200);
      expect(page.headers.get('content-type')).toMatch(/^text\/html/);
      expect(page.body).toContain('src="/widget.js"');
      const widget = await client.request('GET', '/widget.js');
      expect(widget.status).toBe(200);
      expect(widget.headers.get('content-type')).toMatch(/^text\/javascript/);
      expect(widget.body).toContain('/api/webchat/sessions');
    });
  });
});
