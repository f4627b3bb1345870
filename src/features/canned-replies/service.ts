/**
 * Canned replies: who sees and edits which (shared: everyone sees, admins edit; personal: only its
 * owner), CRUD with an audit entry per change, and rendering — the variables filled from the
 * conversation, its case and the agent; a variable without a value is left out and the text
 * tidied ("Hola {{contact.name}}, …" → "Hola, …"), and named in `missing`.
 */
import { Types } from 'mongoose';
import { recordAudit } from '../../kernel/audit.js';
import { conflict, forbidden, notFound } from '../../kernel/errors.js';
import { isDuplicateKeyError } from '../../kernel/db/errors.js';
import { findContact } from '../../kernel/db/contacts.js';
import { findConversation } from '../../kernel/db/conversations.js';
import { Case } from '../../kernel/db/models/case.js';
import { actorLabel, type Actor } from '../../kernel/roles.js';
import { staffOfActor } from '../../kernel/staff.js';
import { customerName, escapeRegex } from '../conversations/index.js';
import { CannedReply, type CannedReplyDoc } from './model.js';
import type {
  CannedReplyView,
  CannedScope,
  CannedVariable,
  cannedCreateBody,
  cannedUpdateBody,
} from './schemas.js';
import type { z } from 'zod';

const isId = (id: string | undefined): id is string => !!id && /^[0-9a-f]{24}$/i.test(id);
const ownerOf = (scope: CannedScope, actor: Actor) =>
  scope === 'shared' ? 'shared' : actorLabel(actor);
const mayEdit = (doc: Pick<CannedReplyDoc, 'owner'>, actor: Actor) =>
  doc.owner === 'shared' ? actor.role === 'admin' : doc.owner === actorLabel(actor);

export function toView(doc: CannedReplyDoc, actor: Actor): CannedReplyView {
  return {
    id: doc._id.toHexString(),
    scope: doc.scope as CannedScope,
    language: doc.language as 'es' | 'en',
    shortcut: doc.shortcut,
    title: doc.title,
    text: doc.text,
    editable: mayEdit(doc, actor),
    updatedAt: doc.updatedAt ? new Date(doc.updatedAt).toISOString() : null,
  };
}

/** Shared replies and the caller's own, by shortcut; `q` matches shortcut, title or text. */
export async function listCanned(
  actor: Actor,
  query: { q?: string; language?: string; scope?: CannedScope },
): Promise<{ items: CannedReplyView[]; total: number }> {
  const owners = query.scope ? [ownerOf(query.scope, actor)] : ['shared', actorLabel(actor)];
  const filter: Record<string, unknown> = { owner: { $in: owners } };
  if (query.language) filter.language = query.language;
  if (query.q) {
    const re = new RegExp(escapeRegex(query.q), 'i');
    filter.$or = [{ shortcut: re }, { title: re }, { text: re }];
  }
  const docs = await CannedReply.find(filter)
    .sort({ shortcut: 1, scope: 1, _id: 1 })
    .limit(500)
    .lean<CannedReplyDoc[]>();
  return { items: docs.map((d) => toView(d, actor)), total: docs.length };
}

const duplicate = () =>
  conflict('shortcut_taken', 'That shortcut is already used in this language and scope.');

async function editable(id: string, actor: Actor): Promise<CannedReplyDoc> {
  const doc = isId(id) ? await CannedReply.findById(id).lean<CannedReplyDoc>() : null;
  // Another person's personal reply is as unknown as a missing one.
  if (!doc || (doc.owner !== 'shared' && doc.owner !== actorLabel(actor))) {
    throw notFound('The canned reply');
  }
  if (!mayEdit(doc, actor)) {
    throw forbidden('shared_admin_only', 'Only admins change shared canned replies.');
  }
  return doc;
}

const fields = (d: Pick<CannedReplyDoc, 'scope' | 'language' | 'shortcut' | 'title'>) => ({
  scope: d.scope,
  language: d.language,
  shortcut: d.shortcut,
  title: d.title,
});

export async function createCanned(
  actor: Actor,
  body: z.output<typeof cannedCreateBody>,
): Promise<CannedReplyView> {
  if (body.scope === 'shared' && actor.role !== 'admin') {
    throw forbidden('shared_admin_only', 'Only admins add shared canned replies.');
  }
  let doc: CannedReplyDoc;
  try {
    doc = (await CannedReply.create({ ...body, owner: ownerOf(body.scope, actor) })).toObject();
  } catch (err) {
    if (isDuplicateKeyError(err)) throw duplicate();
    throw err;
  }
  await recordAudit({
    actor,
    action: 'canned_reply.create',
    targetType: 'CannedReply',
    targetId: doc._id.toHexString(),
    after: { ...fields(doc), text: doc.text },
  });
  return toView(doc, actor);
}

export async function updateCanned(
  actor: Actor,
  id: string,
  body: z.output<typeof cannedUpdateBody>,
): Promise<CannedReplyView> {
  const before = await editable(id, actor);
  let after: CannedReplyDoc | null;
  try {
    after = await CannedReply.findByIdAndUpdate(
      before._id,
      { $set: body },
      {
        returnDocument: 'after',
      },
    ).lean<CannedReplyDoc>();
  } catch (err) {
    if (isDuplicateKeyError(err)) throw duplicate();
    throw err;
  }
  if (!after) throw notFound('The canned reply');
  await recordAudit({
    actor,
    action: 'canned_reply.update',
    targetType: 'CannedReply',
    targetId: id,
    before: { ...fields(before), ...(body.text ? { text: before.text } : {}) },
    after: { ...fields(after), ...(body.text ? { text: after.text } : {}) },
  });
  return toView(after, actor);
}

export async function deleteCanned(actor: Actor, id: string): Promise<void> {
  const doc = await editable(id, actor);
  await CannedReply.deleteOne({ _id: doc._id });
  await recordAudit({
    actor,
    action: 'canned_reply.delete',
    targetType: 'CannedReply',
    targetId: id,
    before: fields(doc),
  });
}

/** The variables' values for a conversation (and its case), as far as they are known. */
async function valuesFor(
  actor: Actor,
  at: { conversationId?: string; caseId?: string },
): Promise<Record<CannedVariable, string | null>> {
  const conversation = isId(at.conversationId) ? await findConversation(at.conversationId) : null;
  const theCase = isId(at.caseId)
    ? await Case.findById(at.caseId, { number: 1, conversationId: 1, contactId: 1 }).lean()
    : conversation
      ? await Case.findOne({ conversationId: conversation._id }, { number: 1 })
          .sort({ createdAt: -1 })
          .lean()
      : null;
  const contactId =
    conversation?.contactId ??
    (theCase as { contactId?: Types.ObjectId } | null)?.contactId ??
    null;
  const name = contactId ? await customerName(await findContact(contactId)) : null;
  const agent = actor.kind === 'user' ? staffOfActor(actor).name?.trim() || null : null;
  return { 'contact.name': name, 'case.number': theCase?.number ?? null, 'agent.name': agent };
}

/** Fills the variables; missing ones are dropped and the spaces and punctuation around tidied. */
export function fillVariables(
  text: string,
  values: Record<CannedVariable, string | null>,
): { text: string; missing: CannedVariable[] } {
  const missing = new Set<CannedVariable>();
  const filled = text.replace(/\{\{\s*([^{}]*?)\s*\}\}/g, (whole, name: string) => {
    if (!(name in values)) return whole;
    const value = values[name as CannedVariable];
    if (value) return value;
    missing.add(name as CannedVariable);
    return '';
  });
  const tidy = missing.size
    ? filled
        .replace(/[ \t]+([,.;:!?)])/g, '$1')
        .replace(/([¡¿(])[ \t]+/g, '$1')
        .replace(/[ \t]{2,}/g, ' ')
        .replace(/^[ \t]+|[ \t]+$/gm, '')
    : filled;
  return { text: tidy, missing: [...missing] };
}

export async function renderCanned(
  actor: Actor,
  id: string,
  at: { conversationId?: string; caseId?: string },
): Promise<{ text: string; missing: CannedVariable[] }> {
  const doc = isId(id) ? await CannedReply.findById(id).lean<CannedReplyDoc>() : null;
  if (!doc || (doc.owner !== 'shared' && doc.owner !== actorLabel(actor))) {
    throw notFound('The canned reply');
  }
  return fillVariables(doc.text, await valuesFor(actor, at));
}
