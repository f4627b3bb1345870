/**
 * A contact's marketing consent, for staff:
 *   GET  /api/contacts/:id/consent → {granted, updatedAt, channels, history}  (marketer, agent, viewer)
 *   PUT  /api/contacts/:id/consent {granted, wording?, channel?} → the same  (marketer)
 * `channel` makes it consent for that channel only (campaigns read it per channel); without it
 * the change is for every channel and clears the per-channel choices.
 * A staff change writes a ConsentRecord (by: staff, channel: console) and an audit entry
 * (src/kernel/db/contacts.ts setMarketingConsent), like the bot's unsubscribe does for customers.
 */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { Types } from 'mongoose';
import { z } from 'zod';
import { ACCESS, actorLabel } from '../../kernel/roles.js';
import { CHANNEL_IDS, type ChannelId } from '../../kernel/contracts/messages.js';
import { listConsentRecords, setMarketingConsent } from '../../kernel/db/contacts.js';
import { Contact, type ContactDoc } from '../../kernel/db/models/contact.js';
import type { EventPublisher } from '../../kernel/events.js';
import { actorOf, requireRole } from '../../http/guard.js';
import { notFound } from '../../http/errors.js';
import { errorResponses, objectId } from '../../http/schemas.js';
import { consentRecordView, consentView } from '../leads/index.js';
import { isoOrNull } from '../../http/validation.js';

const CONSENT_CHANNELS = CHANNEL_IDS.filter((c) => c !== 'studio') as [
  Exclude<ChannelId, 'studio'>,
  ...Array<Exclude<ChannelId, 'studio'>>,
];

const idParams = z.object({ id: objectId });
const consentBody = z
  .object({
    granted: z.boolean(),
    wording: z.string().trim().min(1).max(2000).optional(),
    /** Consent for this one channel only (e.g. email); absent: every channel. */
    channel: z.enum(CONSENT_CHANNELS).optional(),
  })
  .strict();

/** The per-channel choices stored on the contact (channel → granted). */
function channelChoices(stored: unknown): Record<string, boolean> {
  if (!stored || typeof stored !== 'object') return {};
  return Object.fromEntries(
    Object.entries(stored as Record<string, unknown>).filter(([, v]) => typeof v === 'boolean'),
  ) as Record<string, boolean>;
}

async function consentOf(id: string): Promise<z.infer<typeof consentView>> {
  const contactId = new Types.ObjectId(id);
  const contact = await Contact.findById(contactId, { marketingConsent: 1 }).lean<ContactDoc>();
  if (!contact) throw notFound('The contact');
  const history = await listConsentRecords(contactId);
  return {
    granted: contact.marketingConsent?.granted === true,
    updatedAt: isoOrNull(contact.marketingConsent?.updatedAt),
    channels: channelChoices(contact.marketingConsent?.channels),
    history: history.map(consentRecordView),
  };
}

/** `events` hears contact.consent_changed (lead scoring refreshes the contact's leads). */
export function mountConsentRoutes(scope: FastifyInstance, events: EventPublisher): void {
  const typed = scope.withTypeProvider<ZodTypeProvider>();
  typed.get(
    '/api/contacts/:id/consent',
    {
      onRequest: requireRole(...ACCESS.contacts.read),
      schema: {
        tags: ['contacts'],
        summary: 'A contact’s marketing consent and its history',
        params: idParams,
        response: { 200: consentView, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (req) => consentOf(req.params.id),
  );
  typed.put(
    '/api/contacts/:id/consent',
    {
      onRequest: requireRole(...ACCESS.contacts.write),
      schema: {
        tags: ['contacts'],
        summary: 'Staff grant or withdraw a contact’s marketing consent (recorded, audited)',
        params: idParams,
        body: consentBody,
        response: { 200: consentView, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (req) => {
      const contactId = new Types.ObjectId(req.params.id);
      const exists = await Contact.exists({ _id: contactId });
      if (!exists) throw notFound('The contact');
      const actor = actorOf(req);
      await setMarketingConsent(contactId, req.body.granted, {
        actor: actorLabel(actor),
        actorName: actor.name,
        channel: 'console',
        wording: req.body.wording,
        ...(req.body.channel ? { scope: req.body.channel } : {}),
      });
      await events.publish('contact.consent_changed', { contactId, granted: req.body.granted });
      return consentOf(req.params.id);
    },
  );
}
