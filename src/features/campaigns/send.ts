/**
 * sendMarketingMessage: the one way a marketing message leaves Charla (campaigns, and sequences
 * through the campaigns feature's index.ts). Right before sending it reads the contact again —
 * merged? erased? consent on this channel? reachable there? — and refuses with the reason
 * otherwise, so consent withdrawn a second ago is honoured. Email goes through the mail transport
 * with one-click List-Unsubscribe (RFC 8058); chat through the Outbox on the contact's latest
 * conversation on the channel (opened again when it was closed), which then carries the
 * campaign's id so a reply is attributed to it. WhatsApp sends the campaign's approved template
 * (no footer can be added: the template itself must say how to stop; STOP/BAJA replies work).
 */
import { Types } from 'mongoose';
import type { TemplateSender } from '../../kernel/contracts/channel-adapter.js';
import type { MailTransport } from '../../kernel/contracts/mail.js';
import type { ChannelId } from '../../kernel/contracts/messages.js';
import { openConversation } from '../../kernel/db/conversations.js';
import { Conversation, type ConversationDoc } from '../../kernel/db/models/conversation.js';
import type { Outbox } from '../../pipeline/outbox.js';
import { fillVariables } from '../canned-replies/index.js';
import { customerName } from '../conversations/index.js';
import type { OutreachLookup } from '../outreach/index.js';
import { contentFor, renderMessage, type Rendered } from './content.js';
import { eligibilityOf } from './eligibility.js';
import type { LinkKeys } from './links.js';
import type {
  CampaignChannel,
  CampaignMessage,
  CampaignTemplate,
  ExclusionReason,
} from './schemas.js';
import { templateFor } from './templates.js';

export interface MarketingDeps {
  /** SMTP_URL's transport; undefined: email is off. */
  mail: MailTransport | undefined;
  outbox: Outbox;
  /** Each channel's outreach rule (src/app/features.ts fills it from the adapters). */
  outreach: OutreachLookup;
  links: LinkKeys;
  /** WhatsApp Cloud's template sender (undefined: WhatsApp is off or has no WHATSAPP_WABA_ID). */
  templates?: () => TemplateSender | undefined;
  now?: () => Date;
}

export interface MarketingInput {
  contactId: Types.ObjectId | string;
  channel: CampaignChannel;
  /** The text per language: the contact's language is used, else the other one. */
  content: CampaignMessage;
  /** Attributes the message (links, unsubscribe, replies) to a campaign. */
  campaignId?: Types.ObjectId | string;
  /** A stable local part for the email Message-ID (e.g. the recipient's id). */
  messageKey?: string;
  /** The campaign's links (campaignLinks in links.ts): rewritten through the click redirect. */
  trackLinks?: string[];
  /** WhatsApp: the approved template sent instead of `content` (required there). */
  template?: CampaignTemplate;
}

export type MarketingResult =
  | {
      status: 'sent';
      contactId: string;
      language: 'es' | 'en';
      /** Email: the Message-ID; chat: the outbound Message's id; WhatsApp: the wamid. */
      messageId: string;
      conversationId?: string;
      addressKey: string;
    }
  | {
      status: 'refused';
      contactId: string;
      reason: ExclusionReason | 'channel_off';
      message: string;
    };

const REFUSALS: Record<ExclusionReason | 'channel_off', string> = {
  no_consent: 'The contact has not agreed to marketing messages on this channel.',
  unsubscribed: 'The contact has withdrawn their consent to marketing messages.',
  unreachable: 'The contact cannot be reached on this channel.',
  erased: 'The contact was erased.',
  duplicate: 'Another recipient already gets this message at that address.',
  channel_off: 'The channel is not set up: nothing can be sent there.',
};

const refused = (contactId: string, reason: ExclusionReason | 'channel_off'): MarketingResult => ({
  status: 'refused',
  contactId,
  reason,
  message: REFUSALS[reason],
});

async function sendChat(
  deps: MarketingDeps,
  latest: ConversationDoc,
  rendered: Rendered,
  campaignId: Types.ObjectId | null,
): Promise<{ messageId: string; conversationId: string }> {
  const c =
    latest.status === 'closed'
      ? await openConversation({
          channel: latest.channel as ChannelId,
          platformConversationId: latest.platformConversationId,
          platformUserId: latest.platformUserId,
          contactId: latest.contactId,
          locale: rendered.language,
          replyContext: (latest.replyContext as Record<string, string> | undefined) ?? undefined,
        })
      : latest;
  if (campaignId) await Conversation.updateOne({ _id: c._id }, { $set: { campaignId } });
  const [message] = await deps.outbox.send(c, [{ text: rendered.text }], { kind: 'system' });
  return { messageId: message!._id.toHexString(), conversationId: c._id.toHexString() };
}

/** A variable that comes out empty (no name known) would be refused by Graph: a neutral word. */
const NO_VALUE = { es: 'cliente', en: 'customer' } as const;

/**
 * A WhatsApp template to the customer's number: the approved one in their language, its
 * variables filled for them. The wamid is the recipient's message id, so WhatsApp's statuses
 * mark it delivered and read. The conversation carries the campaign, so a reply is credited.
 */
async function sendTemplate(
  sender: TemplateSender,
  target: { to: string; conversation: ConversationDoc },
  ref: CampaignTemplate,
  language: 'es' | 'en',
  name: string | null,
  campaignId: Types.ObjectId | null,
): Promise<{ messageId: string; conversationId: string }> {
  const template = await templateFor(ref, language);
  if (!template || (template.variables ?? 0) !== ref.variables.length) {
    throw new Error(`WhatsApp template ${ref.name} is no longer approved with these variables`);
  }
  const values = { 'contact.name': name, 'case.number': null, 'agent.name': null };
  const variables = ref.variables.map((v) => fillVariables(v, values).text || NO_VALUE[language]);
  const sent = await sender.send(target.to, {
    name: template.name,
    language: template.language,
    variables,
  });
  if (!sent.platformMessageId) throw new Error('WhatsApp gave no message id');
  if (campaignId) {
    await Conversation.updateOne({ _id: target.conversation._id }, { $set: { campaignId } });
  }
  return {
    messageId: sent.platformMessageId,
    conversationId: target.conversation._id.toHexString(),
  };
}

function emailHeaders(rendered: Rendered, campaignId: Types.ObjectId | null) {
  return {
    'List-Unsubscribe': `<${rendered.unsubscribeUrl}>`,
    'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
    ...(campaignId ? { 'X-Charla-Campaign': campaignId.toHexString() } : {}),
  };
}

/** Sends one marketing message if, read now, the contact may get it; else says why not. */
export async function sendMarketingMessage(
  deps: MarketingDeps,
  input: MarketingInput,
): Promise<MarketingResult> {
  const contactId = new Types.ObjectId(String(input.contactId));
  const campaignId = input.campaignId ? new Types.ObjectId(String(input.campaignId)) : null;
  const now = (deps.now ?? (() => new Date()))();
  if (input.channel === 'email' && !deps.mail)
    return refused(contactId.toHexString(), 'channel_off');
  const who = await eligibilityOf(contactId, input.channel, deps.outreach, now);
  if (!who.ok) return refused(who.contactId.toHexString(), who.reason);
  const id = who.contact._id.toHexString();
  if (who.target.kind === 'whatsapp') {
    const sender = deps.templates?.();
    if (!sender || !input.template) return refused(id, 'channel_off');
    const sent = await sendTemplate(
      sender,
      who.target,
      input.template,
      who.language,
      await customerName(who.contact),
      campaignId,
    );
    return {
      status: 'sent',
      contactId: id,
      language: who.language,
      addressKey: who.addressKey,
      ...sent,
    };
  }
  const { language, content } = contentFor(input.content, who.language);
  const rendered = renderMessage({
    content,
    language,
    name: await customerName(who.contact),
    channel: who.target.kind,
    keys: deps.links,
    contactId: id,
    campaignId: campaignId?.toHexString() ?? null,
    ...(input.trackLinks ? { trackLinks: input.trackLinks } : {}),
  });
  const base = { status: 'sent' as const, contactId: id, language, addressKey: who.addressKey };
  if (who.target.kind === 'chat') {
    return { ...base, ...(await sendChat(deps, who.target.conversation, rendered, campaignId)) };
  }
  const mail = deps.mail!;
  const sent = await mail.send({
    to: who.target.address,
    subject: rendered.subject ?? content.text.split('\n')[0]!.slice(0, 120),
    text: rendered.text,
    headers: emailHeaders(rendered, campaignId),
    ...(input.messageKey ? { messageId: mail.messageIdFor(input.messageKey) } : {}),
  });
  return { ...base, messageId: sent.messageId };
}
