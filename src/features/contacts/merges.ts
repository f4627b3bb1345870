/**
 * Staff merges of two customers, with a preview and an undo. The bot merges on its own when a
 * captured email or phone matches (src/kernel/db/contacts.ts `mergeContacts`); staff use the same
 * merge, but first see what goes where, and the merge's audit entry records what moved and what
 * was added to the survivor, so "Undo" can put it back:
 *
 * - preview: the survivor's details after the merge, and how many conversations, leads, cases and
 *   channel identities move;
 * - merge: `mergeContacts` with the moved ids and added values in the audit entry's `undo`;
 * - undo: identities, conversations (with their messages), leads, cases and orders go back to the merged
 *   contact, values that came only from it are taken off the survivor, and the merged contact is
 *   in use again. What arrived after the merge stays where it landed (the survivor).
 *
 * Both drop ingest's cached route of every moved conversation, so the next customer message is
 * routed by the identities as they are now, not as they were.
 */
import type { Redis } from 'ioredis';
import { Types } from 'mongoose';
import { forgetRoute } from '../../pipeline/queues/route-cache.js';
import { recordAudit } from '../../kernel/audit.js';
import { mergeContacts } from '../../kernel/db/contacts.js';
import { AuditEntry } from '../../kernel/db/models/audit-entry.js';
import { Case } from '../../kernel/db/models/case.js';
import { Contact, ContactIdentity, type ContactDoc } from '../../kernel/db/models/contact.js';
import { Conversation } from '../../kernel/db/models/conversation.js';
import { Lead } from '../../kernel/db/models/lead.js';
import { Message } from '../../kernel/db/models/message.js';
import { Order } from '../../kernel/db/models/order.js';
import { actorLabel, type Actor } from '../../kernel/roles.js';
import { conflict, invalid, notFound } from '../../kernel/errors.js';
import type { MergePreview } from './schemas.js';

type Live = ContactDoc & { erasedAt?: Date };

/** Ingest's route cache (src/pipeline/queues/route-cache.ts), to forget moved conversations. */
export interface RouteCache {
  redis: Redis;
  prefix: string;
}

async function forgetRoutes(cache: RouteCache, conversationIds: string[]): Promise<void> {
  if (conversationIds.length === 0) return;
  const docs = await Conversation.find(
    { _id: { $in: conversationIds.map((i) => new Types.ObjectId(i)) } },
    { channel: 1, platformConversationId: 1 },
  ).lean<{ channel: string; platformConversationId?: string }[]>();
  for (const d of docs) {
    if (d.platformConversationId) {
      await forgetRoute(cache.redis, cache.prefix, d.channel, d.platformConversationId);
    }
  }
}

/** What an undo needs: the ids that moved and the values the survivor gained. */
interface UndoRecord {
  identityKeys: string[];
  identities: { channel: string; platformUserId: string; displayName?: string | null }[];
  conversations: string[];
  leads: string[];
  cases: string[];
  orders?: string[];
  emails: string[];
  phones: string[];
  tags: string[];
  externalIds?: string[];
  name: boolean;
  locale: boolean;
}

async function live(id: string, what: string): Promise<Live> {
  const c = Types.ObjectId.isValid(id) ? await Contact.findById(id).lean<Live>() : null;
  if (!c) throw notFound(what);
  if (c.erasedAt) throw conflict('contact_erased', `${what} was erased.`);
  if (c.mergedInto) {
    throw conflict('contact_merged', `${what} was already merged into ${String(c.mergedInto)}.`);
  }
  return c;
}

async function pair(survivorId: string, otherId: string): Promise<[Live, Live]> {
  if (survivorId.toLowerCase() === otherId.toLowerCase()) {
    throw invalid('same_contact', 'A customer cannot be merged with itself.');
  }
  return [await live(survivorId, 'The customer'), await live(otherId, 'The other customer')];
}

const hexIds = (docs: { _id: Types.ObjectId }[]) => docs.map((d) => d._id.toHexString());
const idsOnly = { _id: 1 } as const;

const missingFrom = (have: string[] | undefined, add: string[] | undefined) =>
  (add ?? []).filter((v) => !(have ?? []).includes(v));

async function undoRecordOf(survivor: Live, merged: Live): Promise<UndoRecord> {
  const owned = { contactId: merged._id };
  const [conversations, leads, cases, orders, identityDocs] = await Promise.all([
    Conversation.find(owned, idsOnly).lean<{ _id: Types.ObjectId }[]>().then(hexIds),
    Lead.find(owned, idsOnly).lean<{ _id: Types.ObjectId }[]>().then(hexIds),
    Case.find(owned, idsOnly).lean<{ _id: Types.ObjectId }[]>().then(hexIds),
    Order.find(owned, idsOnly).lean<{ _id: Types.ObjectId }[]>().then(hexIds),
    ContactIdentity.find(owned, { key: 1 }).lean<{ key: string }[]>(),
  ]);
  const have = new Set((survivor.identities ?? []).map((i) => `${i.channel}:${i.platformUserId}`));
  return {
    identityKeys: identityDocs.map((d) => d.key),
    identities: (merged.identities ?? [])
      .filter((i) => !have.has(`${i.channel}:${i.platformUserId}`))
      .map((i) => ({
        channel: i.channel,
        platformUserId: i.platformUserId,
        displayName: i.displayName ?? null,
      })),
    conversations,
    leads,
    cases,
    orders,
    emails: missingFrom(survivor.emails, merged.emails),
    phones: missingFrom(survivor.phones, merged.phones),
    tags: missingFrom(survivor.tags, merged.tags),
    externalIds: missingFrom(survivor.externalIds, merged.externalIds),
    name: !survivor.name && !!merged.name,
    locale: !survivor.locale && !!merged.locale,
  };
}

/** What merging `otherId` into `survivorId` would do; changes nothing. */
export async function previewMerge(survivorId: string, otherId: string): Promise<MergePreview> {
  const [survivor, other] = await pair(survivorId, otherId);
  const undo = await undoRecordOf(survivor, other);
  return {
    survivorId: survivor._id.toHexString(),
    mergedId: other._id.toHexString(),
    result: {
      name: survivor.name ?? other.name ?? null,
      emails: [...(survivor.emails ?? []), ...undo.emails],
      phones: [...(survivor.phones ?? []), ...undo.phones],
      tags: [...(survivor.tags ?? []), ...undo.tags],
      channels: [
        ...new Set([...(survivor.identities ?? []), ...undo.identities].map((i) => i.channel)),
      ],
    },
    moves: {
      conversations: undo.conversations.length,
      leads: undo.leads.length,
      cases: undo.cases.length,
      orders: undo.orders?.length ?? 0,
      identities: undo.identityKeys.length,
    },
    nameKept: !!survivor.name && !!other.name && survivor.name !== other.name ? other.name : null,
  };
}

/** Merges `otherId` into `survivorId` (staff), recording what an undo needs. */
export async function mergeByStaff(
  survivorId: string,
  otherId: string,
  actor: Actor,
  cache: RouteCache,
): Promise<void> {
  const [survivor, other] = await pair(survivorId, otherId);
  const undo = await undoRecordOf(survivor, other);
  await mergeContacts(survivor._id, other._id, {
    actor: actorLabel(actor),
    actorName: actor.name,
    reason: 'staff',
    details: { undo },
  });
  await forgetRoutes(cache, undo.conversations);
}

interface MergeEntry {
  _id: Types.ObjectId;
  targetId: string;
  details?: { into?: string; undo?: UndoRecord; undoneAt?: Date };
}

/** Puts back a staff merge of `mergedId` into `survivorId`. */
export async function undoMerge(
  survivorId: string,
  mergedId: string,
  actor: Actor,
  cache: RouteCache,
): Promise<void> {
  const entry = await AuditEntry.findOne({
    action: { $in: ['contact.merge', 'contact.merge_undone'] },
    targetType: 'Contact',
    targetId: mergedId.toLowerCase(),
    'details.into': survivorId.toLowerCase(),
  })
    .sort({ createdAt: -1, _id: -1 })
    .lean<MergeEntry>();
  if (!entry) throw notFound('The merge');
  const undo = entry.details?.undo;
  if (!undo) {
    throw conflict('merge_not_undoable', 'Only merges made by staff in the console can be undone.');
  }
  if (entry.details?.undoneAt) throw conflict('merge_undone', 'This merge was already undone.');
  const survivor = await live(survivorId, 'The customer');
  const merged = await Contact.findById(mergedId).lean<Live>();
  if (!merged || merged.erasedAt) throw conflict('contact_erased', 'The merged customer is gone.');
  await putBack(survivor._id, merged._id, undo);
  await forgetRoutes(cache, undo.conversations);
  // Renamed, so a later merge of the same two writes its own entry (the store upserts by action).
  await AuditEntry.updateOne(
    { _id: entry._id },
    { $set: { action: 'contact.merge_undone', 'details.undoneAt': new Date() } },
  );
  await recordAudit({
    actor,
    action: 'contact.unmerge',
    targetType: 'Contact',
    targetId: merged._id.toHexString(),
    details: { from: survivor._id.toHexString() },
  });
}

/** The undo's writes, in an order that a re-run after a crash finishes. */
async function putBack(survivorId: Types.ObjectId, mergedId: Types.ObjectId, undo: UndoRecord) {
  const oids = (list: string[]) => list.map((i) => new Types.ObjectId(i));
  const back = { $set: { contactId: mergedId } };
  await ContactIdentity.updateMany({ key: { $in: undo.identityKeys } }, back);
  await Conversation.updateMany({ _id: { $in: oids(undo.conversations) } }, back);
  await Message.updateMany(
    { conversationId: { $in: oids(undo.conversations) }, contactId: survivorId },
    back,
  );
  await Lead.updateMany({ _id: { $in: oids(undo.leads) } }, back);
  await Case.updateMany({ _id: { $in: oids(undo.cases) } }, back);
  await Order.updateMany({ _id: { $in: oids(undo.orders ?? []) } }, back);
  const survivor = await Contact.findById(survivorId).lean<Live>();
  if (survivor) {
    const without = (list: string[] | undefined, drop: string[]) =>
      (list ?? []).filter((v) => !drop.includes(v));
    const movedIdentity = new Set(undo.identities.map((i) => `${i.channel}:${i.platformUserId}`));
    const unset: Record<string, ''> = {};
    if (undo.name) unset.name = '';
    if (undo.locale) unset.locale = '';
    await Contact.updateOne(
      { _id: survivorId },
      {
        $set: {
          emails: without(survivor.emails, undo.emails),
          phones: without(survivor.phones, undo.phones),
          tags: without(survivor.tags, undo.tags),
          externalIds: without(survivor.externalIds, undo.externalIds ?? []),
          identities: (survivor.identities ?? []).filter(
            (i) => !movedIdentity.has(`${i.channel}:${i.platformUserId}`),
          ),
        },
        ...(Object.keys(unset).length > 0 ? { $unset: unset } : {}),
      },
    );
  }
  await Contact.updateOne({ _id: mergedId }, { $unset: { mergedInto: '' } });
}
