import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mergeContacts } from '../../../src/kernel/db/contacts.js';
import { AuditEntry } from '../../../src/kernel/db/models/audit-entry.js';
import { Case } from '../../../src/kernel/db/models/case.js';
import { Contact, ContactIdentity } from '../../../src/kernel/db/models/contact.js';
import { Conversation } from '../../../src/kernel/db/models/conversation.js';
import { Lead } from '../../../src/kernel/db/models/lead.js';
import { Message } from '../../../src/kernel/db/models/message.js';
import { startTestApp, type TestApp } from '../../support/app.js';
import { customer, recordingAdapter } from './chat.js';

describe('one customer across two channels', () => {
  let app: TestApp;
  const telegram = recordingAdapter('telegram');
  const webchat = recordingAdapter('webchat');
  beforeAll(async () => {
    app = await startTestApp({}, { extraAdapters: [telegram.adapter, webchat.adapter] });
  });
  afterAll(async () => app?.stop());

  it('merges the newer contact into the older one when the same email is captured', async () => {
    const onTelegram = customer(() => app, telegram, 'tg-rosa');
    await onTelegram.say('Quiero abrir una incidencia');
    await onTelegram.say('No me llegan los correos de confirmación de los pedidos');
    const [opened] = await onTelegram.say('rosa@example.com');
    const number = opened?.text.match(/CS-\d{6}/)?.[0];
    expect(number).toBeDefined();
    const older = onTelegram.contactId();

    const onWeb = customer(() => app, webchat, 'web-rosa');
    await onWeb.say('Hola, me interesa vuestro producto, ¿me contactáis?');
    const newer = onWeb.contactId();
    expect(newer).not.toBe(older);
    await onWeb.say('Rosa Díaz');
    await onWeb.say('ROSA@example.com');
    await onWeb.say('+34 611 22 33 44');
    await onWeb.say('saltar');
    await onWeb.say('no'); // marketing opt-in
    const [done] = await onWeb.say('sí');
    expect(done?.text).toMatch(/Gracias, Rosa Díaz/);

    const merged = await Contact.findById(newer).lean();
    expect(String(merged?.mergedInto)).toBe(older);
    const survivor = await Contact.findById(older).lean();
    expect(survivor?.mergedInto).toBeUndefined();
    expect(survivor?.emails).toEqual(['rosa@example.com']);
    expect(survivor?.phones).toContain('+34611223344');
    expect(survivor?.identities.map((i) => i.channel).sort()).toEqual(['telegram', 'webchat']);

    // Identities, conversations, messages, leads and cases all point at the survivor.
    expect(
      (await ContactIdentity.find({ contactId: older }).lean()).map((i) => i.key).sort(),
    ).toEqual(['telegram:tg-rosa', 'webchat:web-rosa']);
    expect(await ContactIdentity.countDocuments({ contactId: newer })).toBe(0);
    expect(await Conversation.countDocuments({ contactId: newer })).toBe(0);
    expect(await Conversation.countDocuments({ contactId: older })).toBe(2);
    expect(await Message.countDocuments({ contactId: newer })).toBe(0);
    const lead = await Lead.findOne({ email: 'rosa@example.com' }).lean();
    expect(String(lead?.contactId)).toBe(older);
    expect(lead?.channel).toBe('webchat');
    expect(String((await Case.findOne({ number }).lean())?.contactId)).toBe(older);

    const audit = await AuditEntry.find({ action: 'contact.merge' }).lean();
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ targetType: 'Contact', targetId: newer });
    expect((audit[0]?.details as { into: string }).into).toBe(older);

    // The web visitor's next message belongs to the merged customer: case status finds the
    // case opened on Telegram.
    const [status] = await onWeb.say('¿En qué estado está mi caso?');
    expect(status?.text).toBe(`Tu caso ${number} está abierto.`);
    expect(onWeb.contactId()).toBe(older);
  });

  it('a merge interrupted half-way is finished by running it again, with one audit entry', async () => {
    const a = await Contact.create({ name: 'Old', emails: ['same@example.com'] });
    const b = await Contact.create({
      identities: [{ channel: 'slack', platformUserId: 'U-half' }],
      phones: ['+34699000111'],
    });
    await ContactIdentity.create({
      key: 'slack:U-half',
      channel: 'slack',
      platformUserId: 'U-half',
      contactId: b._id,
    });
    await Lead.create({ contactId: b._id, channel: 'slack', email: 'same@example.com' });
    // As if a first run crashed after moving the identities and writing the audit entry, before
    // moving the lead and marking the merged contact.
    await ContactIdentity.updateOne({ key: 'slack:U-half' }, { $set: { contactId: a._id } });
    await AuditEntry.create({
      action: 'contact.merge',
      actor: 'bot',
      targetType: 'Contact',
      targetId: String(b._id),
      details: { into: String(a._id) },
    });

    await mergeContacts(a._id, b._id, { actor: 'bot', reason: 'same email' });
    await mergeContacts(a._id, b._id, { actor: 'bot', reason: 'same email' });

    expect(String((await Contact.findById(b._id).lean())?.mergedInto)).toBe(String(a._id));
    const survivor = await Contact.findById(a._id).lean();
    expect(survivor?.phones).toEqual(['+34699000111']);
    expect(survivor?.identities.map((i) => i.platformUserId)).toEqual(['U-half']);
    expect(await Lead.countDocuments({ contactId: b._id })).toBe(0);
    expect(
      await AuditEntry.countDocuments({ action: 'contact.merge', targetId: String(b._id) }),
    ).toBe(1);
  });
});
