/**
 * The CRC signing oracle: the CRC answer and the webhook signature share key and format, so an
 * endpoint that signs any crc_token signs forged DM bodies too. Replays the attack.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Conversation } from '../../../src/kernel/db/models/conversation.js';
import { Message } from '../../../src/kernel/db/models/message.js';
import { CRC_TOKEN_PATTERN, validSignature } from '../../../channels/twitter/webhook.js';
import { activity, CREDS, dmEvent, sign, twitterHarness } from './harness.js';

const h = twitterHarness();

beforeAll(async () => {
  await h.start();
});
afterAll(async () => {
  await h.stop();
});

const crc = (token: string) =>
  fetch(`${h.app().url}/webhooks/twitter?crc_token=${encodeURIComponent(token)}`);

async function responseToken(token: string): Promise<string | undefined> {
  const res = await crc(token);
  if (res.status !== 200) return undefined;
  return ((await res.json()) as { response_token: string }).response_token;
}

describe('x CRC endpoint is no signing oracle', () => {
  const victim = '7770001';
  const forged = JSON.stringify(
    activity([dmEvent({ id: 'forged-1', text: 'forged hola', senderId: victim })], victim),
  );

  it('refuses a DM event JSON as crc_token with a 400 and no response_token', async () => {
    const res = await crc(forged);
    expect(res.status).toBe(400);
    const body = (await res.json()) as Record<string, unknown>;
    expect(body).toEqual({ error: { code: 'invalid_crc_token', message: expect.any(String) } });
    expect(body).not.toHaveProperty('response_token');
  });

  it('refuses tokens that are too long or carry characters X never sends', async () => {
    for (const token of ['a'.repeat(129), 'abc def', '{"a":1}', 'tok\n', 'ñandú']) {
      expect((await crc(token)).status, token).toBe(400);
    }
    expect((await crc('a'.repeat(128))).status).toBe(200);
    expect((await crc('NjAyOTgyMTMxMjAyMDQ4ODk2-_+/=')).status).toBe(200);
  });

  it('accepts no POST signed with a CRC-derived value, and stores nothing', async () => {
    const candidates = [
      forged,
      Buffer.from(forged).toString('base64'),
      Buffer.from(forged).toString('base64url'),
      forged.replace(/[^A-Za-z0-9]/g, ''),
      'forged-1',
    ];
    const signatures = new Set<string>();
    for (const token of candidates) {
      const t = await responseToken(token);
      if (t) signatures.add(t);
    }
    // A few tokens are of X's form and get signed, but none of those signatures is the body's.
    expect(signatures.size).toBeGreaterThan(0);
    expect(signatures.has(sign(forged))).toBe(false);
    for (const signature of signatures) {
      const res = await h.post(forged, signature);
      expect(res.status).toBe(403);
      expect(res.body).toMatchObject({ error: { code: 'forbidden' } });
    }
    expect(await Message.countDocuments({ platformMessageId: 'forged-1' })).toBe(0);
    expect(await Message.countDocuments({ text: 'forged hola' })).toBe(0);
    expect(await Conversation.countDocuments({ channel: 'twitter', platformUserId: victim })).toBe(
      0,
    );
  });

  it('still accepts a genuinely signed delivery', async () => {
    const userId = '7770002';
    const body = activity([dmEvent({ id: 'real-1', text: 'hola', senderId: userId })], userId);
    const res = await h.post(body, 'valid');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ result: 'stored', stored: 1 });
  });
});

describe('x webhook signature check', () => {
  const body = '{"for_user_id":"1"}';
  const good = sign(body);

  it('accepts exactly sha256=<base64 HMAC-SHA256 of the raw body>', () => {
    expect(validSignature(CREDS.consumerSecret, body, good)).toBe(true);
  });

  it('rejects other secrets, bodies, prefixes, encodings and truncations', () => {
    const hex = `sha256=${Buffer.from(good.slice(7), 'base64').toString('hex')}`;
    for (const header of [
      sign(body, 'other-secret'),
      sign(`${body} `),
      good.replace('sha256=', 'SHA256='),
      good.replace('sha256=', ''),
      hex,
      good.slice(0, -1),
      `${good}=`,
      `${good} `,
      '',
    ]) {
      expect(validSignature(CREDS.consumerSecret, body, header), header).toBe(false);
    }
    expect(CRC_TOKEN_PATTERN.test(body)).toBe(false);
  });
});
