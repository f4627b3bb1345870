/**
 * Erasure and webhooks out: a delivery's body rides on its BullMQ job (src/features/webhooks/queue.ts),
 * kept a week after success and 30 days after a failure, so the person's lead or case data would
 * outlive the erase in Redis. This removes every job of the webhooks queue whose event data names
 * one of the subject's records (contact, conversation, lead or case id) — finished ones, and
 * waiting or delayed ones too, so nothing about an erased person is sent afterwards. Delivery
 * records hold no body and stay (they count what was sent). A job being sent at this very moment
 * cannot be removed (BullMQ holds its lock); it is sent once and expires with its kind.
 *
 * It reads the whole queue (up to its retention caps), which is fine for an admin action that is
 * rare; the hot path never pays for it.
 */
import type { Job, Queue } from 'bullmq';
import type { DataSubject } from './subject.js';

const STATES = [
  'completed',
  'failed',
  'delayed',
  'wait',
  'prioritized',
  'waiting-children',
] as const;
const BATCH = 500;

function mentions(job: Job, ids: string[]): boolean {
  const data = JSON.stringify((job.data as { data?: unknown } | undefined)?.data ?? {});
  return ids.some((id) => data.includes(id));
}

/** Removes the webhook jobs about the subject; how many. */
export async function dropWebhookJobs(queue: Queue, subject: DataSubject): Promise<number> {
  const ids = [
    ...subject.contactIds,
    ...subject.conversationIds,
    ...subject.leadIds,
    ...subject.caseIds,
  ].map(String);
  // Read every page first, remove after: removing while paging would shift the windows.
  const found: Job[] = [];
  for (let start = 0; ; start += BATCH) {
    const jobs = await queue.getJobs([...STATES], start, start + BATCH - 1, true);
    found.push(...jobs.filter((job) => job && mentions(job, ids)));
    if (jobs.length < BATCH) break;
  }
  let removed = 0;
  for (const job of found) {
    try {
      await job.remove();
      removed += 1;
    } catch {
      // Locked by a worker sending it right now: see the note above.
    }
  }
  return removed;
}
