/**
 * Campaign test people: contacts with leads tagged for one segment, each in one of the states the
 * audience must tell apart (consent for every channel, none, withdrawn, for another channel only,
 * no address, merged, sharing an address, erased).
 */
import { Types } from 'mongoose';
import { setMarketingConsent } from '../../../src/kernel/db/contacts.js';
import { Contact, type ContactDoc } from '../../../src/kernel/db/models/contact.js';
import { Lead } from '../../../src/kernel/db/models/lead.js';
import type { Staff } from '../auth/staff-client.js';

export interface Person {
  id: Types.ObjectId;
  hex: string;
}

/** A contact with a lead tagged `tag` (the segment selects the tag). */
export async function person(
  tag: string,
  fields: Partial<Pick<ContactDoc, 'name' | 'emails' | 'locale'>> & {
    consent?: 'all' | 'revoked' | { only: 'email' | 'telegram' | 'webchat' | 'whatsapp' };
  } = {},
): Promise<Person> {
  const { consent, ...rest } = fields;
  const contact = await Contact.create({ emails: [], ...rest });
  await Lead.create({
    contactId: contact._id,
    name: rest.name,
    channel: 'webchat',
    tags: [tag],
    ...(rest.emails?.[0] ? { email: rest.emails[0] } : {}),
  });
  const audit = { actor: 'system', channel: 'console' };
  if (consent === 'all') await setMarketingConsent(contact._id, true, audit);
  if (consent === 'revoked') {
    await setMarketingConsent(contact._id, true, audit);
    await setMarketingConsent(contact._id, false, audit);
  }
  if (consent && typeof consent === 'object') {
    await setMarketingConsent(contact._id, true, { ...audit, scope: consent.only });
  }
  return { id: contact._id, hex: contact._id.toHexString() };
}

/** A segment of the leads tagged `tag`, created through the API. */
export async function segmentOf(marketer: Staff, tag: string): Promise<string> {
  const res = await marketer.call('POST', '/api/segments', {
    name: `Tag ${tag}`,
    filter: { tags: [tag] },
  });
  if (res.status !== 201) throw new Error(`segment ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.id as string;
}

export const emailCampaign = (segmentId: string, name = 'Rebajas') => ({
  name,
  segmentId,
  channel: 'email',
  message: {
    es: {
      subject: 'Rebajas para {{contact.name}}',
      text: 'Hola {{contact.name}}, mira https://shop.example.com/rebajas',
    },
    en: {
      subject: 'Sale for {{contact.name}}',
      text: 'Hi {{contact.name}}, see https://shop.example.com/sale',
    },
  },
});
