/**
 * Staff merge two customers and undo it, against a real Charla (FerretDB, Redis): the preview
 * says what goes where and changes nothing; the merge moves conversations (with messages), leads,
 * cases and identities and is audited; a new message on the moved identity reaches the survivor;
 * the undo puts everything back — the merged customer is in use again, its identity routes to it,
 * the values it brought leave the survivor, its orders go back too — and a bot merge cannot be undone. Bad input is a 4xx
 * that changes nothing; viewers are refused.
 */
import { Types } from 'mongoose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addContactDetails } from '../../../src/kernel/db/contacts.js';
import { AuditEntry } from '../../../src/kernel/db/models/audit-entry.js';
import { Contact, ContactIdentity } from '../../../src/kernel/db/models/contact.js';
import { Conversation } from '../../../src/kernel/db/models/conversation.js';
import { Lead } from '../../../src/kernel/db/models/lead.js';
import { Message } from '../../../src/kernel/db/models/message.js';
import { Order } from '../../../src/kernel/db/models/order.js';
import { staffWithRole, type Json, type Staff } from '../auth/staff-client.js';
import { startTestApp, type TestApp } from '../../support/app.js';

describe('staff merges of customers', () => {
  let app: TestApp;
  let agent: Staff;
  let viewer: Staff;
  let nora: { contactId: string; conversationId: string };
  let noraOnWhatsapp: { contactId: string; conversationId: string };

  const arrive = async (channel: 'telegram' | 'whatsapp', userId: string, text: string) => {
    const r = await app.charla.services.ingest.ingest({
      channel,
      platformMessageId: `${userId}-${text}`,
      platformUserId: userId,
      platformConversationId: userId,
      text,
      ...(channel === 'whatsapp' ? { senderPhone: `+${userId}` } : { senderName: 'Nora Vidal' }),
    });
    return { contactId: String(r.contactId), conversationId: String(r.conversationId) };
  };
  const stored = (id: string) => Contact.findById(id).lean<Json>();

  beforeAll(async () => {
    app = await startTestApp();
    [agent, viewer] = await Promise.all([
      staffWithRole(app, 'agent'),
      staffWithRole(app, 'viewer'),
    ]);
    nora = await arrive('telegram', 'tg-merge-1', 'hola, soy Nora');
    noraOnWhatsapp = await arrive('whatsapp', '34611222333', 'hola otra vez');
    await addContactDetails(new Types.ObjectId(noraOnWhatsapp.contactId), {
      email: 'nora@example.com',
    });
    await Contact.updateOne(
      { _id: noraOnWhatsapp.contactId },
      { $set: { tags: ['whatsapp-vip'] } },
    );
    await Lead.create({
      contactId: new Types.ObjectId(noraOnWhatsapp.contactId),
      conversationId: new Types.ObjectId(noraOnWhatsapp.conversationId),
      email: 'nora@example.com',
      channel: 'whatsapp',
    });
    await Order.create({
      externalId: 'merge-order-1',
      number: 'A-1001',
      contactId: new Types.ObjectId(noraOnWhatsapp.contactId),
      placedAt: new Date('2026-11-01'),
      amount: 30,
      currency: 'EUR',
      baseAmount: 30,
    });
  });
  afterAll(async () => app?.stop());

  it('previews a merge without changing anything', async () => {
    const res = await agent.call(
      'GET',
      `/api/contacts/${nora.contactId}/merge-preview?other=${noraOnWhatsapp.contactId}`,
    );
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      survivorId: nora.contactId,
      mergedId: noraOnWhatsapp.contactId,
      result: {
        emails: ['nora@example.com'],
        phones: ['+34611222333'],
        tags: ['whatsapp-vip'],
        channels: ['telegram', 'whatsapp'],
      },
      moves: { conversations: 1, leads: 1, cases: 0, orders: 1, identities: 1 },
    });
    expect((await stored(noraOnWhatsapp.contactId)).mergedInto).toBeUndefined();
    expect((await stored(nora.contactId)).emails).toEqual([]);
  });

  it('refuses bad merges with a 4xx and changes nothing', async () => {
    const self = await agent.call('POST', `/api/contacts/${nora.contactId}/merge`, {
      otherId: nora.contactId,
    });
    expect(self.status).toBe(400);
    expect(self.body.error.code).toBe('same_contact');
    const unknown = await agent.call('POST', `/api/contacts/${nora.contactId}/merge`, {
      otherId: new Types.ObjectId().toHexString(),
    });
    expect(unknown.status).toBe(404);
    const badId = await agent.call('POST', `/api/contacts/${nora.contactId}/merge`, {
      otherId: 'nope',
    });
    expect(badId.status).toBe(400);
    const byViewer = await viewer.call('POST', `/api/contacts/${nora.contactId}/merge`, {
      otherId: noraOnWhatsapp.contactId,
    });
    expect(byViewer.status).toBe(403);
    expect((await stored(noraOnWhatsapp.contactId)).mergedInto).toBeUndefined();
  });

  it('merges, routes the moved identity to the survivor, and undoes it all', async () => {
    const merged = await agent.call('POST', `/api/contacts/${nora.contactId}/merge`, {
      otherId: noraOnWhatsapp.contactId,
    });
    expect(merged.status).toBe(200);
    expect(merged.body.contact.emails).toEqual(['nora@example.com']);
    expect(merged.body.leads).toHaveLength(1);
    expect(merged.body.merges[0]).toMatchObject({
      mergedId: noraOnWhatsapp.contactId,
      reason: 'staff',
      undoable: true,
      actorName: agent.user.name,
    });
    const conv = await Conversation.findById(noraOnWhatsapp.conversationId).lean<Json>();
    expect(String(conv.contactId)).toBe(nora.contactId);
    const order = () => Order.findOne({ externalId: 'merge-order-1' }).lean<Json>();
    expect(String((await order()).contactId)).toBe(nora.contactId);
    const again = await arrive('whatsapp', '34611222333', 'sigo esperando');
    expect(again.contactId).toBe(nora.contactId);

    const twice = await agent.call('POST', `/api/contacts/${nora.contactId}/merge`, {
      otherId: noraOnWhatsapp.contactId,
    });
    expect(twice.status).toBe(409);

    const undone = await agent.call('POST', `/api/contacts/${nora.contactId}/unmerge`, {
      mergedId: noraOnWhatsapp.contactId,
    });
    expect(undone.status).toBe(200);
    expect(undone.body.contact.emails).toEqual([]);
    expect(undone.body.contact.tags).toEqual([]);
    expect(undone.body.contact.channels).toEqual(['telegram']);
    expect(undone.body.merges[0]).toMatchObject({ undoable: false });
    expect(undone.body.merges[0].undoneAt).toEqual(expect.any(String));

    const back = await stored(noraOnWhatsapp.contactId);
    expect(back.mergedInto).toBeUndefined();
    expect(back.emails).toEqual(['nora@example.com']);
    const convBack = await Conversation.findById(noraOnWhatsapp.conversationId).lean<Json>();
    expect(String(convBack.contactId)).toBe(noraOnWhatsapp.contactId);
    const messages = await Message.find({ conversationId: convBack._id }).lean<Json[]>();
    expect(messages.length).toBeGreaterThan(0);
    for (const m of messages) expect(String(m.contactId)).toBe(noraOnWhatsapp.contactId);
    expect(String((await Lead.findOne({ email: 'nora@example.com' }).lean<Json>()).contactId)).toBe(
      noraOnWhatsapp.contactId,
    );
    expect(String((await order()).contactId)).toBe(noraOnWhatsapp.contactId);
    const identity = await ContactIdentity.findOne({ key: 'whatsapp:34611222333' }).lean<Json>();
    expect(String(identity.contactId)).toBe(noraOnWhatsapp.contactId);
    const next = await arrive('whatsapp', '34611222333', 'hola de nuevo');
    expect(next.contactId).toBe(noraOnWhatsapp.contactId);

    const audit = await AuditEntry.findOne({
      action: 'contact.unmerge',
      targetId: noraOnWhatsapp.contactId,
    }).lean<Json>();
    expect(audit.actor).toBe(`user:${agent.user.id}`);
    const undoTwice = await agent.call('POST', `/api/contacts/${nora.contactId}/unmerge`, {
      mergedId: noraOnWhatsapp.contactId,
    });
    expect(undoTwice.status).toBe(409);
  });

  it('cannot undo a merge the bot made', async () => {
    const a = await arrive('telegram', 'tg-merge-bot-a', 'hi');
    const b = await arrive('telegram', 'tg-merge-bot-b', 'hi again');
    await addContactDetails(new Types.ObjectId(a.contactId), { email: 'same@example.com' });
    const survivor = await addContactDetails(new Types.ObjectId(b.contactId), {
      email: 'same@example.com',
    });
    const mergedId = String(survivor) === a.contactId ? b.contactId : a.contactId;
    const res = await agent.call('POST', `/api/contacts/${String(survivor)}/unmerge`, { mergedId });
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe('merge_not_undoable');
  });
});
