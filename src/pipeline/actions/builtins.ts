/** Built-in intent actions: case_status, order_status, unsubscribe, privacy_request. Each returns its replies. */
import type { BuiltinAction } from '../catalogue/schema.js';
import type { ChannelId } from '../../kernel/contracts/messages.js';
import type { ReplyDraft } from '../outbox.js';
import { CASE_STATUS_NAMES, say } from '../engine/texts.js';
import { createCase, findLatestCase } from '../../kernel/db/cases.js';
import { setMarketingConsent } from '../../kernel/db/contacts.js';
import { turnId } from '../../kernel/db/turn-ids.js';
import type { ActionContext } from './context.js';
import { NO_RECORD_EFFECTS, type RecordEffects } from './effects.js';
import { orderStatus } from './order-status.js';

async function caseStatus(ctx: ActionContext): Promise<ReplyDraft[]> {
  const contactId = ctx.conversation.contactId;
  const asked = ctx.entities.caseNumbers?.[0];
  const found =
    (asked ? await findLatestCase(contactId, asked) : null) ?? (await findLatestCase(contactId));
  if (!found) return [{ text: say('noCases', ctx.locale) }];
  const status = CASE_STATUS_NAMES[found.status]?.[ctx.locale] ?? found.status;
  return [{ text: say('caseStatus', ctx.locale, { number: found.number, status }) }];
}

async function unsubscribe(ctx: ActionContext, effects: RecordEffects): Promise<ReplyDraft[]> {
  const reply = say('unsubscribed', ctx.locale);
  await setMarketingConsent(ctx.conversation.contactId, false, {
    actor: 'customer',
    channel: ctx.conversation.channel,
    wording: reply,
    conversationId: ctx.conversation._id,
    details: { conversationId: ctx.conversation._id.toHexString() },
    ...(ctx.messageId ? { recordId: turnId(ctx.messageId, 'consent') } : {}),
  });
  await effects.events.publish('contact.consent_changed', {
    contactId: ctx.conversation.contactId,
    granted: false,
  });
  return [{ text: reply }];
}

async function privacyRequest(ctx: ActionContext, effects: RecordEffects): Promise<ReplyDraft[]> {
  const created = await createCase(
    {
      type: 'privacy',
      contactId: ctx.conversation.contactId,
      conversationId: ctx.conversation._id,
      channel: ctx.conversation.channel as ChannelId,
      subject: 'Privacy request',
      description: ctx.text,
    },
    ctx.messageId ? turnId(ctx.messageId, 'case') : undefined,
    effects.caseSla,
  );
  await effects.events.publish('case.created', { case: created });
  return [{ text: say('privacyCaseOpened', ctx.locale, { number: created.number }) }];
}

export async function runBuiltin(
  name: BuiltinAction,
  ctx: ActionContext,
  effects: RecordEffects = NO_RECORD_EFFECTS,
): Promise<ReplyDraft[]> {
  switch (name) {
    case 'case_status':
      return caseStatus(ctx);
    case 'order_status':
      return orderStatus(ctx, effects);
    case 'unsubscribe':
      return unsubscribe(ctx, effects);
    case 'privacy_request':
      return privacyRequest(ctx, effects);
  }
}
