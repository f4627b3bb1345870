/**
 * The admin API against a real Charla: bearer auth, filters, pagination and validation of every
 * list endpoint, the conversation view, and the NLU probe.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ChannelSendError,
  type ChannelAdapter,
} from '../../src/kernel/contracts/channel-adapter.js';
import { markMessage } from '../../src/kernel/db/messages.js';
import { Case } from '../../src/kernel/db/models/case.js';
import { Lead } from '../../src/kernel/db/models/lead.js';
import { Message } from '../../src/kernel/db/models/message.js';
import { Types } from 'mongoose';
import { ADMIN_TOKEN, eventually, startTestApp, type TestApp } from '../support/app.js';
import { settledSession, webchatClient } from '../channels/webchat/client.js';

type Json = any; // eslint-disable-line @typescript-eslint/no-explicit-any

/** An adapter whose every send fails permanently, so its replies end `failed`. */
const brokenAdapter: ChannelAdapter = {
  id: 'twitter',
  capabilities: { buttons: false, media: false, typing: false, maxTextLength: 4000 },
  mount: () => undefined,
  async send() {
    throw new ChannelSendError('403 recipient blocked the account', { retryable: false });
  },
};

describe('admin API', () => {
  let app: TestApp;
  const get = async (path: string, headers: Record<string, string> = app.admin) => {
    const res = await fetch(`${app.url}${path}`, { headers });
    return { status: res.status, body: (await res.json()) as Json };
  };
  const post = async (path: string, body: string, headers: Record<string, string> = app.admin) => {
    const res = await fetch(`${app.url}${path}`, {
      method: 'POST',
      headers: { ...headers, 'content-type': 'application/json' },
      body,
    });
    return { status: res.status, body: (await res.json()) as Json };
  };

  beforeAll(async () => {
    app = await startTestApp({}, { extraAdapters: [brokenAdapter] });
  });
  afterAll(async () => app?.stop());

  describe('authentication', () => {
    const endpoints = [
      '/api/leads',
      '/api/cases',
      '/api/messages?status=failed',
      `/api/conversations/${new Types.ObjectId().toHexString()}`,
    ];
    it('answers 401 without the admin bearer token', async () => {
      for (const path of endpoints) {
        for (const headers of [
          {} as Record<string, string>,
          { authorization: 'Bearer wrong-token' },
          { authorization: `Bearer ${ADMIN_TOKEN}x` },
          { authorization: ADMIN_TOKEN },
          { authorization: `Basic ${Buffer.from(`admin:${ADMIN_TOKEN}`).toString('base64')}` },
        ]) {
          const res = await get(path, headers);
          expect(res.status, `${path} ${JSON.stringify(headers)}`).toBe(401);
          expect(res.body.error.code).toBe('unauthorized');
        }
      }
      const parse = await post('/api/nlu/parse', JSON.stringify({ text: 'hola' }), {});
      expect(parse.status).toBe(401);
    });

    it('checks the token before validating the request', async () => {
      const res = await get('/api/leads?limit=abc', {});
      expect(res.status).toBe(401);
    });
  });

  describe('GET /api/leads', () => {
    beforeAll(async () => {
      await Lead.create([
        { name: 'Ana López', email: 'ana@example.com', phone: '+34600111222', channel: 'webchat' },
        { name: 'Bob Smith', email: 'bob@example.com', channel: 'telegram', status: 'contacted' },
        { name: 'Carla Ruiz', email: 'carla@example.com', channel: 'webchat', status: 'won' },
        ...Array.from({ length: 7 }, (_, i) => ({
          name: `Lead ${i}`,
          email: `lead${i}@example.com`,
          channel: 'whatsapp' as const,
        })),
      ]);
    });

    it('lists leads with their fields and the total', async () => {
      const res = await get('/api/leads');
      expect(res.status).toBe(200);
      expect(res.body.total).toBe(10);
      expect(res.body.items).toHaveLength(10);
      const ana = res.body.items.find((l: Json) => l.email === 'ana@example.com');
      expect(ana).toMatchObject({
        name: 'Ana López',
        email: 'ana@example.com',
        phone: '+34600111222',
        channel: 'webchat',
        status: 'new',
      });
      expect(ana.id).toMatch(/^[0-9a-f]{24}$/);
    });

    it('filters by email (case-insensitive), status and channel', async () => {
      const byEmail = await get('/api/leads?email=ANA@Example.com');
      expect(byEmail.body.total).toBe(1);
      expect(byEmail.body.items[0].name).toBe('Ana López');

      const webchat = await get('/api/leads?channel=webchat');
      expect(webchat.body.total).toBe(2);
      expect(webchat.body.items.every((l: Json) => l.channel === 'webchat')).toBe(true);

      const won = await get('/api/leads?status=won&channel=webchat');
      expect(won.body.items.map((l: Json) => l.email)).toEqual(['carla@example.com']);

      const none = await get('/api/leads?status=won&channel=telegram');
      expect(none.body).toEqual({ items: [], total: 0 });

      // Empty parameters mean "no filter".
      expect((await get('/api/leads?email=&status=&channel=')).body.total).toBe(10);
    });

    it('pages with limit and offset, newest first, without overlap', async () => {
      const first = await get('/api/leads?limit=4');
      const second = await get('/api/leads?limit=4&offset=4');
      const last = await get('/api/leads?limit=4&offset=8');
      expect(first.body.items).toHaveLength(4);
      expect(second.body.items).toHaveLength(4);
      expect(last.body.items).toHaveLength(2);
      for (const page of [first, second, last]) expect(page.body.total).toBe(10);
      const ids = [...first.body.items, ...second.body.items, ...last.body.items].map(
        (l: Json) => l.id,
      );
      expect(new Set(ids).size).toBe(10);
      const all = (await get('/api/leads')).body.items.map((l: Json) => l.id);
      expect(ids).toEqual(all);
      expect((await get('/api/leads?offset=50')).body).toEqual({ items: [], total: 10 });
    });

    it('rejects bad parameters with 400 invalid_request', async () => {
      for (const query of [
        'limit=0',
        'limit=201',
        'limit=abc',
        'limit=1.5',
        'offset=-1',
        'status=hot',
        'channel=fax',
      ]) {
        const res = await get(`/api/leads?${query}`);
        expect(res.status, query).toBe(400);
        expect(res.body.error.code).toBe('invalid_request');
      }
      expect((await get('/api/leads?limit=200')).status).toBe(200);
    });
  });

  describe('GET /api/cases', () => {
    const conversationId = new Types.ObjectId();
    beforeAll(async () => {
      await Case.create([
        {
          number: 'CS-000001',
          subject: 'Refund',
          status: 'open',
          conversationId,
          channel: 'webchat',
        },
        { number: 'CS-000002', subject: 'Login', status: 'resolved', conversationId },
        { number: 'CS-000003', subject: 'Other', status: 'open', channel: 'telegram' },
      ]);
    });

    it('filters by status and conversationId', async () => {
      expect((await get('/api/cases')).body.total).toBe(3);
      const open = await get('/api/cases?status=open');
      expect(open.body.items.map((c: Json) => c.number).sort()).toEqual(['CS-000001', 'CS-000003']);
      const ofConversation = await get(`/api/cases?conversationId=${conversationId.toHexString()}`);
      expect(ofConversation.body.total).toBe(2);
      const both = await get(
        `/api/cases?conversationId=${conversationId.toHexString()}&status=resolved`,
      );
      expect(both.body.items).toHaveLength(1);
      expect(both.body.items[0]).toMatchObject({
        number: 'CS-000002',
        status: 'resolved',
        conversationId: conversationId.toHexString(),
      });
      expect((await get('/api/cases?limit=1&offset=2')).body.items).toHaveLength(1);
    });

    it('rejects a bad status, conversation id or page with 400', async () => {
      for (const query of [
        'status=solved',
        'conversationId=123',
        'conversationId=zzzz',
        'limit=500',
      ]) {
        const res = await get(`/api/cases?${query}`);
        expect(res.status, query).toBe(400);
        expect(res.body.error.code).toBe('invalid_request');
      }
    });
  });

  describe('GET /api/messages', () => {
    it('shows failed deliveries with their error, filtered by channel', async () => {
      const { conversationId } = await app.charla.services.ingest.ingest({
        channel: 'twitter',
        platformMessageId: randomUUID(),
        platformUserId: 'x-user-1',
        platformConversationId: 'x-dm-1',
        text: 'hola',
      });
      await eventually(async () =>
        Message.findOne({ conversationId, direction: 'out', status: 'failed' }).lean(),
      );
      await eventually(
        async () =>
          (await Message.countDocuments({
            conversationId,
            direction: 'out',
            status: 'pending',
          })) === 0,
      );
      const failedCount = await Message.countDocuments({ status: 'failed', channel: 'twitter' });

      const res = await get('/api/messages?status=failed&channel=twitter');
      expect(res.status).toBe(200);
      expect(res.body.total).toBe(failedCount);
      expect(res.body.items.length).toBeGreaterThanOrEqual(1);
      for (const m of res.body.items) {
        expect(m).toMatchObject({ status: 'failed', channel: 'twitter', direction: 'out' });
        expect(m.error).toMatch(/blocked/);
        expect(m.conversationId).toBe(conversationId);
      }
      expect((await get('/api/messages?status=failed&channel=webchat')).body.total).toBe(0);
      expect((await get('/api/messages?status=failed&limit=1')).body.items).toHaveLength(1);
    });

    it('rejects bad parameters with 400', async () => {
      for (const query of ['status=lost', 'channel=pigeon', 'direction=up', 'offset=x']) {
        const res = await get(`/api/messages?${query}`);
        expect(res.status, query).toBe(400);
        expect(res.body.error.code).toBe('invalid_request');
      }
    });
  });

  describe('GET /api/conversations/:id', () => {
    it('shows the conversation with its messages, NLU readings and internal notes', async () => {
      const client = webchatClient(app.url);
      const s = await client.createSession('es');
      const posted = await client.post(s, { text: 'hola' });
      const { conversations, inbound, outbound } = await settledSession(s.sessionId);
      const conv = conversations[0]!;
      await markMessage(posted.body.messageId, {
        nlu: { intent: 'greeting', confidence: 0.93, language: 'es' },
      });
      await Message.create({
        conversationId: conv._id,
        contactId: conv.contactId,
        channel: 'webchat',
        direction: 'out',
        author: 'staff',
        text: 'staff note',
        internal: true,
        dedupeKey: `out:note-${randomUUID()}`,
        status: 'sent',
      });

      const res = await get(`/api/conversations/${s.conversationId}`);
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({
        id: s.conversationId,
        channel: 'webchat',
        status: conv.status,
        contactId: conv.contactId.toHexString(),
      });
      const messages = res.body.messages as Json[];
      expect(messages).toHaveLength(inbound.length + outbound.length + 1);
      expect(messages[0]).toMatchObject({
        id: posted.body.messageId,
        direction: 'in',
        text: 'hola',
        nlu: { intent: 'greeting', confidence: 0.93, language: 'es' },
      });
      expect(messages.find((m) => m.text === 'staff note')).toMatchObject({ internal: true });
      const times = messages.map((m) => m.createdAt);
      expect([...times].sort()).toEqual(times);
      expect(res.body.lastMessageAt).toBe(times.at(-1));
    });

    it('answers 404 for an unknown or invalid id', async () => {
      for (const id of [
        new Types.ObjectId().toHexString(),
        'not-an-id',
        '123',
        'zzzzzzzzzzzzzzzzzzzzzzzz',
      ]) {
        const res = await get(`/api/conversations/${id}`);
        expect(res.status, id).toBe(404);
        expect(res.body.error.code).toBe('not_found');
      }
    });
  });

  describe('POST /api/nlu/parse', () => {
    it('returns what the production NLU reads', async () => {
      const res = await post('/api/nlu/parse', JSON.stringify({ text: 'hola' }));
      expect(res.status).toBe(200);
      expect(Object.keys(res.body).sort()).toEqual([
        'confidence',
        'entities',
        'intent',
        'language',
      ]);
      // The API's shape is the four fields above; the engine's ranked candidates (read by the
      // clarify stage) stay inside.
      const { candidates, ...read } = app.charla.services.nlu.parse('hola');
      expect(candidates?.[0]?.intent).toBe(read.intent);
      expect(res.body).toEqual(JSON.parse(JSON.stringify(read)));
      expect(['es', 'en']).toContain(res.body.language);
    });

    it('rejects invalid JSON, missing, empty, non-string and over-long text with 400', async () => {
      expect((await post('/api/nlu/parse', '{"text":')).body.error.code).toBe('invalid_json');
      for (const body of [
        {},
        { text: '' },
        { text: '   ' },
        { text: 3 },
        { text: 'x'.repeat(4001) },
      ]) {
        const res = await post('/api/nlu/parse', JSON.stringify(body));
        expect(res.status, JSON.stringify(body).slice(0, 40)).toBe(400);
        expect(res.body.error.code).toBe('invalid_request');
      }
    });
  });
});
