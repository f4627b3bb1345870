/**
 * POST /api/conversations/:id/transcript-email (agents, admins) → 200 {sentTo, messages, locale}:
 * mails the conversation's transcript (src/pipeline/actions/transcript.ts: customer, bot and staff
 * turns, no internal notes, text escaped) to the customer's known email — the contact's latest —
 * in the conversation's language, through the one mail transport. 409 no_customer_email when the
 * contact has none; 409 mail_not_configured without SMTP_URL; 503 mail_refused when the relay
 * refuses (try later). Audited `conversation.transcript_emailed` (with the contact, not the address).
 */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { Types } from 'mongoose';
import { recordAudit } from '../../kernel/audit.js';
import type { MailTransport } from '../../kernel/contracts/mail.js';
import type { Locale } from '../../kernel/contracts/messages.js';
import { findConversation } from '../../kernel/db/conversations.js';
import { Contact } from '../../kernel/db/models/contact.js';
import { conflict, notFound, unavailable } from '../../kernel/errors.js';
import { ACCESS } from '../../kernel/roles.js';
import { actorOf, requireRole } from '../../http/guard.js';
import { errorResponses } from '../../http/schemas.js';
import { mailTranscript } from '../../pipeline/actions/transcript.js';
import { conversationIdParams, transcriptEmailAnswer } from './schemas.js';

export function mountTranscriptRoutes(
  server: FastifyInstance,
  deps: { mail: MailTransport | undefined; defaultLocale: Locale },
): void {
  server.withTypeProvider<ZodTypeProvider>().post(
    '/api/conversations/:id/transcript-email',
    {
      onRequest: requireRole(...ACCESS.conversations.write),
      schema: {
        tags: ['conversations'],
        summary: "Email the conversation's transcript to the customer's known address",
        params: conversationIdParams,
        response: { 200: transcriptEmailAnswer, ...errorResponses(401, 403, 404, 409, 503) },
      },
    },
    async (req) => {
      const { id } = req.params;
      const conversation = /^[0-9a-f]{24}$/i.test(id)
        ? await findConversation(new Types.ObjectId(id))
        : null;
      if (!conversation) throw notFound('The conversation');
      if (!deps.mail) {
        throw conflict(
          'mail_not_configured',
          'Mail is not set up on the server (SMTP_URL, EMAIL_ADDRESS): no transcript can be sent.',
        );
      }
      const contact = await Contact.findById(conversation.contactId, {
        emails: 1,
        name: 1,
        locale: 1,
      }).lean();
      const to = contact?.emails?.at(-1);
      if (!to) {
        throw conflict(
          'no_customer_email',
          'No email is known for this customer: add one to the contact first.',
        );
      }
      const locale =
        ((conversation.locale ?? contact?.locale) as Locale | undefined) ?? deps.defaultLocale;
      let messages: number;
      try {
        ({ messages } = await mailTranscript(deps.mail, {
          conversationId: conversation._id,
          to,
          locale,
          name: contact?.name,
        }));
      } catch (err) {
        const code = (err as { responseCode?: number }).responseCode;
        req.log.warn({ conversationId: id, code }, 'transcript mail not sent');
        throw unavailable(
          'mail_refused',
          `The mail server did not take the transcript${code ? ` (${code})` : ''}; try again later.`,
        );
      }
      await recordAudit({
        actor: actorOf(req),
        action: 'conversation.transcript_emailed',
        targetType: 'conversation',
        targetId: id,
        details: { contactId: conversation.contactId.toHexString(), messages, locale },
      });
      return { sentTo: to, messages, locale };
    },
  );
}
