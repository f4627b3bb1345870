/**
 * Staff edits of a contact (the single customer view): name, emails, phones, tags, notes and
 * custom fields. Every value is checked before anything is written — an invalid email or phone,
 * an erased or merged-away contact, or an email/phone that belongs to another customer changes
 * nothing — and a real change gets one audit entry (`contact.update`, before/after of the changed
 * fields, personal values masked by recordAudit).
 *
 * Emails and phones are read as the bot reads them in a form (src/pipeline/flows/slots.ts):
 * internationalised emails kept as typed, phones stored in E.164 with a national number tried in
 * the contact's plausible regions. Another customer's email or phone is a 409 that names the other
 * contact: two records of one person are joined by a merge, never by an edit.
 */
import { Types } from 'mongoose';
import type { CountryCode } from 'libphonenumber-js';
import { recordAudit } from '../../kernel/audit.js';
import type { Actor } from '../../kernel/roles.js';
import { asCountry } from '../../kernel/country.js';
import { Contact, type ContactDoc } from '../../kernel/db/models/contact.js';
import { conflict, invalid, notFound } from '../../kernel/errors.js';
import { parseEmail, parsePhone } from '../../pipeline/flows/slots.js';
import { plausibleRegions } from '../../pipeline/flows/regions.js';
import type { ContactChanges } from './schemas.js';

type Stored = Record<string, unknown>;

interface Edited {
  set: Stored;
  unset: Stored;
}

/** The contact as stored, with the fields this module writes. */
type EditableContact = ContactDoc & {
  notes?: string;
  customFields?: Record<string, string>;
  erasedAt?: Date;
};

/** One email as typed, stored form (lower case, NFC), or undefined when it is not exactly one. */
export function readEmail(typed: string): string | undefined {
  const email = parseEmail(typed);
  return email && email === typed.normalize('NFC').trim().toLowerCase() ? email : undefined;
}

function cleanEmails(emails: string[]): string[] {
  const out: string[] = [];
  for (const typed of emails) {
    const email = readEmail(typed);
    if (!email) {
      throw invalid('invalid_email', `"${typed}" is not one valid email address.`);
    }
    out.push(email);
  }
  return [...new Set(out)];
}

function cleanPhones(phones: string[], regions: CountryCode[]): string[] {
  const out: string[] = [];
  for (const typed of phones) {
    const phone = parsePhone(typed, regions);
    if (!phone) {
      throw invalid(
        'invalid_phone',
        `"${typed}" is not one valid phone number; write it with its country code, e.g. +34 612 345 678.`,
      );
    }
    out.push(phone);
  }
  return [...new Set(out)];
}

/** The stored form of the changes; throws a 400 for the first value that is not valid. */
function storedChanges(c: EditableContact, changes: ContactChanges, fallback: CountryCode): Edited {
  const set: Stored = {};
  const unset: Stored = {};
  const blank = (v: string | null | undefined) => v === null || v?.trim() === '';
  if (changes.name !== undefined) {
    if (blank(changes.name)) unset.name = '';
    else set.name = changes.name!.trim();
  }
  if (changes.notes !== undefined) {
    if (blank(changes.notes)) unset.notes = '';
    else set.notes = changes.notes!.trim();
  }
  if (changes.emails !== undefined) set.emails = cleanEmails(changes.emails);
  if (changes.phones !== undefined) {
    const regions = plausibleRegions({
      contact: asCountry(c.country ?? undefined),
      locale: c.locale === 'en' ? 'en' : 'es',
      fallback,
    });
    set.phones = cleanPhones(changes.phones, regions);
  }
  if (changes.tags !== undefined) {
    set.tags = [...new Set(changes.tags.map((t) => t.trim()).filter((t) => t !== ''))];
  }
  if (changes.customFields !== undefined) {
    const fields = Object.entries(changes.customFields)
      .map(([k, v]) => [k.trim(), v.trim()] as const)
      .filter(([, v]) => v !== '');
    if (fields.length === 0) unset.customFields = '';
    else set.customFields = Object.fromEntries(fields);
  }
  return { set, unset };
}

const comparable = (v: unknown): string => JSON.stringify(v ?? null);

/** before/after of the fields that really change, as the audit log shows them. */
function diffOf(c: EditableContact, edited: Edited): { before: Stored; after: Stored } {
  const before: Stored = {};
  const after: Stored = {};
  const current = c as unknown as Stored;
  const wanted: Stored = { ...edited.set };
  for (const key of Object.keys(edited.unset)) wanted[key] = null;
  for (const [key, value] of Object.entries(wanted)) {
    const was = current[key] ?? (Array.isArray(value) ? [] : null);
    if (comparable(was) === comparable(value)) continue;
    before[key] = was;
    after[key] = value;
  }
  return { before, after };
}

/** 409 when an email or phone being added already belongs to another customer. */
async function assertNotAnothers(c: EditableContact, set: Stored): Promise<void> {
  const or: Stored[] = [];
  const added = (key: 'emails' | 'phones') =>
    ((set[key] as string[] | undefined) ?? []).filter((v) => !(c[key] ?? []).includes(v));
  for (const email of added('emails')) or.push({ emails: email });
  for (const phone of added('phones')) or.push({ phones: phone });
  if (or.length === 0) return;
  const other = await Contact.findOne({
    $or: or,
    _id: { $ne: c._id },
    mergedInto: { $exists: false },
    erasedAt: { $exists: false },
  })
    .select({ _id: 1 })
    .lean();
  if (other) {
    throw conflict(
      'contact_conflict',
      `Another customer (${other._id.toHexString()}) already has that email or phone: merge the two instead.`,
    );
  }
}

/** Edits one contact; returns it as stored after the change. */
export async function editContact(
  id: string,
  changes: ContactChanges,
  actor: Actor,
  opts: { defaultCountry: CountryCode },
): Promise<EditableContact> {
  const contact = Types.ObjectId.isValid(id)
    ? await Contact.findById(id).lean<EditableContact>()
    : null;
  if (!contact) throw notFound('The contact');
  if (contact.erasedAt) throw conflict('contact_erased', 'This customer was erased.');
  if (contact.mergedInto) {
    throw conflict(
      'contact_merged',
      `This customer was merged into ${String(contact.mergedInto)}: edit that one.`,
    );
  }
  const edited = storedChanges(contact, changes, opts.defaultCountry);
  const { before, after } = diffOf(contact, edited);
  if (Object.keys(after).length === 0) return contact;
  await assertNotAnothers(contact, edited.set);
  const update: Stored = {};
  if (Object.keys(edited.set).length) update.$set = edited.set;
  if (Object.keys(edited.unset).length) update.$unset = edited.unset;
  const updated = await Contact.findOneAndUpdate({ _id: contact._id }, update, {
    returnDocument: 'after',
  }).lean<EditableContact>();
  if (!updated) throw notFound('The contact');
  await recordAudit({
    actor,
    action: 'contact.update',
    targetType: 'Contact',
    targetId: contact._id.toHexString(),
    before,
    after,
  });
  return updated;
}
