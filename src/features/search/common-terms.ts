/**
 * How common each term is, estimated from a sample: which of a query's terms to let the
 * database look up (the rarest) and which to check on its matches. FerretDB serves one
 * `{terms: t}` from its index (`$all` and `$and` of several are not pushed down: FerretDB reads
 * every match of the first and filters them itself), so the query looks up the rarest term alone
 * and the others are checked in Node on a bounded cursor over its matches (query.ts).
 * The sample is the first SAMPLE documents with terms (no sort: FerretDB would sort them all),
 * kept per field for TTL and refreshed in the background.
 */
import type { Collection } from 'mongodb';

const SAMPLE = 3_000;
const TTL_MS = 10 * 60_000;

export interface TermStats {
  /** Share of sampled documents holding the term (0 when unseen). */
  share(term: string): number;
}

interface Entry {
  at: number;
  stats: Promise<TermStats>;
}

async function sample(collection: Collection, field: string): Promise<TermStats> {
  const docs = await collection
    .find({ [field]: { $exists: true } }, { projection: { [field]: 1, _id: 0 } })
    .limit(SAMPLE)
    .toArray();
  const counts = new Map<string, number>();
  for (const d of docs) {
    for (const t of (d[field] as string[] | undefined) ?? [])
      counts.set(t, (counts.get(t) ?? 0) + 1);
  }
  const n = Math.max(docs.length, 1);
  return { share: (t) => (counts.get(t) ?? 0) / n };
}

export function createTermStats(now: () => number = Date.now) {
  const cache = new Map<string, Entry>();
  return function statsFor(collection: Collection, field: string): Promise<TermStats> {
    const key = `${collection.collectionName}.${field}`;
    const entry = cache.get(key);
    if (entry && now() - entry.at < TTL_MS) return entry.stats;
    const fresh = sample(collection, field).catch((): TermStats => ({ share: () => 0 }));
    if (!entry) {
      cache.set(key, { at: now(), stats: fresh });
      return fresh;
    }
    // A stale sample still answers while the new one is taken (once: `at` moves on now).
    entry.at = now();
    void fresh.then((s) => cache.set(key, { at: now(), stats: Promise.resolve(s) }));
    return entry.stats;
  };
}

/**
 * A query's terms, rarest first (by the sample; unseen terms first, the longest of those): the
 * first is the one the database looks up by its index, the rest are checked on its matches.
 */
export function rankTerms(terms: string[], stats: TermStats): string[] {
  return [...terms].sort((a, b) => stats.share(a) - stats.share(b) || b.length - a.length);
}
