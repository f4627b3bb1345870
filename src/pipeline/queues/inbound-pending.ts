/**
 * The inbound worker's pending messages: read from the queued jobs' data while the pending index
 * vouches that they still wait (no MongoDB read on the hot path), else from MongoDB.
 */
import { Types } from 'mongoose';
import type { Attachment } from '../../kernel/contracts/messages.js';
import { findMessage } from '../../kernel/db/messages.js';
import { installIdOf } from '../../kernel/redis/install-scope.js';
import type { TraceCarrier } from '../../kernel/tracing.js';
import type { TurnMessage } from '../engine/turn.js';
import type { ConversationHold } from './turn-scripts.js';

export interface InboundJob {
  conversationId: string;
  messageId: string;
  /** The contact ingest filed it under (from its route cache: may predate a merge). */
  contactId?: string;
  /** The stored message, so the worker reads no message document (absent on older jobs). */
  message?: { text: string; attachments?: Attachment[]; createdAt: string };
  /** The trace of the request that brought it (W3C trace context; only when tracing is on). */
  trace?: TraceCarrier;
}

/** An inbound job's data as BullMQ stored it (JSON), or undefined. */
function jobDataOf(raw: string | undefined): InboundJob | undefined {
  if (!raw) return undefined;
  try {
    const data = JSON.parse(raw) as unknown;
    return typeof data === 'object' && data !== null ? (data as InboundJob) : undefined;
  } catch {
    return undefined;
  }
}

/** A message from its job's data, when the index vouches that it still waits. */
function messageOfJob(data: InboundJob): TurnMessage | undefined {
  if (!data.message) return undefined;
  return {
    _id: new Types.ObjectId(data.messageId),
    conversationId: new Types.ObjectId(data.conversationId),
    ...(data.contactId ? { contactId: new Types.ObjectId(data.contactId) } : {}),
    direction: 'in',
    text: data.message.text,
    attachments: data.message.attachments as TurnMessage['attachments'],
    createdAt: new Date(data.message.createdAt),
  };
}

/**
 * A pending message still to handle: from its queued job's data while the index vouches that it
 * still waits (the job's own, or another's returned by `lockAndList`), else from MongoDB if
 * still `received`; 'missing' when no such message was stored (an index entry only).
 */
export async function loadPending(
  id: string,
  job: InboundJob,
  lock: ConversationHold,
): Promise<TurnMessage | 'missing' | undefined> {
  if (lock.pending.includes(id)) {
    const data = id === job.messageId ? job : jobDataOf(lock.jobData.get(id));
    const ours =
      data?.messageId === id &&
      data.conversationId === job.conversationId &&
      installIdOf(data) === installIdOf(job);
    const fromJob = ours ? messageOfJob(data) : undefined;
    if (fromJob) return fromJob;
  }
  const doc = await findMessage(id);
  if (!doc) return 'missing';
  return doc.status === 'received' ? (doc as TurnMessage) : undefined;
}
