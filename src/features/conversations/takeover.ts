/**
 * Staff taking a conversation over from the console: claim, reply, close, internal note. Claim
 * and close are the Escalator's (the Slack queue item follows through its notifier), replies go
 * through the Outbox like Slack thread replies, and every write to the conversation happens
 * under its lock, so the console, Slack and the engine never interleave. Each action is audited.
 */
import { Types } from 'mongoose';
import type { Actor } from '../../kernel/roles.js';
import { recordAudit } from '../../kernel/audit.js';
import type { Escalator } from '../../kernel/contracts/escalation.js';
import type { ReplyCheck } from '../../kernel/contracts/channel-adapter.js';
import type { ConversationLock } from '../../kernel/redis/conversation-lock.js';
import { staffOfActor } from '../../kernel/staff.js';
import { messageCreated, type ConsoleEventPublisher } from '../../kernel/console-events.js';
import type { Outbox } from '../../pipeline/outbox.js';
import { findConversation } from '../../kernel/db/conversations.js';
import { Message, type MessageDoc } from '../../kernel/db/models/message.js';
import { messageTerms } from '../../kernel/db/messages.js';
import type { ConversationDoc } from '../../kernel/db/models/conversation.js';

export interface TakeoverDeps {
  escalator: Escalator;
  outbox: Outbox;
  lock: ConversationLock;
  events?: ConsoleEventPublisher;
  /** The channel's rule for staff answering now (WhatsApp's window…); absent: always. */
  replyCheck?: ReplyCheck;
}

export type TakeoverFailure =
  | { ok: false; code: 'not_found' }
  | { ok: false; code: 'not_escalated'; status: string }
  | { ok: false; code: 'already_assigned'; assignee: { id: string; name: string | null } }
  | { ok: false; code: 'claimed_by_other'; assignee: { id: string; name: string | null } }
  /** The channel does not take a message now (e.g. outside WhatsApp's 24-hour window). */
  | { ok: false; code: 'unreachable'; refusal: { code: string; message: string } }
  | {
      ok: false;
      code: 'not_assignee';
      status: string;
      assignee: { id: string; name: string | null } | null;
    };

export type TakeoverResult<T> = { ok: true; value: T } | TakeoverFailure;

const stateOf = (c: ConversationDoc) => ({
  status: c.status,
  assignee: c.assignee?.id ? { id: c.assignee.id, name: c.assignee.name ?? null } : null,
});

async function current(id: string): Promise<ConversationDoc | null> {
  return /^[0-9a-f]{24}$/i.test(id) ? findConversation(id) : null;
}

/** The staff tool (Slack) shows console replies and notes too; a failure there loses nothing. */
async function echo(
  deps: TakeoverDeps,
  conversationId: string,
  message: MessageDoc,
): Promise<void> {
  try {
    await deps.escalator.staffWrote?.(conversationId, message._id.toHexString());
  } catch {
    // The message is stored (and a reply queued for the customer) whatever the staff tool does.
  }
}

async function claim(
  deps: TakeoverDeps,
  id: string,
  actor: Actor,
): Promise<TakeoverResult<ConversationDoc>> {
  const before = await current(id);
  if (!before) return { ok: false, code: 'not_found' };
  const result = await deps.escalator.claim(id, staffOfActor(actor));
  if (result.outcome === 'already_assigned') {
    return {
      ok: false,
      code: 'already_assigned',
      assignee: { id: result.assignee.id, name: result.assignee.name ?? null },
    };
  }
  const after = await findConversation(id);
  if (result.outcome === 'not_escalated' || !after) {
    return { ok: false, code: 'not_escalated', status: after?.status ?? before.status };
  }
  await recordAudit({
    actor,
    action: 'conversation.claim',
    targetType: 'Conversation',
    targetId: id,
    before: stateOf(before),
    after: stateOf(after),
  });
  return { ok: true, value: after };
}

async function close(
  deps: TakeoverDeps,
  id: string,
  actor: Actor,
): Promise<TakeoverResult<ConversationDoc>> {
  const before = await current(id);
  if (!before) return { ok: false, code: 'not_found' };
  const staff = staffOfActor(actor);
  // An agent closes what is queued or their own; an admin closes anything.
  const assigneeOnly = actor.role !== 'admin';
  const closed = await deps.escalator.close(id, staff, { assigneeOnly });
  const after = await findConversation(id);
  const owner = after?.status === 'assigned' ? after.assignee : undefined;
  if (!closed && assigneeOnly && owner?.id && owner.id !== staff.id) {
    return {
      ok: false,
      code: 'claimed_by_other',
      assignee: { id: owner.id, name: owner.name ?? null },
    };
  }
  if (!closed || !after) {
    return { ok: false, code: 'not_escalated', status: after?.status ?? before.status };
  }
  await recordAudit({
    actor,
    action: 'conversation.close',
    targetType: 'Conversation',
    targetId: id,
    before: stateOf(before),
    after: stateOf(after),
  });
  return { ok: true, value: after };
}

/**
 * Only the assignee may answer, and only when the channel takes a message now (replyCheck);
 * checked and sent under the lock, so a close cannot slip in.
 */
async function reply(
  deps: TakeoverDeps,
  id: string,
  actor: Actor,
  text: string,
): Promise<TakeoverResult<MessageDoc>> {
  if (!(await current(id))) return { ok: false, code: 'not_found' };
  const staff = staffOfActor(actor);
  const outcome = await deps.lock(id, async (): Promise<TakeoverResult<MessageDoc>> => {
    const c = await findConversation(id);
    if (!c) return { ok: false, code: 'not_found' };
    if (c.status !== 'assigned' || c.assignee?.id !== staff.id) {
      return { ok: false, code: 'not_assignee', ...stateOf(c) };
    }
    // Refused with the channel's reason before anything is stored, not failed at delivery.
    const refused = await deps.replyCheck?.(c);
    if (refused) return { ok: false, code: 'unreachable', refusal: refused };
    const [message] = await deps.outbox.send(c, [{ text }], { kind: 'staff', staff });
    return { ok: true, value: message! };
  });
  if (outcome.ok) {
    await echo(deps, id, outcome.value);
    await recordAudit({
      actor,
      action: 'conversation.reply',
      targetType: 'Conversation',
      targetId: id,
      details: { messageId: outcome.value._id.toHexString(), length: text.length },
    });
  }
  return outcome;
}

/** A staff-only note on the transcript: stored, never sent (like `note:` in the Slack thread). */
async function note(
  deps: TakeoverDeps,
  id: string,
  actor: Actor,
  text: string,
): Promise<TakeoverResult<MessageDoc>> {
  const c = await current(id);
  if (!c) return { ok: false, code: 'not_found' };
  const _id = new Types.ObjectId();
  const doc = await Message.create({
    _id,
    conversationId: c._id,
    contactId: c.contactId,
    channel: c.channel,
    direction: 'out',
    author: 'staff',
    staff: staffOfActor(actor),
    text,
    ...messageTerms('staff', text),
    internal: true,
    // Never queued for delivery: an internal note is done once stored.
    status: 'processed',
    dedupeKey: `console-note:${_id.toHexString()}`,
  });
  const message = doc.toObject() as MessageDoc;
  void deps.events?.publish(messageCreated(message));
  await echo(deps, id, message);
  await recordAudit({
    actor,
    action: 'conversation.note',
    targetType: 'Conversation',
    targetId: id,
    details: { messageId: _id.toHexString(), length: text.length },
  });
  return { ok: true, value: message };
}

export function createTakeover(deps: TakeoverDeps) {
  return {
    claim: (id: string, actor: Actor) => claim(deps, id, actor),
    close: (id: string, actor: Actor) => close(deps, id, actor),
    reply: (id: string, actor: Actor, text: string) => reply(deps, id, actor, text),
    note: (id: string, actor: Actor, text: string) => note(deps, id, actor, text),
  };
}

export type Takeover = ReturnType<typeof createTakeover>;
