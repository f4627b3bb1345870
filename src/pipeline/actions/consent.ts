/**
 * A marketing opt-in answered in a flow (the lead form's consent question): stored through the
 * consent store as the customer's own change — granted or not, the wording shown, its language,
 * the channel and conversation — with an id derived from the message, so a replayed turn writes
 * nothing twice. Runs after the lead is written: the store copies the consent onto the contact's
 * leads, so consent filters and exports see it.
 */
import type { Types } from 'mongoose';
import { setMarketingConsent } from '../../kernel/db/contacts.js';
import { turnId } from '../../kernel/db/turn-ids.js';
import type { ConsentAnswer } from '../flows/runtime.js';
import type { ActionContext } from './context.js';
import { NO_RECORD_EFFECTS, type RecordEffects } from './effects.js';

export async function recordConsent(
  contactId: Types.ObjectId,
  answer: ConsentAnswer,
  ctx: ActionContext,
  effects: RecordEffects = NO_RECORD_EFFECTS,
): Promise<void> {
  const { conversation } = ctx;
  await setMarketingConsent(contactId, answer.granted, {
    actor: 'customer',
    channel: conversation.channel,
    wording: answer.wording,
    language: answer.language,
    conversationId: conversation._id,
    details: { conversationId: conversation._id.toHexString(), source: 'flow' },
    ...(ctx.messageId ? { recordId: turnId(ctx.messageId, 'consent') } : {}),
  });
  await effects.events.publish('contact.consent_changed', { contactId, granted: answer.granted });
}
