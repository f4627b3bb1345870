/**
 * A contact's marketing consent, for staff:
 *   GET  /api/contacts/:id/consent → {granted, updatedAt, history}      (marketer, agent, viewer)
 *   PUT  /api/contacts/:id/consent {granted, wording?} → the same       (marketer)
 * A staff change writes a ConsentRecord (by: staff, channel: console) and an audit entry
 * (src/kernel/db/contacts.ts setMarketingConsent), like the bot's unsubscribe does for customers.
 */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { Types } from 'mongoose';
import { z } from 'zod';
import { ACCESS, actorLabel } from '../../kernel/roles.js';
import { listConsentRecords, setMarketingConsent } from '../../kernel/db/contacts.js';
import { Contact, type ContactDoc } from '../../kernel/db/models/contact.js';
import type { EventPublisher } from '../../kernel/events.js';
import { actorOf, requireRole } from '../../http/guard.js';
import { notFound } from '../../http/errors.js';
import { errorResponses, objectId } from '../../http/schemas.js';
import { consentRecordView, consentView } from '../leads/index.js';
import { isoOrNull } from '../../http/validation.js';

const idParams = z.object({ id: objectId });
const consentBody = z
  .object({ granted: z.boolean(), wording: z.string().trim().min(1).max(2000).optional() })
  .strict();

async function consentOf(id: string): Promise<z.infer<typeof consentView>> {
  const contactId = new Types.ObjectId(id);
  const contact = await Contact.findById(contactId, { marketingConsent: 1 }).lean<ContactDoc>();
  if (!contact) throw notFound('The contact');
  const history = await listConsentRecords(contactId);
  return {
    granted: contact.marketingConsent?.granted === true,
    updatedAt: isoOrNull(contact.marketingConsent?.updatedAt),
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
      });
      await events.publish('contact.consent_changed', { contactId, granted: req.body.granted });
      return consentOf(req.params.id);
    },
  );
}
