/**
 * Telegram renders markup only when asked (parse_mode). Charla never asks: replies, which may
 * repeat what a customer typed, arrive exactly as written, HTML and Markdown characters included.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { conversationOf, eventually } from '../../support/app.js';
import { telegramHarness } from './harness.js';

const h = telegramHarness();

beforeAll(async () => {
  await h.start();
});
afterAll(async () => {
  await h.stop();
});

it('sends replies as plain text, without parse_mode', async () => {
  const userId = '820001';
  expect((await h.deliver({ id: 'plain-1', text: 'hola', userId })).status).toBe(200);
  const conv = await conversationOf('telegram', { platformUserId: userId });
  const hostile = 'Gracias, <b>Ana</b> *[Verify](https://evil.example)* _x_ `y` &amp;';
  await h.app().charla.services.outbox.send(conv, [{ text: hostile }]);
  const call = await eventually(async () =>
    h.fake().sent.find((c) => c.method === 'sendMessage' && c.body.text === hostile),
  );
  expect(call.body).not.toHaveProperty('parse_mode');
  expect(h.fake().sent.every((c) => c.body.parse_mode === undefined)).toBe(true);
});
