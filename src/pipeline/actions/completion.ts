/**
 * Completion actions of flows that write CRM records: create_lead, create_case, create_callback.
 * (escalate is run by the engine, which also suspends flows.) Returns the values the completion
 * message may show, such as the case `number`.
 */
import type { Types } from 'mongoose';
import type { SlotValue } from '../flows/slots.js';
import { createCase } from '../../kernel/db/cases.js';
import { addContactDetails } from '../../kernel/db/contacts.js';
import { upsertLead } from '../../kernel/db/leads.js';
import type { ChannelId } from '../../kernel/contracts/messages.js';
import { turnId } from '../../kernel/db/turn-ids.js';
import { say } from '../engine/texts.js';
import { mailTranscript } from './transcript.js';
import type { ActionContext } from './context.js';
import { NO_RECORD_EFFECTS, type RecordEffects } from './effects.js';

export type RecordAction = 'create_lead' | 'create_case' | 'create_callback' | 'send_transcript';

const str = (v: SlotValue | undefined): string | undefined =>
  typeof v === 'string' && v.trim() !== '' ? v.trim() : undefined;

export async function runRecordAction(
  action: RecordAction,
  slots: Record<string, SlotValue>,
  ctx: ActionContext,
  effects: RecordEffects = NO_RECORD_EFFECTS,
): Promise<{
  number?: string;
  contactId?: Types.ObjectId;
  leadId?: Types.ObjectId;
  /** Replaces the flow's completion message (send_transcript without mail, or refused). */
  reply?: string;
}> {
  const { conversation } = ctx;
  const channel = conversation.channel as ChannelId;
  const email = str(slots.email)?.toLowerCase();
  const phone = str(slots.phone);
  const name = str(slots.name);

  // Details first (merging contacts when they match another one), so the record links to the
  // contact that survives.
  const contactId = await addContactDetails(conversation.contactId, { email, phone, name });
  const idOf = (tag: 'case' | 'lead') => (ctx.messageId ? turnId(ctx.messageId, tag) : undefined);

  switch (action) {
    case 'create_lead': {
      const { lead, change } = await upsertLead(
        {
          contactId,
          conversationId: conversation._id,
          channel,
          name,
          email,
          phone,
          company: str(slots.company),
          // A flow that asks what they want (an `interest` slot) fills the lead's interest.
          interest: str(slots.interest),
        },
        idOf('lead'),
      );
      if (change) await effects.events.publish(change, { lead });
      return { contactId, leadId: lead._id };
    }
    case 'create_case': {
      const created = await createCase(
        {
          type: 'support',
          contactId,
          conversationId: conversation._id,
          channel,
          description: str(slots.description),
          email,
        },
        idOf('case'),
        effects.caseSla,
      );
      await effects.events.publish('case.created', { case: created });
      return { number: created.number, contactId };
    }
    case 'create_callback': {
      const created = await createCase(
        {
          type: 'callback',
          contactId,
          conversationId: conversation._id,
          channel,
          subject: 'Callback request',
          phone,
          preferredTime: str(slots.preferred_time),
        },
        idOf('case'),
        effects.caseSla,
      );
      await effects.events.publish('case.created', { case: created });
      return { number: created.number, contactId };
    }
    case 'send_transcript':
      return { contactId, ...(await sendTranscript(email, ctx, effects)) };
  }
}

/** The transcript to the email the flow has (known or just given); a reply when it cannot go. */
async function sendTranscript(
  email: string | undefined,
  ctx: ActionContext,
  effects: RecordEffects,
): Promise<{ reply?: string }> {
  if (!effects.mail || !email) return { reply: say('transcriptUnavailable', ctx.locale) };
  try {
    await mailTranscript(effects.mail, {
      conversationId: ctx.conversation._id,
      to: email,
      locale: ctx.locale,
      // A replayed turn sends the same Message-ID: a mail client shows it once.
      ...(ctx.messageId ? { key: ctx.messageId.toHexString() } : {}),
    });
    return {};
  } catch {
    return { reply: say('transcriptFailed', ctx.locale) };
  }
}
