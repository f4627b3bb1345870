/**
 * Customer satisfaction (CSAT): reading a 1–5 answer ("5", "cinco", "five", "4/5", "⭐⭐⭐⭐",
 * "5 estrellas") and storing it on the case. The engine asks `ratingOf` only while the
 * conversation has a pending request (`awaitingRating`, set when a case is resolved).
 */
import type { Types } from 'mongoose';
import { Case } from '../../kernel/db/models/case.js';

/** How long a rating request waits for its answer. */
export const RATING_WINDOW_MS = 7 * 24 * 3600_000;

const WORDS: Record<string, number> = {
  uno: 1,
  una: 1,
  one: 1,
  dos: 2,
  two: 2,
  tres: 3,
  three: 3,
  cuatro: 4,
  four: 4,
  cinco: 5,
  five: 5,
};

const fold = (s: string) => s.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();

/** The rating a message gives (1–5), or undefined when it is not a bare rating. */
export function ratingOf(text: string): number | undefined {
  const raw = text.trim();
  if (!raw || raw.length > 40) return undefined;
  // Stars only: ⭐⭐⭐ or ★★★★ (the variation selector some keyboards add is ignored).
  const stars = raw.replace(/[\uFE0F\s]/g, '');
  if (/^[⭐★🌟]+$/u.test(stars)) {
    const n = [...stars].length;
    return n >= 1 && n <= 5 ? n : undefined;
  }
  const t = fold(raw)
    .replace(/\u20E3/g, '') // keycap digits: 5️⃣
    .replace(/[\uFE0F!.¡,]/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  const m =
    /^([1-5]|[a-z]+)(?: ?\/ ?5| de 5| out of 5| of 5)?(?: (?:estrellas?|stars?|puntos?|points?))?$/.exec(
      t,
    );
  if (!m) return undefined;
  const n = /^[1-5]$/.test(m[1]!) ? Number(m[1]) : WORDS[m[1]!];
  return n;
}

export interface PendingRating {
  caseId?: Types.ObjectId | null;
  until?: Date | null;
}

/** A request that still waits for its answer at `now`. */
export const isAwaitingRating = (p: PendingRating | null | undefined, now: Date): boolean =>
  !!p?.caseId && (!p.until || new Date(p.until).getTime() > now.getTime());

/**
 * Stores the rating on the case with a timeline entry; idempotent per message (a replayed turn
 * writes nothing more).
 */
export async function recordRating(
  caseId: Types.ObjectId,
  rating: number,
  messageId: Types.ObjectId,
  now: Date,
): Promise<void> {
  await Case.updateOne(
    { _id: caseId, 'csat.messageId': { $ne: messageId } },
    {
      $set: { 'csat.rating': rating, 'csat.at': now, 'csat.messageId': messageId },
      $push: { timeline: { at: now, kind: 'csat', to: String(rating) } },
    },
  );
}
