/** Atomic sequences (case numbers), one Counter document per sequence. */
import { Counter } from './models/counter.js';

/** The next value of a sequence, starting at 1. Atomic across processes (single-document $inc). */
export async function nextSequence(name: string): Promise<number> {
  const doc = await Counter.findOneAndUpdate(
    { _id: name },
    { $inc: { seq: 1 } },
    { upsert: true, returnDocument: 'after' },
  ).lean<{ seq: number }>();
  if (!doc) throw new Error(`counter ${name} did not return a value`);
  return doc.seq;
}
