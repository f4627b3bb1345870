/**
 * The console's conversation list and page against a real Charla (FerretDB, Redis, the real
 * engine and web chat): customers write, the engine answers, and the list/detail routes show
 * what the console needs — filters, newest activity first, the NLU reading of each message,
 * the escalation timeline — to every reading role; the live stream pushes a new message.
 */
import { WebSocket } from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { webchatClient, settledSession, type Session } from '../../channels/webchat/client.js';
import { asAdminToken, call, staffWithRole, type Staff } from '../auth/staff-client.js';
import { ADMIN_TOKEN, eventually, startTestApp, type TestApp } from '../../support/app.js';

type Json = any; // eslint-disable-line @typescript-eslint/no-explicit-any

describe('console conversations API', () => {
  let app: TestApp;
  let web: ReturnType<typeof webchatClient>;
  let agent: Staff;
  let marketer: Staff;
  let viewer: Staff;
  let spanish: Session;
  let english: Session;

  const list = async (query = '', who: Staff | 'admin' = 'admin') => {
    const res =
      who === 'admin'
        ? await call(app, 'GET', `/api/conversations${query}`, { headers: asAdminToken })
        : await who.call('GET', `/api/conversations${query}`);
    return res;
  };
  const ids = (res: { body: Json }) => (res.body.items as Json[]).map((i) => i.id);

  beforeAll(async () => {
    app = await startTestApp();
    web = webchatClient(app.url);
    [agent, marketer, viewer] = await Promise.all([
      staffWithRole(app, 'agent'),
      staffWithRole(app, 'marketer'),
      staffWithRole(app, 'viewer'),
    ]);
    spanish = await web.createSession('es');
    await web.post(spanish, { text: 'quiero hablar con una persona' });
    await eventually(async () => {
      const res = await list(`?status=queued`);
      return res.body.items?.length === 1;
    });
    english = await web.createSession('en');
    await web.post(english, { text: 'how much does it cost?' });
    await settledSession(english.sessionId);
  });
  afterAll(() => app?.stop());

  it('lists conversations newest activity first with the customer last message and intent', async () => {
    const res = await list();
    expect(res.status).toBe(200);
    expect(res.body.total).toBe(2);
    expect(ids(res)).toEqual([english.conversationId, spanish.conversationId]);
    const [en, es] = res.body.items as Json[];
    expect(en).toMatchObject({
      channel: 'webchat',
      status: 'bot',
      locale: 'en',
      lastMessageText: 'how much does it cost?',
      lastIntent: 'pricing',
      assignee: null,
      escalation: null,
    });
    expect(en.contact.id).toMatch(/^[0-9a-f]{24}$/);
    expect(Date.parse(en.lastMessageAt)).toBeGreaterThan(Date.parse(es.lastMessageAt));
    expect(es).toMatchObject({
      status: 'queued',
      locale: 'es',
      lastIntent: 'human_agent',
      escalation: { reason: 'customer_request' },
    });
    expect(Date.parse(es.escalation.queuedAt)).toBeGreaterThan(0);
  });

  it('filters by status, language, intent, channel, date and free text', async () => {
    expect(ids(await list('?status=queued'))).toEqual([spanish.conversationId]);
    expect(ids(await list('?status=bot&language=en'))).toEqual([english.conversationId]);
    expect(ids(await list('?language=es'))).toEqual([spanish.conversationId]);
    expect(ids(await list('?intent=pricing'))).toEqual([english.conversationId]);
    expect(ids(await list('?intent=human_agent'))).toEqual([spanish.conversationId]);
    expect((await list('?channel=telegram')).body).toEqual({ items: [], total: 0 });
    expect(ids(await list('?q=COST'))).toEqual([english.conversationId]);
    expect(ids(await list('?q=persona'))).toEqual([spanish.conversationId]);
    // A regex metacharacter is matched literally, not as a pattern.
    expect((await list('?q=.*')).body.total).toBe(0);
    const future = new Date(Date.now() + 3_600_000).toISOString();
    const past = new Date(Date.now() - 3_600_000).toISOString();
    expect((await list(`?from=${future}`)).body.total).toBe(0);
    expect((await list(`?from=${past}&to=${future}`)).body.total).toBe(2);
    // Empty fields (a form submitted as is) mean "no filter".
    expect((await list('?status=&language=&q=')).body.total).toBe(2);
  });

  it('pages with limit and offset and keeps the total', async () => {
    const first = await list('?limit=1');
    const second = await list('?limit=1&offset=1');
    expect(first.body.total).toBe(2);
    expect([...ids(first), ...ids(second)]).toEqual([
      english.conversationId,
      spanish.conversationId,
    ]);
  });

  it('keeps the last message of a queued conversation current while staff have it', async () => {
    await web.post(spanish, { text: '¿hay alguien ahí?' });
    const item = await eventually(async () => {
      const res = await list('?status=queued');
      const found = (res.body.items as Json[]).find((i) => i.id === spanish.conversationId);
      return found?.lastMessageText === '¿hay alguien ahí?' ? found : undefined;
    });
    // The relayed message is not read by the bot: no new intent, still waiting for a person.
    expect(item).toMatchObject({ status: 'queued', lastIntent: 'human_agent' });
    expect(ids(await list())[0]).toBe(spanish.conversationId);
  });

  it('refuses bad filters with 400 invalid_request naming the field', async () => {
    for (const [query, field] of [
      ['?status=open', 'status'],
      ['?channel=fax', 'channel'],
      ['?language=fr', 'language'],
      ['?from=yesterday', 'from'],
      ['?limit=0', 'limit'],
      ['?limit=500', 'limit'],
      ['?offset=-1', 'offset'],
    ] as const) {
      const res = await list(query);
      expect(res.status, query).toBe(400);
      expect(res.body.error.code).toBe('invalid_request');
      expect(res.body.error.message, query).toContain(field);
    }
  });

  it('shows a conversation with each inbound NLU reading, the escalation timeline and the contact', async () => {
    const res = await call(app, 'GET', `/api/conversations/${spanish.conversationId}`, {
      headers: asAdminToken,
    });
    expect(res.status).toBe(200);
    const c = res.body;
    expect(c).toMatchObject({
      id: spanish.conversationId,
      status: 'queued',
      locale: 'es',
      lastIntent: 'human_agent',
      intentsSeen: ['human_agent'],
      escalation: { reason: 'customer_request', afterHours: false, assignedAt: null },
    });
    expect(c.contact.id).toBe(c.contactId);
    expect(c.contact.channels).toEqual(['webchat']);
    expect(c.statusHistory.map((h: Json) => h.status)).toEqual(['bot', 'queued']);
    expect(c.statusHistory[1].reason).toBe('customer_request');
    const inbound = (c.messages as Json[]).filter((m) => m.direction === 'in');
    expect(inbound.map((m) => m.text)).toEqual([
      'quiero hablar con una persona',
      '¿hay alguien ahí?',
    ]);
    expect(inbound[0].nlu.intent).toBe('human_agent');
    expect(inbound[0].nlu.language).toBe('es');
    expect(inbound[0].nlu.confidence).toBeGreaterThan(0);
    // Relayed to staff while queued: the bot did not read it.
    expect(inbound[1].nlu).toBeUndefined();
    expect((c.messages as Json[]).some((m) => m.direction === 'out')).toBe(true);
  });

  it('answers 404 for an unknown conversation or a malformed id', async () => {
    const unknown = await call(app, 'GET', `/api/conversations/${'a'.repeat(24)}`, {
      headers: asAdminToken,
    });
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.code).toBe('not_found');
    const malformed = await call(app, 'GET', '/api/conversations/nope', { headers: asAdminToken });
    expect(malformed.status).toBe(404);
    expect(malformed.body.error.code).toBe('not_found');
  });

  it('lets agents, marketers and viewers read; nobody signed in gets 401', async () => {
    for (const who of [agent, marketer, viewer]) {
      expect((await list('', who)).body.total, who.user.role).toBe(2);
      const one = await who.call('GET', `/api/conversations/${english.conversationId}`);
      expect(one.status, who.user.role).toBe(200);
    }
    expect((await call(app, 'GET', '/api/conversations')).status).toBe(401);
    expect((await call(app, 'GET', `/api/conversations/${english.conversationId}`)).status).toBe(
      401,
    );
  });

  it('declares the routes in the OpenAPI document', async () => {
    const res = await call(app, 'GET', '/api/openapi.json');
    expect(res.status).toBe(200);
    const paths = res.body.paths as Record<string, Record<string, Json>>;
    expect(Object.keys(paths['/api/conversations']!)).toContain('get');
    const params = (paths['/api/conversations']!.get.parameters as Json[]).map((p) => p.name);
    expect(params).toEqual(
      expect.arrayContaining(['channel', 'status', 'language', 'intent', 'q']),
    );
    for (const action of ['claim', 'reply', 'close', 'note']) {
      expect(paths[`/api/conversations/{id}/${action}`]?.post, action).toBeDefined();
    }
  });

  describe('live stream', () => {
    interface Opened {
      socket: WebSocket;
      events: Json[];
      closed: Promise<number>;
    }
    const open = (query: string, headers: Record<string, string> = {}): Promise<Opened> =>
      new Promise((resolve, reject) => {
        const socket = new WebSocket(`${app.url.replace('http', 'ws')}/api/stream${query}`, {
          headers,
        });
        const events: Json[] = [];
        const closed = new Promise<number>((r) => socket.on('close', (code) => r(code)));
        socket.on('message', (raw) => events.push(JSON.parse(String(raw))));
        socket.on('open', () => resolve({ socket, events, closed }));
        socket.on('error', reject);
      });

    it('pushes a new inbound message to a socket opened with the bearer token', async () => {
      const s = await open(`?token=${ADMIN_TOKEN}`);
      try {
        await eventually(async () => s.events.some((e) => e.type === 'hello'));
        await web.post(english, { text: 'do you have a discount?' });
        const event = await eventually(async () =>
          s.events.find((e) => e.type === 'message.created' && e.direction === 'in'),
        );
        expect(event).toMatchObject({
          conversationId: english.conversationId,
          author: 'customer',
          channel: 'webchat',
          internal: false,
          preview: 'do you have a discount?',
        });
        // The bot's answer follows as an outbound message of the same conversation.
        await eventually(async () =>
          s.events.find(
            (e) =>
              e.type === 'message.created' &&
              e.direction === 'out' &&
              e.conversationId === english.conversationId,
          ),
        );
      } finally {
        s.socket.close();
      }
    });

    it('accepts the session cookie of a signed-in viewer on a page of this server', async () => {
      const s = await open('', { cookie: viewer.cookie, origin: app.url });
      try {
        await eventually(async () => s.events.some((e) => e.type === 'hello'));
      } finally {
        s.socket.close();
      }
    });

    it('closes with 4401 without a valid credential and 4403 for a cookie from a foreign page', async () => {
      const anonymous = await open('');
      expect(await anonymous.closed).toBe(4401);
      const badToken = await open('?token=wrong');
      expect(await badToken.closed).toBe(4401);
      const foreign = await open('', { cookie: viewer.cookie, origin: 'https://evil.example' });
      expect(await foreign.closed).toBe(4403);
      expect(foreign.events).toEqual([]);
    });
  });
});
