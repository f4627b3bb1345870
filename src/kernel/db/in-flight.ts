/** The in-flight repository: unfinished work, tracked by `_id` for the reconciler. */
import type { Types } from 'mongoose';
import { allDuplicates } from './errors.js';
import { InFlight, type InFlightDoc } from './models/in-flight.js';

export type InFlightKind = InFlightDoc['kind'];

/**
 * Tracks messages as unfinished; tracking one twice is a no-op. Hot path (every inbound message):
 * the native collection's `insertMany` of the complete documents, no mongoose cast.
 */
export async function trackInFlight(
  kind: InFlightKind,
  conversationId: Types.ObjectId,
  messageIds: Types.ObjectId[],
): Promise<void> {
  if (messageIds.length === 0) return;
  const at = new Date();
  try {
    await InFlight.collection.insertMany(
      messageIds.map((_id) => ({ _id, kind, conversationId, at })),
      { ordered: false },
    );
  } catch (err) {
    if (!allDuplicates(err)) throw err;
  }
}

/** Everything in flight, oldest first (the collection holds only unfinished work). */
export async function listInFlight(): Promise<InFlightDoc[]> {
  return InFlight.find({}).sort({ at: 1 }).lean<InFlightDoc[]>();
}

export async function forgetInFlight(ids: Array<Types.ObjectId | string>): Promise<number> {
  if (ids.length === 0) return 0;
  const res = await InFlight.deleteMany({ _id: { $in: ids } });
  return res.deletedCount ?? 0;
}
