/**
 * Deterministic ids for what one inbound message's turn writes (its replies, the case or lead it
 * opens), so a replayed turn writes the same documents again — a no-op — instead of new ones.
 *
 * Layout of the 12 bytes: the inbound id's 4-byte timestamp (ids still sort by time, to the
 * second), 5 bytes of SHA-1 over (inbound id, tag), then a 3-byte index. The replies of one turn
 * therefore share their first 9 bytes and ascend with their index, which the delivery order relies
 * on (the pending index orders ties by member).
 */
import { createHash } from 'node:crypto';
import { Types } from 'mongoose';

export type TurnRecord = 'reply' | 'case' | 'lead' | 'consent';

export function turnId(
  messageId: Types.ObjectId | string,
  tag: TurnRecord,
  index = 0,
): Types.ObjectId {
  const source = typeof messageId === 'string' ? new Types.ObjectId(messageId) : messageId;
  const bytes = Buffer.alloc(12);
  source.id.subarray(0, 4).forEach((b, i) => (bytes[i] = b));
  createHash('sha1').update(source.toHexString()).update(`:${tag}`).digest().copy(bytes, 4, 0, 5);
  bytes.writeUIntBE(index, 9, 3);
  return new Types.ObjectId(bytes);
}

/** The ids of a turn's `count` replies, in delivery order. */
export const replyIds = (messageId: Types.ObjectId | string, count: number): Types.ObjectId[] =>
  Array.from({ length: count }, (_, i) => turnId(messageId, 'reply', i));
