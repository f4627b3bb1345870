/**
 * What the bot missed: inbound messages it fell back on or answered with low confidence
 * (`Message.nlu.confidence` below the threshold plus a margin; a fallback has intent null and a
 * confidence under the threshold), grouped by similarity so an admin sees "37 people asked about
 * parking" once. Off the hot path, but bounded: a date range of at most MAX_RANGE_DAYS and at
 * most MAX_MESSAGES messages (newest first) per query.
 *
 * Grouping: each text becomes the NLU's own features (stemmed words, bigrams, character
 * n-grams; features.ts) as a unit vector; greedy clustering puts a message in the first group
 * whose seed is at least SIMILARITY-cosine close, else it starts a group. Messages their turn
 * marked as answers to the bot (`Message.answerTo`: a slot, a rating, a button pick, a
 * clarification) are left out at the query; for older messages, replies that carry an email, a
 * phone or a case number, and yes/no/skip/cancel words, are left out too. Texts are shown with
 * personal data masked (mask.ts): emails, phones, introduced names.
 */
import { Types } from 'mongoose';
import type { Locale } from '../../kernel/contracts/messages.js';
import { extractEntities } from '../../pipeline/nlu/entities.js';
import { featurize } from '../../pipeline/nlu/features.js';
import type { CharlaNlu } from '../../pipeline/nlu/index.js';
import { isCancel, isSkip, parseYesNo } from '../../pipeline/flows/slots.js';
import { DismissedMessageModel } from '../../kernel/db/models/catalogue.js';
import { Message } from '../../kernel/db/models/message.js';
import { maskPersonalData } from './mask.js';
import { normalizePhrase } from './report.js';
import { SANDBOX_CHANNEL } from './sandbox.js';
import { MAX_MESSAGES } from './schemas.js';

export { MAX_MESSAGES };

export const CONFIDENCE_MARGIN = 0.15;
export const MAX_RANGE_DAYS = 92;
export const DEFAULT_RANGE_DAYS = 30;
export const DEFAULT_MESSAGES = 1000;
export const SIMILARITY = 0.45;
const EXAMPLES = 5;
const MAX_GROUPS = 200;

export interface UnansweredQuery {
  from?: Date;
  to?: Date;
  language?: Locale;
  limit?: number;
}

export interface UnansweredGroup {
  /** The seed message's id (stable for one query). */
  id: string;
  count: number;
  language: Locale;
  examples: Array<{ id: string; text: string; at: Date; confidence: number }>;
  messageIds: string[];
  closestIntent: { intent: string; confidence: number } | null;
  firstAt: Date;
  lastAt: Date;
}

export interface UnansweredResult {
  from: Date;
  to: Date;
  /** Messages looked at (at most the limit: `truncated` says the range held more). */
  scanned: number;
  truncated: boolean;
  groups: UnansweredGroup[];
}

interface Candidate {
  id: string;
  text: string;
  at: Date;
  language: Locale;
  confidence: number;
}

type Vector = Map<string, number>;

function vectorOf(text: string, language: Locale): Vector {
  const counts: Vector = new Map();
  for (const f of featurize(text, language)) counts.set(f, (counts.get(f) ?? 0) + 1);
  let norm = 0;
  for (const v of counts.values()) norm += v * v;
  norm = Math.sqrt(norm) || 1;
  for (const [k, v] of counts) counts.set(k, v / norm);
  return counts;
}

function cosine(a: Vector, b: Vector): number {
  const [small, large] = a.size < b.size ? [a, b] : [b, a];
  let dot = 0;
  for (const [k, v] of small) dot += v * (large.get(k) ?? 0);
  return dot;
}

/**
 * Answers to a flow's question rather than questions of their own, for messages stored before
 * turns marked them (`answerTo`): a yes/no/skip/cancel word, or a short text that is mostly an
 * email, a phone or a case number. A longer question that mentions one stays (masked).
 */
function isSlotAnswer(text: string, language: Locale): boolean {
  if (isCancel(text) || isSkip(text) || parseYesNo(text) !== undefined) return true;
  if (text.trim().split(/\s+/).length > 4) return false;
  const e = extractEntities(text, language);
  return Boolean(e.emails?.length || e.phones?.length || e.caseNumbers?.length);
}

export function resolveRange(q: UnansweredQuery, now = new Date()): { from: Date; to: Date } {
  const to = q.to ?? now;
  const from = q.from ?? new Date(to.getTime() - DEFAULT_RANGE_DAYS * 86_400_000);
  return { from, to };
}

async function candidates(
  q: UnansweredQuery,
  threshold: number,
  from: Date,
  to: Date,
  limit: number,
) {
  const filter: Record<string, unknown> = {
    direction: 'in',
    channel: { $ne: SANDBOX_CHANNEL },
    createdAt: { $gte: from, $lte: to },
    'nlu.confidence': { $lt: threshold + CONFIDENCE_MARGIN },
    answerTo: { $exists: false },
  };
  if (q.language) filter['nlu.language'] = q.language;
  const docs = await Message.find(filter, { text: 1, nlu: 1, createdAt: 1 })
    .sort({ createdAt: -1 })
    .limit(limit)
    .lean<
      Array<{
        _id: Types.ObjectId;
        text?: string;
        createdAt: Date;
        nlu?: { confidence?: number; language?: string };
      }>
    >();
  const dismissed = new Set(
    (
      await DismissedMessageModel.find({ _id: { $in: docs.map((d) => d._id) } }, { _id: 1 }).lean<
        Array<{ _id: Types.ObjectId }>
      >()
    ).map((d) => d._id.toHexString()),
  );
  const picked = await pickedMessages(docs.map((d) => d._id));
  const out: Candidate[] = [];
  for (const d of docs) {
    const text = (d.text ?? '').trim();
    const language = (d.nlu?.language === 'en' ? 'en' : 'es') as Locale;
    if (!text || dismissed.has(d._id.toHexString()) || picked.has(d._id.toHexString())) continue;
    if (isSlotAnswer(text, language)) continue;
    out.push({
      id: d._id.toHexString(),
      text,
      at: d.createdAt,
      language,
      confidence: d.nlu?.confidence ?? 0,
    });
  }
  return { out, scanned: docs.length };
}

/**
 * Of these messages, those the bot asked about and the customer then picked an intent for (a
 * clarification answer names them in `clarified.of`): understood in the end, so not missed.
 */
async function pickedMessages(ids: Types.ObjectId[]): Promise<Set<string>> {
  if (ids.length === 0) return new Set();
  const answers = await Message.find(
    { answerTo: 'clarification', 'clarified.of': { $in: ids }, 'clarified.intent': { $ne: null } },
    { clarified: 1 },
  ).lean<Array<{ clarified?: { of?: Types.ObjectId } }>>();
  return new Set(answers.flatMap((a) => (a.clarified?.of ? [a.clarified.of.toHexString()] : [])));
}

export interface ClarifiedPick {
  /** The message the bot asked about (add it as a training phrase by this id). */
  id: string;
  /** Its text, personal data masked. */
  text: string;
  language: Locale;
  /** The intent the customer picked. */
  intent: string;
  at: Date;
}

/**
 * What customers picked when the bot asked which intent they meant, newest first: each message
 * the bot was unsure of with the intent chosen, for an admin to add as a training phrase of that
 * intent (POST /api/nlu/unanswered/add with its id). Same range and limits as the list above.
 */
export async function clarifiedPicks(q: UnansweredQuery): Promise<ClarifiedPick[]> {
  const { from, to } = resolveRange(q);
  const limit = Math.min(q.limit ?? DEFAULT_MESSAGES, MAX_MESSAGES);
  const answers = await Message.find(
    {
      direction: 'in',
      channel: { $ne: SANDBOX_CHANNEL },
      answerTo: 'clarification',
      'clarified.intent': { $ne: null },
      createdAt: { $gte: from, $lte: to },
    },
    { clarified: 1, createdAt: 1 },
  )
    .sort({ createdAt: -1 })
    .limit(limit)
    .lean<
      Array<{ clarified?: { of?: Types.ObjectId; intent?: string | null }; createdAt: Date }>
    >();
  const ids = answers.flatMap((a) => (a.clarified?.of ? [a.clarified.of] : []));
  if (ids.length === 0) return [];
  const originals = await Message.find(
    { _id: { $in: ids }, direction: 'in' },
    { text: 1, nlu: 1 },
  ).lean<Array<{ _id: Types.ObjectId; text?: string; nlu?: { language?: string } }>>();
  const byId = new Map(originals.map((o) => [o._id.toHexString(), o]));
  const out: ClarifiedPick[] = [];
  for (const a of answers) {
    const original = a.clarified?.of ? byId.get(a.clarified.of.toHexString()) : undefined;
    const text = (original?.text ?? '').trim();
    if (!original || !text || !a.clarified?.intent) continue;
    const language: Locale = original.nlu?.language === 'en' ? 'en' : 'es';
    if (q.language && q.language !== language) continue;
    out.push({
      id: original._id.toHexString(),
      text: maskPersonalData(text, language),
      language,
      intent: a.clarified.intent,
      at: a.createdAt,
    });
  }
  return out;
}

interface Cluster {
  seed: Candidate;
  vector: Vector;
  members: Candidate[];
}

function cluster(items: Candidate[]): Cluster[] {
  const clusters: Cluster[] = [];
  const byText = new Map<string, Cluster>();
  for (const item of items) {
    const key = normalizePhrase(item.text);
    const same = byText.get(key);
    if (same) {
      same.members.push(item);
      continue;
    }
    const vector = vectorOf(item.text, item.language);
    let best: Cluster | undefined;
    let bestSim = SIMILARITY;
    for (const c of clusters) {
      const sim = cosine(vector, c.vector);
      if (sim >= bestSim) {
        best = c;
        bestSim = sim;
      }
    }
    if (best) best.members.push(item);
    else {
      best = { seed: item, vector, members: [item] };
      clusters.push(best);
    }
    byText.set(key, best);
  }
  return clusters;
}

/** Up to EXAMPLES members with different texts (the same question asked twice shows once). */
function distinctTexts(members: Candidate[]): Candidate[] {
  const seen = new Set<string>();
  const out: Candidate[] = [];
  for (const m of members) {
    const key = normalizePhrase(m.text);
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(m);
    if (out.length === EXAMPLES) break;
  }
  return out;
}

function majorityLanguage(members: Candidate[]): Locale {
  const es = members.filter((m) => m.language === 'es').length;
  return es * 2 >= members.length ? 'es' : 'en';
}

export async function unansweredGroups(
  nlu: CharlaNlu,
  threshold: number,
  q: UnansweredQuery,
): Promise<UnansweredResult> {
  const { from, to } = resolveRange(q);
  const limit = Math.min(q.limit ?? DEFAULT_MESSAGES, MAX_MESSAGES);
  const { out, scanned } = await candidates(q, threshold, from, to, limit);
  const groups = cluster(out)
    .sort(
      (a, b) => b.members.length - a.members.length || b.seed.at.getTime() - a.seed.at.getTime(),
    )
    .slice(0, MAX_GROUPS)
    .map((c): UnansweredGroup => {
      const times = c.members.map((m) => m.at.getTime());
      return {
        id: c.seed.id,
        count: c.members.length,
        language: majorityLanguage(c.members),
        examples: distinctTexts(c.members).map((m) => ({
          id: m.id,
          text: maskPersonalData(m.text, m.language),
          at: m.at,
          confidence: m.confidence,
        })),
        messageIds: c.members.map((m) => m.id),
        closestIntent: nlu.rank(c.seed.text, 1)[0] ?? null,
        firstAt: new Date(Math.min(...times)),
        lastAt: new Date(Math.max(...times)),
      };
    });
  return { from, to, scanned, truncated: scanned >= limit, groups };
}

/**
 * The texts of these inbound messages (for "add as a training phrase"), as the list showed them:
 * personal data masked, so no customer's email or phone becomes training data.
 */
export async function messageTexts(ids: string[]): Promise<string[]> {
  const objectIds = ids
    .filter((id) => Types.ObjectId.isValid(id))
    .map((id) => new Types.ObjectId(id));
  const docs = await Message.find(
    { _id: { $in: objectIds }, direction: 'in' },
    { text: 1, nlu: 1 },
  ).lean<Array<{ text?: string; nlu?: { language?: string } }>>();
  return docs
    .map((d) => maskPersonalData((d.text ?? '').trim(), d.nlu?.language === 'en' ? 'en' : 'es'))
    .filter(Boolean);
}

/** Hides these messages from the unanswered list; returns how many were newly dismissed. */
export async function dismissMessages(ids: string[], by: string): Promise<number> {
  const valid = [...new Set(ids)].filter((id) => Types.ObjectId.isValid(id));
  let added = 0;
  for (const id of valid) {
    const res = await DismissedMessageModel.updateOne(
      { _id: new Types.ObjectId(id) },
      { $setOnInsert: { by } },
      { upsert: true },
    );
    added += res.upsertedCount ?? 0;
  }
  return added;
}

/**
 * Analytics' top unanswered questions: these inbound messages (ids the rollups keep, newest
 * first) read one by one by `_id` (FerretDB scans `$in`), grouped like the list above; erased,
 * dismissed and slot-answer texts left out. Biggest groups first, the seed's text as the label.
 */
export async function topUnansweredTexts(
  ids: Types.ObjectId[],
  max: number,
): Promise<Array<{ text: string; count: number }>> {
  type Doc = {
    _id: Types.ObjectId;
    text?: string;
    createdAt: Date;
    nlu?: { language?: string };
    answerTo?: string;
  };
  const docs: Array<Doc | null> = [];
  for (let i = 0; i < ids.length; i += 25) {
    const chunk = ids.slice(i, i + 25);
    docs.push(
      ...(await Promise.all(
        chunk.map((id) =>
          Message.findById(id, { text: 1, nlu: 1, createdAt: 1, answerTo: 1 }).lean<Doc>(),
        ),
      )),
    );
  }
  const dismissed = await Promise.all(
    ids.map((id) => DismissedMessageModel.exists({ _id: id }).then((d) => d !== null)),
  );
  const items: Candidate[] = [];
  docs.forEach((d, i) => {
    const text = (d?.text ?? '').trim();
    const language = (d?.nlu?.language === 'en' ? 'en' : 'es') as Locale;
    if (!d || !text || dismissed[i] || d.answerTo || isSlotAnswer(text, language)) return;
    items.push({ id: d._id.toHexString(), text, at: d.createdAt, language, confidence: 0 });
  });
  return cluster(items)
    .sort((a, b) => b.members.length - a.members.length)
    .slice(0, max)
    .map((c) => ({
      text: maskPersonalData(c.seed.text, c.seed.language),
      count: c.members.length,
    }));
}
