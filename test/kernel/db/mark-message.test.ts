/**
 * A delivery attempt that ends after a bounce already marked its message failed must not
 * overwrite the bounce's status and reason (src/pipeline/queues/outbound.ts marks retries and
 * final failures only while the message is still pending). Real database.
 */
import { Types } from 'mongoose';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { markMessage, storeOutbound } from '../../../src/kernel/db/messages.js';
import { Message } from '../../../src/kernel/db/models/message.js';
import { startTestApp, type TestApp } from '../../support/app.js';

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp();
});
afterAll(async () => {
  await app?.stop();
});

const reply = () =>
  storeOutbound({
    conversationId: new Types.ObjectId(),
    contactId: new Types.ObjectId(),
    channel: 'email',
    author: 'bot',
    text: 'Abrimos de 9 a 18.',
  });

it('leaves a message a bounce failed as it is when the attempt ends later', async () => {
  const message = await reply();
  await markMessage(message._id, { status: 'failed', error: '550 5.1.1 user unknown' });
  await markMessage(message._id, { attempts: 2, error: '451 4.7.0 Try again later' }, 'pending');
  const stored = (await Message.findById(message._id).lean())!;
  expect(stored.status).toBe('failed');
  expect(stored.error).toBe('550 5.1.1 user unknown');
});

it('records the attempt on a message still pending', async () => {
  const message = await reply();
  await markMessage(message._id, { attempts: 2, error: '451 4.7.0 Try again later' }, 'pending');
  const stored = (await Message.findById(message._id).lean())!;
  expect(stored.status).toBe('pending');
  expect(stored.attempts).toBe(2);
  expect(stored.error).toContain('451');
});
