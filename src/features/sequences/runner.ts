/**
 * The sequence runner: takes each due enrolment on a lease (an atomic findOneAndUpdate, so two
 * instances never run one step twice at once), then runs its steps until a wait or the end.
 * A `wait` is done on arrival (the enrolment sleeps until it ends, already past it); a `send` asks
 * the marketing sender, which re-checks consent and reach at that moment; a `branch` jumps. A run
 * that exits on reply ends, when its next step is due, if the contact wrote after its last send.
 *
 * Never twice: before a send, a SequenceSend row with the key `<enrolment>:<step>` is inserted
 * (unique). A runner killed after inserting it and before moving on finds the row on the retry and
 * records the step as already attempted instead of sending again — at most once, by design for
 * marketing.
 */
import type { Types } from 'mongoose';
import type { Logger } from '../../kernel/logger.js';
import { isDuplicateKeyError } from '../../kernel/db/errors.js';
import { Conversation } from '../../kernel/db/models/conversation.js';
import { Lead } from '../../kernel/db/models/lead.js';
import { Message } from '../../kernel/db/models/message.js';
import { Enrolment, Sequence, SequenceSend, type EnrolmentDoc, type SequenceDoc } from './model.js';
import type { SequenceChannel, SequenceMessage, SequenceStep } from './schemas.js';
import { waitEnds } from './timing.js';

const LEASE_MS = 2 * 60_000;
/** Steps run in one go before the runner lets others have a turn (a branch loop without a wait). */
const MAX_STEPS_PER_RUN = 50;
const PAUSED_RETRY_MS = 15 * 60_000;

/** What sends a sequence's message: the campaigns feature's consent-checking sender. */
export type SequenceSender = (input: {
  contactId: Types.ObjectId;
  channel: SequenceChannel;
  message: SequenceMessage;
  /** Unique per enrolment and step. */
  key: string;
  source: { kind: 'sequence'; id: string; name: string };
}) => Promise<{ sent: boolean; reason?: string }>;

interface Outcome {
  step: number;
  nextAt: Date | null;
  status: EnrolmentDoc['status'];
  reason: string | null;
  lastSentAt?: Date;
  history: Array<{ at: Date; step: number; event: string; detail: string }>;
}

/**
 * Whether the contact wrote to us after `since`. Read when a step is due, not on every customer
 * turn: the hot path keeps its database budget (issue 13), and a reply still ends a run before
 * anything else is sent. Conversations by contact, then messages by conversation and time: both
 * indexed.
 */
async function repliedSince(contactId: Types.ObjectId, since: Date): Promise<boolean> {
  const conversations = await Conversation.find({ contactId }, { _id: 1 }).lean();
  if (!conversations.length) return false;
  const found = await Message.exists({
    conversationId: { $in: conversations.map((c) => c._id) },
    direction: 'in',
    createdAt: { $gt: since },
  });
  return found !== null;
}

async function branchHolds(
  when: Extract<SequenceStep, { kind: 'branch' }>['when'],
  enrolment: EnrolmentDoc,
): Promise<boolean> {
  if (when.on === 'replied') {
    return repliedSince(enrolment.contactId, enrolment.lastSentAt ?? enrolment.createdAt);
  }
  const found = await Lead.exists({ contactId: enrolment.contactId, status: when.status });
  return found !== null;
}

async function sendStep(
  step: Extract<SequenceStep, { kind: 'send' }>,
  at: number,
  enrolment: EnrolmentDoc,
  sequence: SequenceDoc,
  send: SequenceSender,
  now: Date,
): Promise<{ event: string; detail: string; sent: boolean }> {
  const key = `${enrolment._id.toHexString()}:${at}`;
  try {
    await SequenceSend.create({ key, enrolmentId: enrolment._id, step: at, channel: step.channel });
  } catch (err) {
    if (!isDuplicateKeyError(err)) throw err;
    return { event: 'skipped', detail: 'already attempted', sent: false };
  }
  const result = await send({
    contactId: enrolment.contactId,
    channel: step.channel,
    message: step.message,
    key,
    source: { kind: 'sequence', id: sequence._id.toHexString(), name: sequence.name },
  });
  await SequenceSend.updateOne(
    { key },
    { $set: { outcome: result.sent ? 'sent' : 'refused', reason: result.reason ?? null, at: now } },
  );
  return result.sent
    ? { event: 'sent', detail: step.channel, sent: true }
    : { event: 'refused', detail: result.reason ?? 'refused', sent: false };
}

async function runSteps(
  enrolment: EnrolmentDoc,
  sequence: SequenceDoc,
  send: SequenceSender,
  now: Date,
): Promise<Outcome> {
  const steps = sequence.steps as SequenceStep[];
  const out: Outcome = {
    step: enrolment.step,
    nextAt: null,
    status: 'active',
    reason: null,
    history: [],
  };
  for (let n = 0; n < MAX_STEPS_PER_RUN; n++) {
    const at = out.step;
    const step = steps[at];
    if (!step) return { ...out, status: 'completed', reason: 'completed' };
    if (step.kind === 'wait') {
      out.history.push({ at: now, step: at, event: 'waiting', detail: '' });
      return { ...out, step: at + 1, nextAt: waitEnds(step, now) };
    }
    if (step.kind === 'branch') {
      const holds = await branchHolds(step.when, enrolment);
      out.history.push({
        at: now,
        step: at,
        event: holds ? 'branched' : 'carried on',
        detail: step.when.on,
      });
      out.step = holds ? step.goto : at + 1;
      continue;
    }
    const sent = await sendStep(step, at, enrolment, sequence, send, now);
    out.history.push({ at: now, step: at, event: sent.event, detail: sent.detail });
    if (sent.sent) out.lastSentAt = now;
    out.step = at + 1;
  }
  // A branch loop with no wait in it: park for a day rather than spin.
  out.history.push({ at: now, step: out.step, event: 'parked', detail: 'too many steps at once' });
  return { ...out, nextAt: new Date(now.getTime() + 86_400_000) };
}

/** Takes the next due enrolment on a lease, or null when none is due. */
async function claimDue(now: Date): Promise<EnrolmentDoc | null> {
  return Enrolment.findOneAndUpdate(
    {
      status: 'active',
      nextAt: { $lte: now },
      $or: [{ claimedUntil: null }, { claimedUntil: { $lt: now } }],
    },
    { $set: { claimedUntil: new Date(now.getTime() + LEASE_MS) } },
    { returnDocument: 'after' },
  ).lean<EnrolmentDoc>();
}

async function runOne(enrolment: EnrolmentDoc, send: SequenceSender, now: Date): Promise<void> {
  const sequence = await Sequence.findById(enrolment.sequenceId).lean<SequenceDoc>();
  if (!sequence) {
    await Enrolment.updateOne(
      { _id: enrolment._id },
      { $set: { status: 'stopped', reason: 'sequence deleted', nextAt: null, claimedUntil: null } },
    );
    return;
  }
  if (!sequence.active) {
    await Enrolment.updateOne(
      { _id: enrolment._id },
      { $set: { nextAt: new Date(now.getTime() + PAUSED_RETRY_MS), claimedUntil: null } },
    );
    return;
  }
  const replied =
    sequence.exitOn.includes('reply') &&
    !!enrolment.lastSentAt &&
    (await repliedSince(enrolment.contactId, enrolment.lastSentAt));
  const out: Outcome = replied
    ? {
        step: enrolment.step,
        nextAt: null,
        status: 'exited',
        reason: 'replied',
        history: [{ at: now, step: -1, event: 'exited', detail: 'replied' }],
      }
    : await runSteps(enrolment, sequence, send, now);
  // Only an enrolment still active moves: an exit (reply, unsubscribe, staff) meanwhile wins.
  await Enrolment.updateOne(
    { _id: enrolment._id, status: 'active' },
    {
      $set: {
        step: out.step,
        nextAt: out.status === 'active' ? out.nextAt : null,
        status: out.status,
        reason: out.reason,
        claimedUntil: null,
        ...(out.lastSentAt ? { lastSentAt: out.lastSentAt } : {}),
      },
      $push: { history: { $each: out.history } },
    },
  );
}

/** Runs every enrolment due at `now`; returns how many it ran. */
export async function runDueEnrolments(
  send: SequenceSender,
  logger: Pick<Logger, 'error'>,
  now = new Date(),
): Promise<number> {
  let ran = 0;
  for (;;) {
    const enrolment = await claimDue(now);
    if (!enrolment) return ran;
    try {
      await runOne(enrolment, send, now);
    } catch (err) {
      // The lease expires and a later tick retries; a send already attempted is not repeated.
      logger.error({ err, enrolment: enrolment._id.toHexString() }, 'sequences: step failed');
    }
    ran++;
  }
}
