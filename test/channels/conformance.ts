/**
 * The shared channel adapter conformance suite. Every adapter's test file plugs a harness into
 * `describeChannelConformance`: the harness runs the real channel library against a fake upstream
 * API on 127.0.0.1 and a real Charla (startTestApp), and knows how to deliver a signed platform
 * webhook. The suite then checks what every channel must do, whatever the platform:
 *
 * - inbound text is stored once and a bot reply reaches the fake upstream, addressed to the sender;
 * - unsigned and wrongly signed webhooks get 401/403 and store nothing;
 * - a redelivered platform message is stored and answered once, also when 5 copies of each of 20
 *   first messages arrive concurrently (one contact and one conversation per customer);
 * - a rate-limited send (the platform's 429 with its retry hint) is retried and ends `sent`;
 * - a permanent send failure ends `failed` on the Message, with the error kept for admins.
 *
 * Assertions are about "a bot reply exists for this conversation", never about its wording: the
 * engine decides what to say. Every case uses a fresh platform user, so cases never share a
 * conversation (and never accumulate engine state such as fallbacks).
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChannelId } from '../../src/kernel/contracts/messages.js';
import { ContactIdentity } from '../../src/kernel/db/models/contact.js';
import { Conversation } from '../../src/kernel/db/models/conversation.js';
import { Message } from '../../src/kernel/db/models/message.js';
import { eventually, type TestApp } from '../support/app.js';

/** A bot message as the fake upstream received it. */
export interface SentRecord {
  /** Text the platform would show (buttons excluded). */
  text: string;
  /** Platform address the message went to (chat id, participant id, channel id, ...). */
  to: string;
  /** The request body as received, for channel-specific assertions. */
  raw: unknown;
}

export interface DeliverOptions {
  /** The platform's message id (stable across redeliveries). */
  id: string;
  text: string;
  /** The sender's platform user id; the harness picks one when absent. */
  userId?: string;
  /** Sign the request as the platform would (default true). */
  signed?: boolean;
  /** Send a signature computed with the wrong secret. */
  badSignature?: boolean;
}

export interface ChannelHarness {
  /** The adapter under test. */
  readonly channel: ChannelId;
  /** Starts the fake upstream, then the app (startTestApp) with env pointing at the fake. */
  start(): Promise<void>;
  stop(): Promise<void>;
  /** Posts one platform webhook carrying a text message to the app; resolves with the HTTP status. */
  deliver(opts: DeliverOptions): Promise<{ status: number }>;
  /** Bot messages the fake upstream accepted (failed attempts are not listed). */
  sent(): SentRecord[];
  /**
   * Makes the next `count` (default 1) bot sends fail at the fake: 'rate-limit' answers the
   * platform's 429 with a small retry hint (≤ 1 s), 'permanent' a non-retryable error (403/400).
   * A count of 0 clears any failures still pending.
   */
  failNext(kind: 'rate-limit' | 'permanent', count?: number): void;
  app(): TestApp;
  /** Where replies to `userId` are addressed on the platform, when not the user id itself. */
  recipientFor?(userId: string): string;
  /** The stored platformUserId of `userId`, when the platform's identity is not the id itself (email). */
  identityFor?(userId: string): string;
}

const freshUser = () => `${Date.now() % 1_000_000}${Math.floor(Math.random() * 1e6)}`;
const freshId = () => randomUUID().replace(/-/g, '').slice(0, 16);

export function describeChannelConformance(name: string, createHarness: () => ChannelHarness) {
  describe(`${name}: channel adapter conformance`, () => {
    const h = createHarness();
    const to = (userId: string) => h.recipientFor?.(userId) ?? userId;
    const identity = (userId: string) => h.identityFor?.(userId) ?? userId;
    const conversationOf = (userId: string) =>
      Conversation.findOne({ channel: h.channel, platformUserId: identity(userId) }).lean();
    const sentTo = (userId: string) => h.sent().filter((s) => s.to === to(userId));

    /** Waits until every message of the conversation is settled: inbound processed, outbound sent or failed. */
    async function settled(userId: string) {
      return eventually(async () => {
        const conv = await conversationOf(userId);
        if (!conv) return false;
        const messages = await Message.find({ conversationId: conv._id }).lean();
        const inbound = messages.filter((m) => m.direction === 'in');
        const outbound = messages.filter((m) => m.direction === 'out');
        if (inbound.length === 0 || inbound.some((m) => m.status !== 'processed')) return false;
        if (outbound.length === 0 || outbound.some((m) => m.status === 'pending')) return false;
        return { conv, inbound, outbound };
      });
    }

    /**
     * Waits until this channel has no message the engine has yet to handle and no reply waiting
     * for delivery, so an injected failure hits the next test's reply and no one else's.
     */
    const quiet = () =>
      eventually(async () => {
        const busy = await Message.countDocuments({
          channel: h.channel,
          $or: [
            { direction: 'out', status: 'pending' },
            { direction: 'in', status: 'received' },
          ],
        });
        return busy === 0;
      });

    beforeAll(async () => {
      await h.start();
    });
    afterAll(async () => {
      await h.stop();
    });

    it('turns a signed inbound text into a stored message and a bot reply to the sender', async () => {
      const userId = freshUser();
      const res = await h.deliver({ id: freshId(), text: 'hola', userId });
      expect(res.status).toBe(200);

      const { conv, inbound, outbound } = await settled(userId);
      expect(inbound).toHaveLength(1);
      expect(inbound[0]?.text).toBe('hola');
      expect(inbound[0]?.channel).toBe(h.channel);
      expect(outbound.every((m) => m.status === 'sent')).toBe(true);
      // The sender became a Contact through its platform identity.
      const contactIdentity = await ContactIdentity.findOne({
        channel: h.channel,
        platformUserId: identity(userId),
      }).lean();
      expect(contactIdentity?.contactId.toHexString()).toBe(conv.contactId.toHexString());

      const delivered = await eventually(async () => {
        const s = sentTo(userId);
        return s.length >= outbound.length ? s : false;
      });
      expect(delivered).toHaveLength(outbound.length);
      // Platforms may add to the text (numbered options, split parts): each reply's start is there.
      const deliveredText = delivered.map((d) => d.text).join('\n');
      for (const m of outbound) expect(deliveredText).toContain((m.text ?? '').slice(0, 40));
    });

    it('rejects unsigned and wrongly signed webhooks with 401/403 and stores nothing', async () => {
      const userId = freshUser();
      const unsigned = await h.deliver({ id: freshId(), text: 'hola', userId, signed: false });
      expect([401, 403]).toContain(unsigned.status);
      const forged = await h.deliver({ id: freshId(), text: 'hola', userId, badSignature: true });
      expect([401, 403]).toContain(forged.status);

      expect(await conversationOf(userId)).toBeNull();
      expect(
        await ContactIdentity.countDocuments({
          channel: h.channel,
          platformUserId: identity(userId),
        }),
      ).toBe(0);
      expect(sentTo(userId)).toHaveLength(0);
    });

    it('stores and answers a redelivered platform message once', async () => {
      // A control user sends the same text once: the duplicate user must get exactly as many replies.
      const control = freshUser();
      const dup = freshUser();
      const dupId = freshId();
      expect((await h.deliver({ id: freshId(), text: 'hola', userId: control })).status).toBe(200);
      expect((await h.deliver({ id: dupId, text: 'hola', userId: dup })).status).toBe(200);
      expect((await h.deliver({ id: dupId, text: 'hola', userId: dup })).status).toBe(200);

      const a = await settled(control);
      const b = await settled(dup);
      expect(b.inbound).toHaveLength(1);
      expect(b.outbound).toHaveLength(a.outbound.length);
      await eventually(async () => sentTo(control).length >= a.outbound.length);
      await eventually(async () => sentTo(dup).length >= b.outbound.length);
      expect(sentTo(dup)).toHaveLength(sentTo(control).length);
    });

    it('stores and answers 5 concurrent copies of each of 20 first messages once, one conversation per customer', async () => {
      // Platforms redeliver while the first delivery is still being handled: the copies race
      // through contact, conversation and message creation. A control user sends once.
      const COPIES = 5;
      const control = freshUser();
      expect((await h.deliver({ id: freshId(), text: 'hola', userId: control })).status).toBe(200);
      const baseline = await settled(control);
      const users = Array.from({ length: 20 }, () => freshUser());
      const ids = users.map(() => freshId());
      // A 503 (database busy or away) is answered as platforms do: the same message again, later.
      const deliverLikePlatform = async (opts: DeliverOptions) => {
        for (let attempt = 1; ; attempt++) {
          const res = await h.deliver(opts);
          if (res.status !== 503 || attempt === 30) return res;
          await new Promise((r) => setTimeout(r, 500));
        }
      };
      const deliveries = await Promise.all(
        users.flatMap((userId, i) =>
          Array.from({ length: COPIES }, () =>
            deliverLikePlatform({ id: ids[i]!, text: 'hola', userId }),
          ),
        ),
      );
      expect(deliveries.map((d) => d.status)).toEqual(deliveries.map(() => 200));

      for (const userId of users) {
        const { inbound, outbound } = await settled(userId);
        expect(inbound).toHaveLength(1);
        expect(outbound).toHaveLength(baseline.outbound.length);
        expect(
          await Conversation.countDocuments({
            channel: h.channel,
            platformUserId: identity(userId),
          }),
        ).toBe(1);
        expect(
          await ContactIdentity.countDocuments({
            channel: h.channel,
            platformUserId: identity(userId),
          }),
        ).toBe(1);
      }
      await eventually(async () =>
        users.every((u) => sentTo(u).length >= baseline.outbound.length),
      );
      for (const userId of users) expect(sentTo(userId)).toHaveLength(sentTo(control).length);
    }, 120_000);

    it('retries a rate-limited send (429 with retry hint) until it is sent', async () => {
      const userId = freshUser();
      await quiet();
      h.failNext('rate-limit', 1);
      expect((await h.deliver({ id: freshId(), text: 'hola', userId })).status).toBe(200);

      const { outbound } = await settled(userId);
      expect(outbound.every((m) => m.status === 'sent')).toBe(true);
      // The first attempt was refused, so the send succeeded on a later attempt.
      expect(Math.max(...outbound.map((m) => m.attempts ?? 0))).toBeGreaterThanOrEqual(2);
      await eventually(async () => sentTo(userId).length >= outbound.length);
    });

    it('marks a permanently failing send as failed, with the error kept', async () => {
      const userId = freshUser();
      await quiet();
      h.failNext('permanent', 100);
      try {
        expect((await h.deliver({ id: freshId(), text: 'hola', userId })).status).toBe(200);
        const { outbound } = await settled(userId);
        const failed = outbound.filter((m) => m.status === 'failed');
        expect(failed.length).toBeGreaterThanOrEqual(1);
        for (const m of failed) expect(m.error ?? '').not.toBe('');
        expect(sentTo(userId)).toHaveLength(0);
      } finally {
        h.failNext('permanent', 0);
      }
    });
  });
}
