/**
 * Staff edit a customer (PATCH /api/contacts/:id) against a real Charla (FerretDB, Redis):
 * emails and phones are read as the bot reads them (IDN email kept as typed, a national number in
 * the contact's region → E.164), bad input is a 400 that changes nothing, another customer's
 * email is a 409 (merge instead), viewers are refused, and a change is audited with masked values.
 */
import { Types } from 'mongoose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuditEntry } from '../../../src/kernel/db/models/audit-entry.js';
import { Contact } from '../../../src/kernel/db/models/contact.js';
import { staffWithRole, type Json, type Staff } from '../auth/staff-client.js';
import { startTestApp, type TestApp } from '../../support/app.js';

describe('editing a contact', () => {
  let app: TestApp;
  let agent: Staff;
  let viewer: Staff;
  let ana: string;
  let ben: string;

  beforeAll(async () => {
    app = await startTestApp();
    [agent, viewer] = await Promise.all([
      staffWithRole(app, 'agent'),
      staffWithRole(app, 'viewer'),
    ]);
    const [a, b] = await Contact.create([
      { name: 'Ana', locale: 'en', country: 'GB', emails: ['ana@example.com'] },
      { name: 'Ben', locale: 'en', emails: ['ben@example.com'], phones: ['+447400123456'] },
    ]);
    ana = a!._id.toHexString();
    ben = b!._id.toHexString();
  });
  afterAll(async () => app?.stop());

  const stored = async (id: string) => Contact.findById(id).lean<Json>();

  it('saves details as the bot would read them and shows them in the customer view', async () => {
    const res = await agent.call('PATCH', `/api/contacts/${ana}`, {
      name: '  Ana Muñoz ',
      emails: ['ana@example.com', 'Ana.Muñoz@Cafetería-Lucía.es'],
      phones: ['07911 123456'],
      tags: ['vip', ' vip ', 'wholesale'],
      notes: 'Prefers calls after 5 pm',
      customFields: { 'customer number': 'C-1042' },
    });
    expect(res.status).toBe(200);
    const c = res.body.contact;
    expect(c.name).toBe('Ana Muñoz');
    expect(c.emails).toEqual(['ana@example.com', 'ana.muñoz@cafetería-lucía.es']);
    expect(c.phones).toEqual(['+447911123456']);
    expect(c.tags).toEqual(['vip', 'wholesale']);
    expect(c.notes).toBe('Prefers calls after 5 pm');
    expect(c.customFields).toEqual({ 'customer number': 'C-1042' });

    const audit = await AuditEntry.findOne({
      action: 'contact.update',
      targetId: ana,
    }).lean<Json>();
    expect(audit.actor).toBe(`user:${agent.user.id}`);
    expect(audit.after.phones).toEqual(['***56']);
    expect(JSON.stringify(audit)).not.toContain('Muñoz');
    expect(audit.after.tags).toEqual(['vip', 'wholesale']);
  });

  it('clears name and notes with null, and a repeat of the same values writes no audit entry', async () => {
    const res = await agent.call('PATCH', `/api/contacts/${ana}`, { notes: null });
    expect(res.status).toBe(200);
    expect(res.body.contact.notes).toBeNull();
    const before = await AuditEntry.countDocuments({ action: 'contact.update', targetId: ana });
    const again = await agent.call('PATCH', `/api/contacts/${ana}`, { tags: ['vip', 'wholesale'] });
    expect(again.status).toBe(200);
    expect(await AuditEntry.countDocuments({ action: 'contact.update', targetId: ana })).toBe(
      before,
    );
  });

  it('refuses an invalid email or phone with a 400 and changes nothing', async () => {
    const was = await stored(ana);
    const email = await agent.call('PATCH', `/api/contacts/${ana}`, {
      name: 'Changed',
      emails: ['not-an-email'],
    });
    expect(email.status).toBe(400);
    expect(email.body.error.code).toBe('invalid_email');
    const phone = await agent.call('PATCH', `/api/contacts/${ana}`, {
      name: 'Changed',
      phones: ['Acme Widgets Ltd'],
    });
    expect(phone.status).toBe(400);
    expect(phone.body.error.code).toBe('invalid_phone');
    const unknownField = await agent.call('PATCH', `/api/contacts/${ana}`, { role: 'admin' });
    expect(unknownField.status).toBe(400);
    const empty = await agent.call('PATCH', `/api/contacts/${ana}`, {});
    expect(empty.status).toBe(400);
    const now = await stored(ana);
    expect(now.name).toBe(was.name);
    expect(now.emails).toEqual(was.emails);
  });

  it("refuses another customer's email or phone with a 409 (merge instead)", async () => {
    const res = await agent.call('PATCH', `/api/contacts/${ana}`, {
      emails: ['ana@example.com', 'ben@example.com'],
    });
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe('contact_conflict');
    const phone = await agent.call('PATCH', `/api/contacts/${ana}`, {
      phones: ['+44 7400 123456'],
    });
    expect(phone.status).toBe(409);
    expect((await stored(ana)).emails).not.toContain('ben@example.com');
    expect((await stored(ben)).emails).toEqual(['ben@example.com']);
  });

  it('lets a viewer read but not edit, and answers 404 for an unknown contact', async () => {
    const res = await viewer.call('PATCH', `/api/contacts/${ana}`, { name: 'Viewer was here' });
    expect(res.status).toBe(403);
    expect((await stored(ana)).name).toBe('Ana Muñoz');
    const missing = await agent.call(
      'PATCH',
      `/api/contacts/${new Types.ObjectId().toHexString()}`,
      {
        name: 'X',
      },
    );
    expect(missing.status).toBe(404);
  });

  it('refuses to edit a contact merged into another', async () => {
    const merged = await Contact.create({ name: 'Old', mergedInto: new Types.ObjectId(ana) });
    const res = await agent.call('PATCH', `/api/contacts/${merged._id.toHexString()}`, {
      name: 'New',
    });
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe('contact_merged');
  });
});
