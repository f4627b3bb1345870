/**
 * The web chat WebSocket stream against a real Charla: it pushes the same objects GET /messages
 * lists (bot replies, staff replies), never internal notes, and refuses bad tokens and unknown
 * sessions with close codes 4401/4404.
 */
import { randomUUID } from 'node:crypto';
import { Types } from 'mongoose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { enqueueOutbound } from '../../../src/pipeline/queues/outbound.js';
import { findConversation } from '../../../src/kernel/db/conversations.js';
import { Message } from '../../../src/kernel/db/models/message.js';
import { eventually, startTestApp, type TestApp } from '../../support/app.js';
import { settledSession, webchatClient, type MessageItem, type Session } from './client.js';

interface Stream {
  received: MessageItem[];
  socket: WebSocket;
  closed: Promise<{ code: number; reason: string }>;
}

describe('web chat stream', () => {
  let app: TestApp;
  let client: ReturnType<typeof webchatClient>;
  const open: WebSocket[] = [];

  beforeAll(async () => {
    app = await startTestApp();
    client = webchatClient(app.url);
  });
  afterAll(async () => {
    for (const s of open) s.terminate();
    await app?.stop();
  });

  function connect(sessionId: string, token?: string): Stream {
    const base = app.url.replace(/^http/, 'ws');
    const query = token === undefined ? '' : `?token=${encodeURIComponent(token)}`;
    const socket = new WebSocket(`${base}/api/webchat/sessions/${sessionId}/stream${query}`);
    open.push(socket);
    const received: MessageItem[] = [];
    socket.on('message', (data) => received.push(JSON.parse(String(data))));
    const closed = new Promise<{ code: number; reason: string }>((resolve) =>
      socket.on('close', (code, reason) => resolve({ code, reason: String(reason) })),
    );
    return { received, socket, closed };
  }

  const opened = (s: Stream) =>
    new Promise<void>((resolve, reject) => {
      s.socket.once('open', () => resolve());
      s.socket.once('error', reject);
    });

  /** Items of GET /messages by id. */
  async function listed(s: Session) {
    const res = await client.list(s);
    return new Map<string, MessageItem>((res.body.messages as MessageItem[]).map((m) => [m.id, m]));
  }

  it('pushes the bot replies shaped exactly like the GET items', async () => {
    const s = await client.createSession('es');
    const stream = connect(s.sessionId, s.token);
    await opened(stream);
    const posted = await client.post(s, { text: 'hola' });
    expect(posted.status).toBe(202);

    const { outbound } = await settledSession(s.sessionId);
    const replyIds = outbound.map((m) => m._id.toHexString());
    await eventually(async () => replyIds.every((id) => stream.received.some((m) => m.id === id)));
    const byId = await listed(s);
    for (const id of replyIds) {
      const pushed = stream.received.find((m) => m.id === id);
      expect(pushed).toEqual(byId.get(id));
      expect(pushed?.direction).toBe('out');
    }
    // The visitor's own message is pushed too (other tabs of the same visitor see it).
    const own = stream.received.find((m) => m.id === posted.body.messageId);
    expect(own).toEqual(byId.get(posted.body.messageId));
  });

  it('replays the history on connect, so a reconnecting client misses nothing', async () => {
    const s = await client.createSession();
    await client.post(s, { text: 'hola' });
    const { messages } = await settledSession(s.sessionId);
    const stream = connect(s.sessionId, s.token);
    await eventually(async () => stream.received.length >= messages.length);
    expect(stream.received.map((m) => m.id)).toEqual(messages.map((m) => m._id.toHexString()));
    expect(stream.received).toEqual([...(await listed(s)).values()]);
  });

  it('pushes staff replies and never internal notes', async () => {
    const s = await client.createSession();
    const stream = connect(s.sessionId, s.token);
    await opened(stream);
    const conversation = (await findConversation(s.conversationId))!;
    const outbox = app.charla.services.outbox;
    // An internal note that reaches the outbound queue anyway: the adapter must not push it.
    const note = await Message.create({
      _id: new Types.ObjectId(),
      conversationId: conversation._id,
      contactId: conversation.contactId,
      channel: 'webchat',
      direction: 'out',
      author: 'staff',
      text: 'staff-only note',
      internal: true,
      dedupeKey: `out:note-${randomUUID()}`,
      status: 'pending',
    });
    await enqueueOutbound(app.charla.services.queues.outbound, String(note.conversationId), [
      note._id.toHexString(),
    ]);
    const [reply] = await outbox.send(conversation, [{ text: 'Hola, soy Marta' }], {
      kind: 'staff',
      staff: { id: 'U1', name: 'Marta' },
    });
    const pushed = await eventually(async () =>
      stream.received.find((m) => m.id === reply!._id.toHexString()),
    );
    expect(pushed).toMatchObject({ direction: 'out', author: 'staff', text: 'Hola, soy Marta' });
    expect(pushed).not.toHaveProperty('staff');
    await eventually(async () => {
      const m = await Message.findById(note._id).lean();
      return m?.status !== 'pending';
    });
    expect(stream.received.some((m) => m.text === 'staff-only note')).toBe(false);
    expect([...(await listed(s)).values()].some((m) => m.text === 'staff-only note')).toBe(false);
  });

  it('closes with 4401 for a missing or wrong token and 4404 for an unknown session', async () => {
    const s = await client.createSession();
    const other = await client.createSession();
    expect((await connect(s.sessionId).closed).code).toBe(4401);
    expect((await connect(s.sessionId, 'wrong').closed).code).toBe(4401);
    expect((await connect(s.sessionId, other.token).closed).code).toBe(4401);
    expect((await connect('AAAAAAAAAAAAAAAAAAAAAA', s.token).closed).code).toBe(4404);
    // The server keeps serving.
    const ok = connect(s.sessionId, s.token);
    await opened(ok);
    expect((await client.post(s, { text: 'hola' })).status).toBe(202);
  });

  it('does not push one session’s messages to another', async () => {
    const a = await client.createSession();
    const b = await client.createSession();
    const streamB = connect(b.sessionId, b.token);
    await opened(streamB);
    await client.post(a, { text: 'hola' });
    await settledSession(a.sessionId);
    await client.post(b, { text: 'hola' });
    const settledB = await settledSession(b.sessionId);
    const idsB = new Set(settledB.messages.map((m) => m._id.toHexString()));
    await eventually(async () => streamB.received.length >= idsB.size);
    expect(streamB.received.every((m) => idsB.has(m.id))).toBe(true);
  });
});
