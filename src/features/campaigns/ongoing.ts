/**
 * Ongoing web chat campaigns (issue 21.2, on-page rules like Chatwoot's): a message the widget
 * shows as a teaser after `secondsOnPage` on a page whose URL matches `urlPattern`, to every
 * visitor or only returning ones (a visitor whose web chat session — so contact — is known). Each
 * visitor sees a campaign at most once: an OngoingImpression per (campaign, contact) or, for a
 * visitor without a session, per (campaign, the widget's random visitor id), unique by `_id`
 * (one winner on MongoDB and FerretDB alike). Returning visitors also need web chat marketing
 * consent (README: why anonymous visitors do not).
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import mongoose, { Schema, Types, model, type InferSchemaType } from 'mongoose';
import { recordAudit } from '../../kernel/audit.js';
import { marketingConsentOn } from '../../kernel/db/contacts.js';
import { Contact, type ContactDoc } from '../../kernel/db/models/contact.js';
import { Conversation } from '../../kernel/db/models/conversation.js';
import { invalid, notFound } from '../../kernel/errors.js';
import { actorLabel, type Actor } from '../../kernel/roles.js';
import type { OngoingCampaignView, OngoingCreateBody, OngoingUpdateBody } from './schemas.js';

const ongoingSchema = new Schema(
  {
    name: { type: String, required: true },
    /** {urlPattern, secondsOnPage, audience} */
    rules: { type: Schema.Types.Mixed, required: true },
    /** {es?: {text}, en?: {text}} */
    message: { type: Schema.Types.Mixed, required: true },
    enabled: { type: Boolean, default: false, index: true },
    createdBy: String,
  },
  { timestamps: true, minimize: false },
);
export type OngoingDoc = InferSchemaType<typeof ongoingSchema> & {
  _id: Types.ObjectId;
  createdAt: Date;
  updatedAt: Date;
};
export const OngoingCampaign = model('OngoingCampaign', ongoingSchema);

const impressionSchema = new Schema(
  {
    /** `<campaignId>:c:<contactId>` or `<campaignId>:v:<visitorId>`: once per visitor. */
    _id: { type: String },
    campaignId: { type: Schema.Types.ObjectId, required: true, index: true },
    contactId: { type: Schema.Types.ObjectId, index: true },
    shownAt: { type: Date, required: true },
    repliedAt: Date,
  },
  { versionKey: false },
);
export const OngoingImpression = model('OngoingImpression', impressionSchema);

// ---------------------------------------------------------------- URL patterns

/**
 * Does `url` match `pattern`? `*` is any run of characters; the pattern must match the whole URL
 * or its path (with the query). A pattern without `*` matches when the URL contains it. Matching
 * walks the literal pieces left to right with indexOf (greedy-leftmost is exact for `*`-only
 * globs): linear in the URL per piece, no regex, so no catastrophic backtracking.
 */
export function urlMatches(pattern: string, url: string): boolean {
  if (!pattern.includes('*')) return url.includes(pattern);
  let path = url;
  try {
    const u = new URL(url);
    path = u.pathname + u.search;
  } catch {
    /* not absolute: the URL is its own path */
  }
  return globWhole(pattern, url) || globWhole(pattern, path);
}

function globWhole(pattern: string, text: string): boolean {
  const pieces = pattern.split('*');
  const first = pieces[0]!;
  const last = pieces[pieces.length - 1]!;
  if (!text.startsWith(first)) return false;
  if (text.length < first.length + last.length || !text.endsWith(last)) return false;
  let at = first.length;
  const end = text.length - last.length;
  for (const piece of pieces.slice(1, -1)) {
    if (piece === '') continue;
    const found = text.indexOf(piece, at);
    if (found < 0 || found + piece.length > end) return false;
    at = found + piece.length;
  }
  return at <= end;
}

// ---------------------------------------------------------------- staff side

async function counts(id: Types.ObjectId) {
  const [shown, replied] = await Promise.all([
    OngoingImpression.countDocuments({ campaignId: id }),
    OngoingImpression.countDocuments({ campaignId: id, repliedAt: { $exists: true } }),
  ]);
  return { shown, replied };
}

export async function ongoingView(doc: OngoingDoc): Promise<OngoingCampaignView> {
  return {
    id: doc._id.toHexString(),
    name: doc.name,
    rules: doc.rules as OngoingCampaignView['rules'],
    message: doc.message as OngoingCampaignView['message'],
    enabled: doc.enabled ?? false,
    counts: await counts(doc._id),
    createdAt: new Date(doc.createdAt).toISOString(),
    updatedAt: new Date(doc.updatedAt).toISOString(),
  };
}

export async function listOngoing(): Promise<OngoingCampaignView[]> {
  const docs = await OngoingCampaign.find({})
    .sort({ createdAt: -1 })
    .limit(200)
    .lean<OngoingDoc[]>();
  return Promise.all(docs.map(ongoingView));
}

async function findOngoing(id: string): Promise<OngoingDoc> {
  const doc = Types.ObjectId.isValid(id)
    ? await OngoingCampaign.findById(id).lean<OngoingDoc>()
    : null;
  if (!doc) throw notFound('The ongoing campaign');
  return doc;
}

const auditShape = (d: Pick<OngoingDoc, 'name' | 'rules' | 'message' | 'enabled'>) => ({
  campaign: d.name,
  rules: d.rules,
  languages: Object.keys((d.message as object) ?? {}),
  enabled: d.enabled,
});

export async function createOngoing(body: OngoingCreateBody, actor: Actor): Promise<OngoingDoc> {
  const doc = await OngoingCampaign.create({ ...body, createdBy: actorLabel(actor) });
  await recordAudit({
    actor,
    action: 'campaign.ongoing_create',
    targetType: 'OngoingCampaign',
    targetId: doc._id.toHexString(),
    after: auditShape(doc),
  });
  return doc.toObject() as OngoingDoc;
}

export async function updateOngoing(
  id: string,
  body: OngoingUpdateBody,
  actor: Actor,
): Promise<OngoingDoc> {
  const before = await findOngoing(id);
  if (Object.keys(body).length === 0) throw invalid('empty_change', 'Nothing to change.');
  await OngoingCampaign.updateOne({ _id: before._id }, { $set: body });
  const after = await findOngoing(id);
  await recordAudit({
    actor,
    action: 'campaign.ongoing_update',
    targetType: 'OngoingCampaign',
    targetId: id,
    before: auditShape(before),
    after: auditShape(after),
  });
  return after;
}

// ---------------------------------------------------------------- the widget's side

export interface Visitor {
  /** Set when the request carried a valid web chat session: a returning, known visitor. */
  contactId?: Types.ObjectId;
  locale?: 'es' | 'en';
  visitorId?: string;
}

/**
 * The visitor's web chat session when the id and token match (SHA-256 compared in constant time,
 * as the web chat channel does — it is read here from its collection since features do not
 * import channels). Anything else is an anonymous visitor.
 */
export async function visitorOf(
  sessionId: string | undefined,
  token: string | undefined,
  visitorId: string | undefined,
): Promise<Visitor> {
  if (!sessionId || !token || !/^[\w.-]{1,200}$/.test(sessionId)) return { visitorId };
  const s = await mongoose.connection
    .collection<{ _id: string; tokenHash: string; contactId: Types.ObjectId; locale?: string }>(
      'webchatsessions',
    )
    .findOne({ _id: sessionId });
  if (!s) return { visitorId };
  const expected = Buffer.from(s.tokenHash, 'hex');
  const given = createHash('sha256').update(token).digest();
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) return { visitorId };
  return {
    contactId: s.contactId,
    locale: s.locale === 'en' || s.locale === 'es' ? s.locale : undefined,
    visitorId,
  };
}

const impressionId = (campaignId: Types.ObjectId, v: Visitor): string | undefined =>
  v.contactId
    ? `${campaignId.toHexString()}:c:${v.contactId.toHexString()}`
    : v.visitorId
      ? `${campaignId.toHexString()}:v:${v.visitorId}`
      : undefined;

async function eligible(c: OngoingDoc, v: Visitor, contact: ContactDoc | null): Promise<boolean> {
  const rules = c.rules as { audience: string };
  if (rules.audience === 'returning') {
    // A known contact gets a marketing message only with web chat marketing consent.
    if (!contact || (contact as { erasedAt?: Date }).erasedAt) return false;
    if (marketingConsentOn(contact, 'webchat') !== 'granted') return false;
  }
  // Seen already: under this contact (whichever device or key it was first recorded with), or
  // under this browser's visitor id.
  if (
    v.contactId &&
    (await OngoingImpression.exists({ campaignId: c._id, contactId: v.contactId }))
  ) {
    return false;
  }
  if (v.visitorId) {
    return !(await OngoingImpression.exists({ _id: `${c._id.toHexString()}:v:${v.visitorId}` }));
  }
  return true;
}

/** The first enabled campaign (oldest first) whose rules match this visitor on this URL. */
export async function matchOngoing(
  url: string,
  v: Visitor,
  locale: 'es' | 'en' | undefined,
): Promise<{ id: string; text: string; secondsOnPage: number } | null> {
  const active = await OngoingCampaign.find({ enabled: true })
    .sort({ createdAt: 1 })
    .limit(100)
    .lean<OngoingDoc[]>();
  const contact = v.contactId ? await Contact.findById(v.contactId).lean<ContactDoc>() : null;
  const lang = locale ?? v.locale ?? (contact?.locale === 'en' ? 'en' : 'es');
  for (const c of active) {
    const rules = c.rules as { urlPattern: string; secondsOnPage: number; audience: string };
    if (rules.audience === 'returning' && !v.contactId) continue;
    if (!urlMatches(rules.urlPattern, url)) continue;
    if (!(await eligible(c, v, contact))) continue;
    const m = c.message as Record<'es' | 'en', { text: string } | undefined>;
    const text = (m[lang] ?? m[lang === 'es' ? 'en' : 'es'])?.text;
    if (!text) continue;
    return { id: c._id.toHexString(), text, secondsOnPage: rules.secondsOnPage };
  }
  return null;
}

/**
 * The widget showed the campaign: record the impression (once; a second call records nothing)
 * and, for a known visitor, tie the session's open conversation to the campaign so a reply is
 * attributed to it. Refused (false) when the campaign no longer matches this visitor and URL.
 */
export async function recordShown(campaignId: string, url: string, v: Visitor): Promise<boolean> {
  if (!Types.ObjectId.isValid(campaignId)) throw notFound('The ongoing campaign');
  const c = await OngoingCampaign.findById(campaignId).lean<OngoingDoc>();
  if (!c || !c.enabled) throw notFound('The ongoing campaign');
  const rules = c.rules as { urlPattern: string; audience: string };
  const id = impressionId(c._id, v);
  if (!id) throw invalid('no_visitor', 'Give a visitorId or the web chat session.');
  if (rules.audience === 'returning' && !v.contactId) return false;
  if (!urlMatches(rules.urlPattern, url)) return false;
  if (v.contactId && v.visitorId) {
    // An anonymous visitor saw it and then opened the chat (a session now): the same impression,
    // from now on the contact's, so their reply counts.
    const moved = await OngoingImpression.updateOne(
      { _id: `${c._id.toHexString()}:v:${v.visitorId}`, contactId: { $exists: false } },
      { $set: { contactId: v.contactId } },
    );
    if (moved.modifiedCount === 1) {
      await tieConversations(v.contactId, c._id);
      return true;
    }
  }
  const contact = v.contactId ? await Contact.findById(v.contactId).lean<ContactDoc>() : null;
  if (!(await eligible(c, v, contact))) return false;
  try {
    await OngoingImpression.create({
      _id: id,
      campaignId: c._id,
      ...(v.contactId ? { contactId: v.contactId } : {}),
      shownAt: new Date(),
    });
  } catch (err) {
    if ((err as { code?: number }).code === 11000) return false;
    throw err;
  }
  if (v.contactId) await tieConversations(v.contactId, c._id);
  return true;
}

async function tieConversations(contactId: Types.ObjectId, campaignId: Types.ObjectId) {
  await Conversation.updateMany(
    { contactId, channel: 'webchat', status: { $ne: 'closed' } },
    { $set: { ongoingCampaignId: campaignId } },
  );
}

/** A customer turn in a conversation tied to an ongoing campaign: replied, once. */
export async function onOngoingTurn(
  conversation: { contactId: Types.ObjectId; ongoingCampaignId?: Types.ObjectId },
  at: Date,
): Promise<void> {
  if (!conversation.ongoingCampaignId) return;
  await OngoingImpression.updateOne(
    {
      campaignId: conversation.ongoingCampaignId,
      contactId: conversation.contactId,
      repliedAt: { $exists: false },
      shownAt: { $lte: at },
    },
    { $set: { repliedAt: at } },
  );
}
