/**
 * One open conversation per customer and channel (issue 12 item 4), against the real database:
 * racing first messages, a claimer that crashed between its two writes, close and reopen, and the
 * backfill of conversations opened before open keys existed.
 */
import { randomUUID } from 'node:crypto';
import { Types } from 'mongoose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  backfillOpenConversationKeys,
  closeConversation,
  openConversation,
  openKeyOf,
  type OpenConversationInput,
} from '../../../src/kernel/db/conversations.js';
import { resolveContactId } from '../../../src/kernel/db/contacts.js';
import { ContactIdentity, Contact } from '../../../src/kernel/db/models/contact.js';
import { Conversation } from '../../../src/kernel/db/models/conversation.js';
import { OpenConversation } from '../../../src/kernel/db/models/open-conversation.js';
import { Setting } from '../../../src/kernel/db/models/setting.js';
import { startTestApp, type TestApp } from '../../support/app.js';

const input = (platformConversationId: string): OpenConversationInput => ({
  channel: 'telegram',
  platformConversationId,
  platformUserId: platformConversationId,
  contactId: new Types.ObjectId(),
  locale: 'es',
});

describe('open conversations', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp();
  });
  afterAll(async () => {
    await app?.stop();
  });

  it('opens exactly one conversation when 10 first messages race', async () => {
    const pcid = `race-${randomUUID()}`;
    const opened = await Promise.all(
      Array.from({ length: 10 }, () => openConversation(input(pcid))),
    );
    expect(new Set(opened.map((c) => c._id.toHexString())).size).toBe(1);
    expect(
      await Conversation.countDocuments({ channel: 'telegram', platformConversationId: pcid }),
    ).toBe(1);
    const key = await OpenConversation.findById(openKeyOf('telegram', pcid)).lean();
    expect(key?.conversationId.toHexString()).toBe(opened[0]!._id.toHexString());
  });

  it('creates one contact per identity when first messages race', async () => {
    const user = `user-${randomUUID()}`;
    const ids = await Promise.all(
      Array.from({ length: 10 }, () => resolveContactId('telegram', user, { displayName: 'Ana' })),
    );
    expect(new Set(ids.map(String)).size).toBe(1);
    expect(await ContactIdentity.countDocuments({ key: `telegram:${user}` })).toBe(1);
    // The losers' contacts are discarded: one contact holds the identity.
    expect(await Contact.countDocuments({ 'identities.platformUserId': user })).toBe(1);
  });

  it('completes the conversation of a claimer that crashed after claiming the key', async () => {
    const pcid = `crashed-${randomUUID()}`;
    const conversationId = new Types.ObjectId();
    await OpenConversation.create({ _id: openKeyOf('telegram', pcid), conversationId });
    const opened = await openConversation(input(pcid));
    expect(opened._id.toHexString()).toBe(conversationId.toHexString());
    expect(opened.status).toBe('bot');
  });

  it('after a close, the next message opens a new conversation, once', async () => {
    const pcid = `close-${randomUUID()}`;
    const first = await openConversation(input(pcid));
    expect(await closeConversation(first._id, { by: 'admin', reason: 'done' })).toBe(true);
    expect(await closeConversation(first._id)).toBe(false);
    const closed = await Conversation.findById(first._id).lean();
    expect(closed?.status).toBe('closed');
    expect(await OpenConversation.findById(openKeyOf('telegram', pcid)).lean()).toBeNull();

    const next = await Promise.all(Array.from({ length: 5 }, () => openConversation(input(pcid))));
    expect(new Set(next.map((c) => c._id.toHexString())).size).toBe(1);
    expect(next[0]!._id.equals(first._id)).toBe(false);
    expect(next[0]!.status).toBe('bot');
  });

  it('a close that crashed before releasing the key does not trap the customer', async () => {
    const pcid = `half-closed-${randomUUID()}`;
    const first = await openConversation(input(pcid));
    // The first write of closeConversation only, as if the process died before the second.
    await Conversation.updateOne({ _id: first._id }, { $set: { status: 'closed' } });
    const next = await openConversation(input(pcid));
    expect(next._id.equals(first._id)).toBe(false);
    const key = await OpenConversation.findById(openKeyOf('telegram', pcid)).lean();
    expect(key?.conversationId.toHexString()).toBe(next._id.toHexString());
  });

  it('backfills keys of conversations opened before keys existed, newest first, once', async () => {
    const pcid = `legacy-${randomUUID()}`;
    const base = {
      channel: 'telegram',
      platformConversationId: pcid,
      platformUserId: pcid,
      contactId: new Types.ObjectId(),
    };
    // Written raw, as the old code left them: no key, two open ones (the old race), one newer.
    const older = new Types.ObjectId();
    const newer = new Types.ObjectId();
    await Conversation.collection.insertMany([
      { _id: older, ...base, status: 'bot', createdAt: new Date(Date.now() - 60_000) },
      { _id: newer, ...base, status: 'bot', createdAt: new Date() },
    ]);
    await Setting.deleteOne({ _id: 'migration:open-conversation-keys' });
    expect(await backfillOpenConversationKeys()).toBeGreaterThanOrEqual(1);
    const key = await OpenConversation.findById(openKeyOf('telegram', pcid)).lean();
    expect(key?.conversationId.toHexString()).toBe(newer.toHexString());
    // Marked done: a second start does not scan again.
    expect(await backfillOpenConversationKeys()).toBe(0);
    expect((await openConversation(input(pcid)))._id.toHexString()).toBe(newer.toHexString());
  });
});
