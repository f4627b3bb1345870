/**
 * Exactly once under concurrent redelivery on web chat (issue 12 item 4): the widget retries a
 * post with the same clientMessageId; 5 copies of each of 20 visitors' messages arriving at once
 * are stored once and answered once, in the visitor's one conversation.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Conversation } from '../../../src/kernel/db/models/conversation.js';
import { startTestApp, type TestApp } from '../../support/app.js';
import { settledSession, webchatClient, type Session } from './client.js';

const COPIES = 5;
const VISITORS = 20;

describe('web chat: concurrent copies of one message', () => {
  let app: TestApp;
  let client: ReturnType<typeof webchatClient>;

  beforeAll(async () => {
    app = await startTestApp({
      WEBCHAT_SESSIONS_PER_MINUTE: '1000',
      WEBCHAT_MESSAGES_PER_MINUTE: '1000',
    });
    client = webchatClient(app.url);
  });
  afterAll(async () => app?.stop());

  /** As the widget does: the same clientMessageId again after a 503 (database busy or away). */
  async function postLikeWidget(s: Session, body: { text: string; clientMessageId: string }) {
    for (let attempt = 1; ; attempt++) {
      const res = await client.post(s, body);
      if (res.status !== 503 || attempt === 30) return res;
      await new Promise((r) => setTimeout(r, 500));
    }
  }

  it(`stores and answers ${COPIES} concurrent copies of each of ${VISITORS} messages once`, async () => {
    const control = await client.createSession('es');
    expect(
      (await postLikeWidget(control, { text: 'hola', clientMessageId: randomUUID() })).status,
    ).toBe(202);
    const baseline = await settledSession(control.sessionId);

    const sessions: Session[] = [];
    for (let i = 0; i < VISITORS; i++) sessions.push(await client.createSession('es'));
    const posts = await Promise.all(
      sessions.flatMap((s) => {
        const body = { text: 'hola', clientMessageId: randomUUID() };
        return Array.from({ length: COPIES }, () => postLikeWidget(s, body));
      }),
    );
    expect(posts.map((p) => p.status)).toEqual(posts.map(() => 202));
    // Every copy is told the id of the one stored message.
    for (let i = 0; i < VISITORS; i++) {
      const ids = posts.slice(i * COPIES, (i + 1) * COPIES).map((p) => p.body.messageId);
      expect(new Set(ids).size).toBe(1);
    }

    for (const s of sessions) {
      const { conversations, inbound, outbound } = await settledSession(s.sessionId);
      expect(conversations).toHaveLength(1);
      expect(inbound).toHaveLength(1);
      expect(outbound).toHaveLength(baseline.outbound.length);
      expect(outbound.every((m) => m.status === 'sent')).toBe(true);
    }
    expect(
      await Conversation.countDocuments({
        channel: 'webchat',
        platformConversationId: { $in: sessions.map((s) => s.sessionId) },
      }),
    ).toBe(VISITORS);
  }, 120_000);
});
