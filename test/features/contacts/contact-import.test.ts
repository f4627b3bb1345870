/**
 * Importing customers from CSV (POST /api/contacts/import) against a real Charla (FerretDB,
 * Redis): headers guessed in Spanish, phones read as the bot reads them, bad rows reported per
 * cell, dedupe against stored customers and within the file, a dry run that writes nothing, the
 * real run audited, roles enforced.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuditEntry } from '../../../src/kernel/db/models/audit-entry.js';
import { Contact } from '../../../src/kernel/db/models/contact.js';
import { staffWithRole, type Json, type Staff } from '../auth/staff-client.js';
import { startTestApp, type TestApp } from '../../support/app.js';

const CSV = [
  'Nombre,Correo electrónico,Teléfono,Etiquetas,Idioma,Nº cliente',
  'Lucía Pérez,lucia@import.example,612 345 678,vip;feria,es,C-1',
  'Tom Reed,tom@import.example,07911 123456,,English,C-2',
  'Sin correo,not-an-email,12,,klingon,C-3',
  'Lucía P.,,+34 612 345 678,mayorista,,',
  'Olga Existing,olga@import.example,,nueva,,C-5',
  'Nadie,,,,,',
].join('\n');

describe('importing contacts from CSV', () => {
  let app: TestApp;
  let marketer: Staff;
  let agent: Staff;
  let olga: string;

  beforeAll(async () => {
    app = await startTestApp();
    [marketer, agent] = await Promise.all([
      staffWithRole(app, 'marketer'),
      staffWithRole(app, 'agent'),
    ]);
    const o = await Contact.create({
      name: 'Olga',
      emails: ['olga@import.example'],
      tags: ['old'],
    });
    olga = o._id.toHexString();
  });
  afterAll(async () => app?.stop());

  const countImported = () =>
    Contact.countDocuments({
      $or: [{ emails: /@import\.example$/ }, { phones: '+34612345678' }],
    });

  it('dry run: guesses Spanish headers, reports each row and changes nothing', async () => {
    const before = await countImported();
    const res = await marketer.call('POST', '/api/contacts/import', { csv: CSV, dryRun: true });
    expect(res.status).toBe(200);
    const body = res.body as Json;
    expect(body.dryRun).toBe(true);
    expect(body.columns.map((c: Json) => c.field)).toEqual([
      'name',
      'email',
      'phone',
      'tags',
      'language',
      'ignore',
    ]);
    const byLine = Object.fromEntries(body.rows.map((r: Json) => [r.line, r]));
    expect(byLine[2]).toMatchObject({ action: 'create', phones: ['+34612345678'] });
    // An English row: its national number is read as a UK one.
    expect(byLine[3]).toMatchObject({ action: 'create', phones: ['+447911123456'] });
    expect(byLine[4].action).toBe('error');
    expect(byLine[4].errors.map((e: Json) => e.code).sort()).toEqual([
      'invalid_email',
      'invalid_language',
      'invalid_phone',
    ]);
    // Same phone as line 2: one customer, said so.
    expect(byLine[5]).toMatchObject({ action: 'update', sameAsLine: 2, changes: ['tags'] });
    expect(byLine[6]).toMatchObject({ action: 'update', contactId: olga });
    expect(byLine[6].changes).toEqual(['tags']);
    expect(byLine[7].errors[0].code).toBe('no_email_or_phone');
    expect(body.summary).toEqual({ rows: 6, created: 2, updated: 1, errors: 2 });
    expect(await countImported()).toBe(before);
    expect((await Contact.findById(olga).lean<Json>()).tags).toEqual(['old']);
    expect(await AuditEntry.countDocuments({ action: 'contacts.import' })).toBe(0);
  });

  it('refuses agents with 403, and bad files or mappings with 400', async () => {
    const res = await agent.call('POST', '/api/contacts/import', { csv: CSV, dryRun: false });
    expect(res.status).toBe(403);
    const unknown = await marketer.call('POST', '/api/contacts/import', {
      csv: CSV,
      mapping: { Phone: 'phone' },
    });
    expect(unknown.status).toBe(400);
    expect(unknown.body.error.code).toBe('unknown_column');
    const noKey = await marketer.call('POST', '/api/contacts/import', {
      csv: CSV,
      mapping: { Nombre: 'name' },
    });
    expect(noKey.body.error.code).toBe('no_email_or_phone_column');
    const empty = await marketer.call('POST', '/api/contacts/import', { csv: 'email\n' });
    expect(empty.body.error.code).toBe('csv_empty');
    const broken = await marketer.call('POST', '/api/contacts/import', {
      csv: 'email,name\n"unclosed,x\n',
    });
    expect(broken.status).toBe(400);
    expect(broken.body.error.code).toBe('csv_unreadable');
    const tooMany = await marketer.call('POST', '/api/contacts/import', {
      csv: ['email', ...Array.from({ length: 5001 }, (_, i) => `x${i}@import.example`)].join('\n'),
    });
    expect(tooMany.body.error.code).toBe('too_many_rows');
    expect(await AuditEntry.countDocuments({ action: 'contacts.import' })).toBe(0);
  });

  it('imports with a mapping: creates, updates, dedupes within the file, and audits', async () => {
    const res = await marketer.call('POST', '/api/contacts/import', {
      csv: CSV,
      mapping: {
        Nombre: 'name',
        'Correo electrónico': 'email',
        Teléfono: 'phone',
        Etiquetas: 'tags',
        Idioma: 'language',
        'Nº cliente': 'custom',
      },
      dryRun: false,
    });
    expect(res.status).toBe(200);
    expect(res.body.summary).toEqual({ rows: 6, created: 2, updated: 1, errors: 2 });
    const lucia = await Contact.find({ phones: '+34612345678' }).lean<Json[]>();
    expect(lucia).toHaveLength(1);
    expect(lucia[0]).toMatchObject({
      name: 'Lucía Pérez',
      emails: ['lucia@import.example'],
      tags: ['vip', 'feria', 'mayorista'],
      locale: 'es',
      customFields: { 'Nº cliente': 'C-1' },
    });
    const created = res.body.rows.find((r: Json) => r.line === 2);
    expect(created.contactId).toBe(lucia[0]._id.toHexString());
    expect(res.body.rows.find((r: Json) => r.line === 5).contactId).toBe(created.contactId);
    const o = await Contact.findById(olga).lean<Json>();
    expect(o.name).toBe('Olga'); // a stored name is kept
    expect(o.tags).toEqual(['old', 'nueva']);
    expect(o.customFields).toEqual({ 'Nº cliente': 'C-5' });
    expect(o.marketingConsent?.granted ?? false).toBe(false);
    expect(await Contact.countDocuments({ emails: 'tom@import.example' })).toBe(1);

    const audit = await AuditEntry.findOne({ action: 'contacts.import' }).lean<Json>();
    expect(audit.actor).toBe(`user:${marketer.user.id}`);
    expect(audit.details).toMatchObject({ created: 2, updated: 1, errors: 2 });
    expect(audit.details.updatedIds).toEqual([olga]);
    expect(JSON.stringify(audit)).not.toContain('lucia@');

    // The same file again: everything already there, nothing to change, nothing written.
    const again = await marketer.call('POST', '/api/contacts/import', {
      csv: CSV,
      dryRun: false,
    });
    expect(again.body.summary).toMatchObject({ created: 0, updated: 0 });
    expect(await Contact.countDocuments({ phones: '+34612345678' })).toBe(1);
    expect(await AuditEntry.countDocuments({ action: 'contacts.import' })).toBe(1);
  });

  it('reports a row that would join two stored customers instead of guessing', async () => {
    await Contact.create([
      { name: 'A', emails: ['a@two.example'] },
      { name: 'B', phones: ['+34699000111'] },
    ]);
    const res = await marketer.call('POST', '/api/contacts/import', {
      csv: 'email,phone\na@two.example,+34 699 000 111\n',
      dryRun: false,
    });
    expect(res.status).toBe(200);
    expect(res.body.rows[0].errors[0].code).toBe('matches_several');
    expect((await Contact.findOne({ name: 'A' }).lean<Json>()).phones).toEqual([]);
  });
});
