import { Schema, model, type InferSchemaType, type Types } from 'mongoose';
import { CHANNEL_IDS, CONVERSATION_STATUSES } from '../../vocabulary.js';
export { CONVERSATION_STATUSES };

export type { ConversationStatus } from '../../vocabulary.js';

/** Where a conversation stands in a flow: which flow, which slot is pending, what was captured. */
const flowStateSchema = new Schema(
  {
    name: { type: String, required: true },
    slot: String,
    slots: { type: Schema.Types.Mixed, default: {} },
    attempts: { type: Number, default: 0 },
    startedAt: { type: Date, default: () => new Date() },
  },
  { _id: false, minimize: false },
);

const statusChangeSchema = new Schema(
  {
    status: { type: String, enum: CONVERSATION_STATUSES, required: true },
    at: { type: Date, required: true },
    by: String,
    reason: String,
    /** For `assigned` entries made by someone else (a reassignment, auto-assignment): who got it. */
    to: String,
  },
  { _id: false },
);

const conversationSchema = new Schema(
  {
    contactId: { type: Schema.Types.ObjectId, ref: 'Contact', required: true, index: true },
    channel: { type: String, enum: CHANNEL_IDS, required: true },
    platformConversationId: { type: String, required: true },
    platformUserId: { type: String, required: true },
    /** Opaque data the adapter needs to reply (e.g. Bot Framework serviceUrl). */
    replyContext: { type: Schema.Types.Mixed },
    /** The marketing campaign whose message this conversation answers (src/features/campaigns). */
    campaignId: { type: Schema.Types.ObjectId, ref: 'Campaign' },
    /** The ongoing web chat campaign (features/campaigns/ongoing.ts) whose teaser the visitor saw. */
    ongoingCampaignId: { type: Schema.Types.ObjectId, ref: 'OngoingCampaign' },
    status: { type: String, enum: CONVERSATION_STATUSES, default: 'bot', index: true },
    statusHistory: { type: [statusChangeSchema], default: [] },
    locale: { type: String, enum: ['es', 'en'] },
    flow: { type: flowStateSchema, default: null },
    /** The flow a human took over from, resumed when the bot gets the conversation back. */
    suspendedFlow: { type: flowStateSchema, default: null },
    fallbackCount: { type: Number, default: 0 },
    /**
     * The last engine turn whose state was saved: the inbound message it answered, how many
     * replies it wrote (ids derived from the message) and the hand-over it asked for. A replayed
     * message with this id re-runs only the delivery (docs/ARCHITECTURE.md, crash consistency).
     */
    lastTurn: {
      type: new Schema(
        { messageId: Schema.Types.ObjectId, replies: Number, escalate: String },
        { _id: false },
      ),
      default: undefined,
    },
    intentsSeen: { type: [String], default: [] },
    /**
     * The quick-reply payloads the bot's last turn offered: a next message equal to one is a
     * button pick (Message.answerTo = choice). Rides on the turn's update.
     */
    offered: { type: [String], default: undefined },
    /**
     * A clarifying question (or the fallback's menu) the bot's last turn asked: the intents it
     * offered and the message it was unsure of (id and text, to route it once the customer
     * picks). Read and cleared by the next turn (src/pipeline/engine/stages/clarify.ts).
     */
    clarifying: {
      type: new Schema(
        { intents: [String], messageId: Schema.Types.ObjectId, text: String },
        { _id: false },
      ),
      default: undefined,
    },
    /**
     * The lead this conversation captured (written with the turn that ran create_lead): its
     * later turns queue a rescore of that lead (src/features/leads/scoring/queue.ts); others cost nothing.
     */
    leadId: { type: Schema.Types.ObjectId, ref: 'Lead' },
    /**
     * A satisfaction rating asked of the customer (a case was resolved): the next message is
     * read as a 1–5 answer first (src/pipeline/actions/csat.ts), and the request is cleared either way.
     */
    awaitingRating: {
      type: new Schema({ caseId: Schema.Types.ObjectId, until: Date }, { _id: false }),
      default: undefined,
    },
    /**
     * The customer's last message, for the console's lists. Written by the conversation update
     * the engine (or the escalator's relay) already makes for that message: no extra write.
     */
    lastMessageAt: Date,
    lastMessageText: String,
    lastIntent: String,
    /**
     * Sentiment of the last customer messages (src/pipeline/insight/trend.ts) and when two negative ones in
     * a row marked the customer as frustrated. Scores only, no text; rides on the turn's update.
     */
    sentiment: {
      type: new Schema(
        {
          trend: {
            type: [
              new Schema(
                { at: Date, score: Number, messageId: Schema.Types.ObjectId },
                { _id: false },
              ),
            ],
            default: [],
          },
          frustratedAt: { type: Date, default: null },
        },
        { _id: false },
      ),
      default: undefined,
    },
    /** `high` once the customer reads as frustrated: the staff queue shows it first. */
    priority: { type: String, enum: ['high'], default: undefined },
    assignee: { id: String, name: String },
    /** The team the conversation is routed to (src/features/assignment/), while with staff. */
    team: { id: String, name: String },
    escalation: {
      reason: String,
      queuedAt: Date,
      assignedAt: Date,
      closedAt: Date,
      lastPingAt: Date,
      /** Where the queue item lives in the staff tool (Slack channel + ts). */
      itemChannel: String,
      itemTs: String,
      /** Escalated outside BUSINESS_HOURS: the customer was offered a callback. */
      afterHours: Boolean,
      /** Customer messages waiting to be copied to the staff thread, in arrival order. */
      pendingRelay: { type: [Schema.Types.ObjectId], default: undefined },
    },
  },
  { timestamps: true },
);
conversationSchema.index({ channel: 1, platformConversationId: 1, status: 1 });
// The console's lists: newest activity first, optionally by status (off the hot path).
conversationSchema.index({ lastMessageAt: -1 });
conversationSchema.index({ status: 1, lastMessageAt: -1 });

export type ConversationDoc = InferSchemaType<typeof conversationSchema> & { _id: Types.ObjectId };
export const Conversation = model('Conversation', conversationSchema);
