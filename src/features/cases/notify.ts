/**
 * Telling the customer their case is resolved, on their own channel and in their language, and
 * asking for a 1–5 rating with quick replies. The answer comes back as an ordinary message; the
 * engine reads it as a rating while `awaitingRating` is set (src/pipeline/actions/csat.ts). Called under the
 * conversation's lock (src/features/cases/edits.ts); replies go through the Outbox like staff replies.
 */
import type { Locale } from '../../kernel/contracts/messages.js';
import type { Outbox } from '../../pipeline/outbox.js';
import { findConversation } from '../../kernel/db/conversations.js';
import { Case, type CaseDoc } from '../../kernel/db/models/case.js';
import { Contact } from '../../kernel/db/models/contact.js';
import { awaitRating } from '../../kernel/db/conversation-state.js';
import { RATING_WINDOW_MS } from '../../pipeline/actions/csat.js';
import { caseCustomerTexts } from '../../pipeline/actions/case-texts.js';

export const RATING_CHOICES = ['1', '2', '3', '4', '5'].map((n) => ({ title: n, payload: n }));

/** Returns whether the customer was told (false: the case has no conversation to answer on). */
export async function notifyResolved(
  deps: { outbox: Outbox; defaultLocale: Locale },
  c: CaseDoc,
  now: Date,
): Promise<boolean> {
  const conversation = c.conversationId ? await findConversation(c.conversationId) : null;
  if (!conversation) return false;
  const contact = c.contactId ? await Contact.findById(c.contactId, { locale: 1 }).lean() : null;
  const locale =
    ((conversation.locale ?? contact?.locale) as Locale | undefined) ?? deps.defaultLocale;
  const t = caseCustomerTexts(locale);
  await deps.outbox.send(
    conversation,
    [{ text: t.resolved(c.number) }, { text: t.askRating, quickReplies: RATING_CHOICES }],
    { kind: 'system' },
  );
  await awaitRating(conversation._id, c._id, new Date(now.getTime() + RATING_WINDOW_MS));
  await Case.updateOne(
    { _id: c._id },
    {
      $set: { 'csat.requestedAt': now },
      $push: { timeline: { at: now, kind: 'customer_notified', to: locale } },
    },
  );
  return true;
}
