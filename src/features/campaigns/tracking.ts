/**
 * What happens after a campaign message, per recipient (each step recorded once, the first
 * time): clicked (the redirect route), replied (a customer turn in a conversation carrying the
 * campaign's id, after the message was sent), converted (a lead created for the contact within
 * CONVERSION_WINDOW_DAYS of the message), unsubscribed (the contact's consent withdrawn within that
 * window: the email link, the STOP/BAJA keyword, the bot's unsubscribe intent, staff). Steps are
 * published on the bus as `campaign.recipient` (webhooks announce sent, replied, converted).
 *
 * The chat keywords take effect at once: a customer message that is only "STOP", "BAJA" (or
 * "unsubscribe", "darme de baja") withdraws marketing consent on every channel, recorded as a
 * consent change by the customer, whatever the bot's understanding made of it.
 */
import { onOngoingTurn } from './ongoing.js';
import { Types } from 'mongoose';
import { setMarketingConsent } from '../../kernel/db/contacts.js';
import { Contact } from '../../kernel/db/models/contact.js';
import type { ConversationDoc } from '../../kernel/db/models/conversation.js';
import { Message } from '../../kernel/db/models/message.js';
import type { DeliveryReceipt } from '../../kernel/contracts/channel-adapter.js';
import { Conversation } from '../../kernel/db/models/conversation.js';
import type { CampaignRecipientEvent, EventPublisher } from '../../kernel/events.js';
import { Campaign, CampaignRecipient, type RecipientDoc } from './models.js';

export const CONVERSION_WINDOW_DAYS = 30;
const WINDOW_MS = CONVERSION_WINDOW_DAYS * 86_400_000;

type Step = CampaignRecipientEvent['step'];
const FIELD: Record<Exclude<Step, 'sent'>, string> = {
  delivered: 'deliveredAt',
  read: 'readAt',
  clicked: 'clickedAt',
  replied: 'repliedAt',
  converted: 'convertedAt',
  unsubscribed: 'unsubscribedAt',
};

/** Marks a step on a sent recipient the first time; publishes it. True when it was new. */
export async function markStep(
  bus: EventPublisher,
  r: RecipientDoc,
  step: Exclude<Step, 'sent'>,
  at = new Date(),
): Promise<boolean> {
  const field = FIELD[step];
  const res = await CampaignRecipient.updateOne(
    { _id: r._id, state: 'sent', [field]: { $exists: false } },
    { $set: { [field]: at } },
  );
  if (res.modifiedCount !== 1) return false;
  const campaign = await Campaign.findById(r.campaignId, { channel: 1 }).lean();
  await bus.publish('campaign.recipient', {
    step,
    campaignId: r.campaignId,
    recipientId: r._id,
    contactId: r.contactId,
    channel: campaign?.channel ?? 'email',
    variant: r.variant ?? 'A',
    at,
  });
  return true;
}

/** The contact's recipients sent within the window (newest first). */
async function recentRecipients(contactId: Types.ObjectId, now: Date): Promise<RecipientDoc[]> {
  return CampaignRecipient.find({
    contactId,
    state: 'sent',
    sentAt: { $gte: new Date(now.getTime() - WINDOW_MS) },
  })
    .sort({ sentAt: -1 })
    .limit(50)
    .lean<RecipientDoc[]>();
}

export async function onLeadCreated(bus: EventPublisher, contactId: Types.ObjectId): Promise<void> {
  const now = new Date();
  for (const r of await recentRecipients(contactId, now)) await markStep(bus, r, 'converted', now);
}

export async function onConsentWithdrawn(
  bus: EventPublisher,
  contactId: Types.ObjectId,
): Promise<void> {
  const now = new Date();
  for (const r of await recentRecipients(contactId, now)) {
    await markStep(bus, r, 'unsubscribed', now);
  }
}

const STOP_WORDS = new Set(['stop', 'baja', 'unsubscribe', 'darme de baja', 'dar de baja']);
const normalise = (text: string) =>
  text
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[.!¡¿?,;:"'«»()\s]+/g, ' ')
    .trim();

export const isStopKeyword = (text: string): boolean => STOP_WORDS.has(normalise(text));

async function hasAnyConsent(contactId: Types.ObjectId): Promise<boolean> {
  const c = await Contact.findById(contactId, { marketingConsent: 1 }).lean();
  const consent = c?.marketingConsent as
    { granted?: boolean; channels?: Record<string, unknown> } | undefined;
  return consent?.granted === true || Object.values(consent?.channels ?? {}).includes(true);
}

/** The recipient a platform message id stands for (email: the Message-ID, stored with <>). */
const recipientByMessage = (channel: string, platformMessageId: string) =>
  CampaignRecipient.findOne({
    messageId:
      channel === 'email' ? `<${platformMessageId.replace(/^<|>$/g, '')}>` : platformMessageId,
  }).lean<RecipientDoc>();

/**
 * A delivery receipt (WhatsApp statuses, an email bounce): delivered and read recorded once each
 * (read implies delivered: WhatsApp may report them out of order); failed moves a sent recipient
 * to failed with the platform's reason.
 */
export async function onReceipt(bus: EventPublisher, receipt: DeliveryReceipt): Promise<void> {
  if (receipt.status === 'sent') return;
  const r = await recipientByMessage(receipt.channel, receipt.platformMessageId);
  if (!r) return;
  if (receipt.status === 'failed') {
    await CampaignRecipient.updateOne(
      { _id: r._id, state: 'sent' },
      {
        $set: {
          state: 'failed',
          failedAt: receipt.at,
          reason: (receipt.reason ?? 'failed').slice(0, 300),
        },
      },
    );
    return;
  }
  await markStep(bus, r, 'delivered', receipt.at);
  if (receipt.status === 'read') await markStep(bus, r, 'read', receipt.at);
}

/**
 * An email conversation opened by a reply to a campaign mail (the email channel puts the
 * Message-ID it answers in the conversation's replyContext `answers`): the conversation is the
 * campaign's from now on, like a chat reply to a campaign message.
 */
async function emailCampaignOf(conversation: ConversationDoc): Promise<Types.ObjectId | undefined> {
  const answers = (conversation.replyContext as Record<string, string> | undefined)?.answers;
  if (conversation.channel !== 'email' || !answers) return undefined;
  const r = await recipientByMessage('email', answers);
  // Only the recipient's own address (or contact) can answer for it: ids can be forwarded.
  const own =
    r &&
    (r.contactId.equals(conversation.contactId) ||
      r.addressKey === `email:${conversation.platformUserId.toLowerCase()}`);
  if (!own) return undefined;
  await Conversation.updateOne(
    { _id: conversation._id, campaignId: { $exists: false } },
    { $set: { campaignId: r.campaignId } },
  );
  return r.campaignId;
}

/** A customer turn: the STOP/BAJA keyword, and a reply to a campaign. */
export async function onTurn(
  bus: EventPublisher,
  conversation: ConversationDoc | undefined,
  messageId: Types.ObjectId,
  read: { text?: string; at?: Date } = {},
): Promise<void> {
  if (!conversation) return;
  // The turn carries its customer message's text and time; read it only when it does not
  // (keeps the hot path's database budget: issue 13).
  const message =
    read.text !== undefined
      ? { text: read.text, direction: 'in', createdAt: read.at }
      : await Message.findById(messageId, { text: 1, direction: 1, createdAt: 1 }).lean();
  if (!message || message.direction !== 'in') return;
  const contactId = conversation.contactId;
  if (isStopKeyword(message.text ?? '') && (await hasAnyConsent(contactId))) {
    await setMarketingConsent(contactId, false, {
      actor: 'customer',
      channel: conversation.channel,
      wording: 'STOP / BAJA',
      conversationId: conversation._id,
      details: { keyword: true },
    });
    await bus.publish('contact.consent_changed', { contactId, granted: false });
  }
  await onOngoingTurn(
    conversation as { contactId: Types.ObjectId; ongoingCampaignId?: Types.ObjectId },
    (message as { createdAt?: Date }).createdAt ?? new Date(),
  );
  const campaignId =
    (conversation as { campaignId?: Types.ObjectId }).campaignId ??
    (await emailCampaignOf(conversation));
  if (!campaignId) return;
  const r = await CampaignRecipient.findOne({ campaignId, contactId }).lean<RecipientDoc>();
  const at = (message as { createdAt?: Date }).createdAt ?? new Date();
  if (r?.sentAt && at >= new Date(r.sentAt)) await markStep(bus, r, 'replied', at);
}
