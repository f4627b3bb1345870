/**
 * RETENTION_DAYS: texts of messages older than N days are deleted (metadata kept), by the
 * function with a controllable clock and by the nightly job of a real app.
 */
import { Types } from 'mongoose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  RETENTION_PATTERN,
  RETENTION_QUEUE,
} from '../../../../src/features/contacts/privacy/retention-job.js';
import { purgeOldMessageTexts } from '../../../../src/features/contacts/privacy/retention.js';
import { InstallQueue } from '../../../../src/kernel/redis/install-scope.js';
import { Message } from '../../../../src/kernel/db/models/message.js';
import { eventually, startTestApp, type TestApp } from '../../../support/app.js';

const DAY = 24 * 3600 * 1000;

async function seedMessage(createdAt: Date, text: string) {
  const _id = new Types.ObjectId();
  await Message.collection.insertOne({
    _id,
    conversationId: new Types.ObjectId(),
    contactId: new Types.ObjectId(),
    channel: 'telegram',
    direction: 'in',
    author: 'customer',
    text,
    attachments: [{ kind: 'image', url: 'https://example.com/photo.jpg' }],
    dedupeKey: `telegram:retention-${String(_id)}`,
    status: 'processed',
    nlu: { intent: 'greeting', confidence: 0.9, language: 'es' },
    sentiment: 0.4,
    createdAt,
    updatedAt: createdAt,
  });
  return _id;
}

describe('retention of message texts', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp({ RETENTION_DAYS: '30' });
  });
  afterAll(async () => app?.stop());

  it('deletes texts and attachments older than the cutoff, keeping metadata and newer texts', async () => {
    const now = new Date('2031-06-30T12:00:00Z');
    const old = await seedMessage(new Date(now.getTime() - 31 * DAY), 'me llamo Lucía Prieto');
    const recent = await seedMessage(new Date(now.getTime() - 29 * DAY), 'hola de nuevo');

    const result = await purgeOldMessageTexts(30, () => now);
    expect(result.cutoff).toEqual(new Date(now.getTime() - 30 * DAY));
    expect(result.messages).toBeGreaterThanOrEqual(1);

    const purged = await Message.findById(old).lean();
    expect(purged?.text).toBe('');
    expect(purged?.attachments).toBeUndefined();
    expect(purged).toMatchObject({
      channel: 'telegram',
      direction: 'in',
      status: 'processed',
      nlu: { intent: 'greeting' },
      // The sentiment score is a number, not personal text: analytics keeps it.
      sentiment: 0.4,
    });
    const kept = await Message.findById(recent).lean();
    expect(kept?.text).toBe('hola de nuevo');
    expect(kept?.attachments).toHaveLength(1);

    // Run again: nothing left to change for that cutoff.
    const again = await purgeOldMessageTexts(30, () => now);
    expect(await Message.findById(recent).lean()).toMatchObject({ text: 'hola de nuevo' });
    expect(again.messages).toBe(0);
  });

  it('the app schedules a nightly job, and the job purges with the configured RETENTION_DAYS', async () => {
    const { redis, config, installId } = app.charla.services;
    const queue = new InstallQueue<object>(RETENTION_QUEUE, {
      installId,
      connection: redis,
      prefix: config.queuePrefix,
    });
    try {
      const schedulers = await queue.getJobSchedulers();
      expect(schedulers.map((s) => s.pattern)).toEqual([RETENTION_PATTERN]);

      const old = await seedMessage(new Date(Date.now() - 40 * DAY), 'mi correo es x@example.com');
      const fresh = await seedMessage(new Date(Date.now() - 2 * DAY), 'gracias');
      await queue.add('purge-texts', {});
      await eventually(async () => (await Message.findById(old).lean())?.text === '');
      expect((await Message.findById(fresh).lean())?.text).toBe('gracias');
    } finally {
      await queue.close();
    }
  });
});
