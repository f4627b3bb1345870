/**
 * The campaign documents. A Campaign is what the marketer wrote; a CampaignRecipient is one
 * contact of it, unique per (campaign, contact) and per (campaign, address) — the second keeps
 * two contacts with one email address (or one chat) from getting the message twice. A
 * CampaignClaim is inserted (unique `_id` = the recipient's id) before a send: of two workers,
 * instances or replays, exactly one insert succeeds, on MongoDB and on FerretDB alike (a
 * conditional findOneAndUpdate is not atomic on FerretDB, docs/ARCHITECTURE.md).
 */
import { Schema, model, type InferSchemaType, type Types } from 'mongoose';
import {
  CAMPAIGN_CHANNELS,
  CAMPAIGN_STATUSES,
  EXCLUSION_REASONS,
  RECIPIENT_STATES,
} from './schemas.js';

const campaignSchema = new Schema(
  {
    name: { type: String, required: true },
    segmentId: { type: Schema.Types.ObjectId, ref: 'Segment', required: true },
    channel: { type: String, enum: CAMPAIGN_CHANNELS, required: true },
    status: { type: String, enum: CAMPAIGN_STATUSES, default: 'draft', index: true },
    /** {es?: {subject?, text}, en?: {subject?, text}} */
    message: { type: Schema.Types.Mixed, default: {} },
    /** WhatsApp: {name, language?, variables: string[]} (an approved template; no `message`). */
    template: { type: Schema.Types.Mixed },
    /** [{name, weight, message}]: the main message is variant `A` with the rest of the split. */
    variants: { type: [Schema.Types.Mixed], default: [] },
    /** When the start runs (for sendAtLocal: the first instant any time zone reaches it). */
    sendAt: Date,
    /** `YYYY-MM-DDTHH:MM` on each contact's own clock (their timeZone, else DEFAULT_TIMEZONE). */
    sendAtLocal: String,
    /** {start: 'HH:MM', end: 'HH:MM'}, each contact's local time: sends wait until the end. */
    quietHours: { type: Schema.Types.Mixed },
    /** The status a paused campaign goes back to on resume. */
    pausedFrom: String,
    startedAt: Date,
    /**
     * Set once the start job has listed every recipient: until then nobody queued does not mean
     * finished (the sweep would otherwise close a campaign whose listing is still running).
     */
    listedAt: Date,
    finishedAt: Date,
    /** `user:<id>` or `admin-token`. */
    createdBy: String,
  },
  { timestamps: true, minimize: false },
);
export type CampaignDoc = InferSchemaType<typeof campaignSchema> & {
  _id: Types.ObjectId;
  createdAt: Date;
  updatedAt: Date;
};
export const Campaign = model('Campaign', campaignSchema);

const recipientSchema = new Schema(
  {
    campaignId: { type: Schema.Types.ObjectId, ref: 'Campaign', required: true },
    contactId: { type: Schema.Types.ObjectId, ref: 'Contact', required: true, index: true },
    /** `email:<address>` or `<channel>:<platformConversationId>`: one message per address. */
    addressKey: { type: String, required: true },
    state: { type: String, enum: RECIPIENT_STATES, default: 'queued' },
    variant: { type: String, default: 'A' },
    language: { type: String, enum: ['es', 'en'] },
    /** The contact's time zone when listed (scheduling and quiet hours). */
    timeZone: String,
    /** Not sent before this (its local send time, past quiet hours); unset: at once. */
    dueAt: Date,
    /** Why it was skipped at send time (consent withdrawn meanwhile…) or why it failed. */
    reason: String,
    skipped: { type: String, enum: EXCLUSION_REASONS },
    sentAt: Date,
    failedAt: Date,
    deliveredAt: Date,
    readAt: Date,
    clickedAt: Date,
    repliedAt: Date,
    convertedAt: Date,
    unsubscribedAt: Date,
    /** The outbound Message (chat channels) or the email Message-ID. */
    messageId: String,
    conversationId: { type: Schema.Types.ObjectId, ref: 'Conversation' },
  },
  { timestamps: true },
);
recipientSchema.index({ campaignId: 1, contactId: 1 }, { unique: true });
recipientSchema.index({ campaignId: 1, addressKey: 1 }, { unique: true });
recipientSchema.index({ campaignId: 1, state: 1 });
// Delivery receipts and email replies find their recipient by the message's platform id.
recipientSchema.index({ messageId: 1 });
export type RecipientDoc = InferSchemaType<typeof recipientSchema> & {
  _id: Types.ObjectId;
  createdAt: Date;
};
export const CampaignRecipient = model('CampaignRecipient', recipientSchema);

const claimSchema = new Schema(
  {
    _id: { type: Schema.Types.ObjectId, required: true },
    campaignId: { type: Schema.Types.ObjectId, required: true, index: true },
    /** Which process claimed it (host:pid), for the chaos report. */
    by: String,
  },
  { timestamps: { createdAt: true, updatedAt: false } },
);
export const CampaignClaim = model('CampaignClaim', claimSchema);

/** WhatsApp's message templates as the platform listed them at the last sync (templates.ts). */
const whatsappTemplateSchema = new Schema({
  name: { type: String, required: true },
  /** The platform's language code (`es`, `en_US`). */
  language: { type: String, required: true },
  /** APPROVED, PENDING, REJECTED, PAUSED… only APPROVED ones can be sent. */
  status: { type: String, required: true },
  category: String,
  /** The body text with its `{{1}}`… placeholders. */
  body: String,
  variables: { type: Number, default: 0 },
  syncedAt: { type: Date, required: true },
});
whatsappTemplateSchema.index({ name: 1, language: 1 }, { unique: true });
export type WhatsAppTemplateDoc = InferSchemaType<typeof whatsappTemplateSchema> & {
  _id: Types.ObjectId;
};
export const WhatsAppTemplate = model('WhatsAppTemplate', whatsappTemplateSchema);
