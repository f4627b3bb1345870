import { Schema, model, type InferSchemaType, type Types } from 'mongoose';
import { CHANNEL_IDS } from '../../contracts/messages.js';
import { searchable, termsOf } from './searchable.js';

const identitySchema = new Schema(
  {
    channel: { type: String, enum: CHANNEL_IDS, required: true },
    platformUserId: { type: String, required: true },
    displayName: String,
  },
  { _id: false },
);

/** A customer: one person across channels. Identities are unique across contacts (see ContactIdentity). */
const contactSchema = new Schema(
  {
    name: String,
    identities: { type: [identitySchema], default: [] },
    emails: { type: [String], default: [], index: true },
    /** E.164 only. */
    phones: { type: [String], default: [], index: true },
    /** The customer's ids in other systems (a shop's customer id, from orders). */
    externalIds: { type: [String], default: [], index: true },
    locale: { type: String, enum: ['es', 'en'] },
    /** ISO 3166 country, when known (a web visitor's browser locale such as en-GB): reads phones. */
    country: String,
    /** IANA time zone, when known (e.g. America/Mexico_City); unset: DEFAULT_TIMEZONE. */
    timeZone: String,
    tags: { type: [String], default: [] },
    /** Staff notes about the customer (the contact page). */
    notes: String,
    /** Staff-defined fields, name → value (e.g. "customer number" → "C-1042"). */
    customFields: { type: Schema.Types.Mixed },
    /**
     * `granted` is consent on every channel (the original meaning). `channels` (channel id →
     * boolean) holds consent given or withdrawn for one channel only, and wins for that channel;
     * a change for every channel clears it (src/kernel/db/contacts.ts, marketingConsentOn).
     */
    marketingConsent: {
      granted: { type: Boolean, default: false },
      updatedAt: Date,
      channels: { type: Schema.Types.Mixed },
    },
    /** Set when this contact was merged into another; such a contact is no longer used. */
    mergedInto: { type: Schema.Types.ObjectId, ref: 'Contact' },
  },
  { timestamps: true },
);

/** Found by name, emails, phones and the names channels gave (issue 19.7). */
searchable(contactSchema, {
  fields: ['name', 'emails', 'phones', 'identities'],
  terms: (d) =>
    termsOf(
      {
        ...d,
        displayNames: ((d.identities ?? []) as Array<{ displayName?: string }>).map(
          (i) => i.displayName ?? '',
        ),
      },
      ['name', 'emails', 'displayNames'],
      ['phones'],
    ),
});

export type ContactDoc = InferSchemaType<typeof contactSchema> & { _id: Types.ObjectId };
export const Contact = model('Contact', contactSchema);

/**
 * The unique (channel, platformUserId) → contact mapping. A separate collection because a unique
 * index over an array of sub-documents is not portable across MongoDB and FerretDB.
 */
const contactIdentitySchema = new Schema(
  {
    key: { type: String, required: true, unique: true },
    channel: { type: String, enum: CHANNEL_IDS, required: true },
    platformUserId: { type: String, required: true },
    contactId: { type: Schema.Types.ObjectId, ref: 'Contact', required: true, index: true },
  },
  { timestamps: true },
);
export const ContactIdentity = model('ContactIdentity', contactIdentitySchema);
