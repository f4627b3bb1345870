/**
 * The SLA sweep (a repeatable job): finds queue items waiting longer than the SLA and not
 * pinged within it, and queues one re-ping each. Only one instance pings an item: the write that
 * moves escalation.lastPingAt wins (conversation-state.markPinged).
 */
import type { Queue } from 'bullmq';
import { Conversation, type ConversationDoc } from '../../../kernel/db/models/conversation.js';
import { markPinged } from '../../../kernel/db/conversation-state.js';
import {
  ConversationBusyError,
  type ConversationLock,
} from '../../../kernel/redis/conversation-lock.js';
import { isOpen, type BusinessHours } from '../../../kernel/time/business-hours.js';
import type { EscalationJob } from './jobs.js';

export interface SweepDeps {
  queue: Queue<EscalationJob>;
  lock: ConversationLock;
  slaMinutes: number;
  businessHours: BusinessHours | undefined;
  now: () => Date;
}

export async function sweepOverdue(deps: SweepDeps): Promise<void> {
  const at = deps.now();
  if (deps.businessHours && !isOpen(deps.businessHours, at)) return;
  const cutoff = new Date(at.getTime() - deps.slaMinutes * 60_000);
  const overdue = await Conversation.find(
    {
      status: 'queued',
      'escalation.queuedAt': { $lte: cutoff },
      $or: [{ 'escalation.lastPingAt': null }, { 'escalation.lastPingAt': { $lte: cutoff } }],
    },
    { escalation: 1 },
  )
    .limit(200)
    .lean<ConversationDoc[]>();
  for (const c of overdue) {
    if (!(await claimPing(deps, c, at))) continue;
    const minutes = Math.floor(
      (at.getTime() - new Date(c.escalation!.queuedAt!).getTime()) / 60_000,
    );
    await deps.queue.add(
      'notify',
      { kind: 'notify', conversationId: c._id.toHexString(), minutes },
      { jobId: `ping-${c._id.toHexString()}-${at.getTime()}` },
    );
  }
}

/** True when this instance is the one to ping; a busy conversation waits for the next sweep. */
async function claimPing(deps: SweepDeps, c: ConversationDoc, at: Date): Promise<boolean> {
  const previous = c.escalation?.lastPingAt ?? null;
  try {
    return await deps.lock(c._id.toHexString(), () => markPinged(c._id, previous, at), {
      waitMs: 1000,
    });
  } catch (err) {
    if (err instanceof ConversationBusyError) return false;
    throw err;
  }
}
