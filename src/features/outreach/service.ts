/**
 * Reply anywhere (issue 19.3). One path for the three ways staff write to a customer who is not
 * waiting for them: take the conversation over (from the bot at once, from the queue as a
 * claim), optionally with a first message — from the conversation page, from a case page, or on
 * a contact's channel (a closed conversation is opened again on the same platform conversation).
 * The channel's rule (rules.ts) is checked before anything changes; the take-over is the
 * Escalator's (Slack follows), the message goes through the Outbox under the conversation lock,
 * as console replies do. Closing hands back to the bot as after any escalation.
 */
import type { Escalator, StaffMember } from '../../kernel/contracts/escalation.js';
import type { ChannelId } from '../../kernel/contracts/messages.js';
import { recordAudit } from '../../kernel/audit.js';
import { conflict, notFound } from '../../kernel/errors.js';
import { findConversation, openConversation } from '../../kernel/db/conversations.js';
import { Conversation, type ConversationDoc } from '../../kernel/db/models/conversation.js';
import type { MessageDoc } from '../../kernel/db/models/message.js';
import type { ConversationLock } from '../../kernel/redis/conversation-lock.js';
import { staffOfActor } from '../../kernel/staff.js';
import type { Actor } from '../../kernel/roles.js';
import type { Outbox } from '../../pipeline/outbox.js';
import { reachOf, type OutreachLookup } from './rules.js';

export interface OutreachDeps {
  escalator: Escalator;
  outbox: Outbox;
  lock: ConversationLock;
  lookup: OutreachLookup;
  now?: () => Date;
}

export interface Outcome {
  conversation: ConversationDoc;
  from: 'bot' | 'queued' | 'yours';
  message: MessageDoc | null;
}

const isId = (id: string) => /^[0-9a-f]{24}$/i.test(id);

async function refuseUnreachable(deps: OutreachDeps, c: ConversationDoc): Promise<void> {
  const { refusal } = await reachOf(c, deps.lookup, (deps.now ?? (() => new Date()))());
  if (refusal) throw conflict(refusal.code, refusal.message);
}

/** The text, sent as `staff` while they still own the conversation (checked under the lock). */
async function send(
  deps: OutreachDeps,
  id: string,
  staff: StaffMember,
  text: string,
): Promise<MessageDoc> {
  const message = await deps.lock(id, async () => {
    const c = await findConversation(id);
    if (!c || c.status !== 'assigned' || c.assignee?.id !== staff.id) {
      throw conflict('not_assignee', 'The conversation changed hands meanwhile; nothing was sent.');
    }
    const [sent] = await deps.outbox.send(c, [{ text }], { kind: 'staff', staff });
    return sent!;
  });
  try {
    await deps.escalator.staffWrote?.(id, message._id.toHexString());
  } catch {
    // Stored and queued for the customer whatever the staff tool does.
  }
  return message;
}

/** Takes `c` over for `actor` (unless already theirs) and sends `text` if given. Audited. */
async function takeAndSend(
  deps: OutreachDeps,
  c: ConversationDoc,
  actor: Actor,
  text: string | undefined,
  action: string,
): Promise<Outcome> {
  const id = c._id.toHexString();
  await refuseUnreachable(deps, c);
  const staff = staffOfActor(actor);
  const taken = await deps.escalator.takeOver(id, staff);
  if (taken.outcome === 'closed') {
    throw conflict(
      'conversation_closed',
      'The conversation is closed; start a new one from the contact.',
    );
  }
  if (taken.outcome === 'already_assigned') {
    throw conflict(
      'already_assigned',
      `Already claimed by ${taken.assignee.name ?? taken.assignee.id}.`,
    );
  }
  const from = taken.outcome === 'taken' ? taken.from : 'yours';
  const message = text ? await send(deps, id, staff, text) : null;
  const after = (await findConversation(id)) ?? c;
  await recordAudit({
    actor,
    action,
    targetType: 'Conversation',
    targetId: id,
    before: { status: c.status },
    after: { status: after.status, assignee: after.assignee?.id ?? null },
    details: {
      from,
      channel: c.channel,
      ...(message ? { messageId: message._id.toHexString(), length: text!.length } : {}),
    },
  });
  return { conversation: after, from, message };
}

/** POST /api/conversations/:id/take-over. */
export async function takeOverConversation(
  deps: OutreachDeps,
  id: string,
  actor: Actor,
  text: string | undefined,
): Promise<Outcome> {
  const c = isId(id) ? await findConversation(id) : null;
  if (!c) throw notFound('The conversation');
  return takeAndSend(deps, c, actor, text, 'conversation.take_over');
}

/** The contact's latest conversation on each channel, newest first (by the indexed contactId). */
export async function latestPerChannel(contactId: string): Promise<ConversationDoc[]> {
  const docs = await Conversation.find({ contactId })
    .sort({ createdAt: -1, _id: -1 })
    .limit(200)
    .lean<ConversationDoc[]>();
  const seen = new Set<string>();
  return docs.filter((d) => d.channel !== 'studio' && !seen.has(d.channel) && seen.add(d.channel));
}

/**
 * POST /api/contacts/:id/conversations: write to the contact on `channel`, in their latest
 * conversation there (opened again on the same platform conversation when it was closed).
 */
export async function startConversation(
  deps: OutreachDeps,
  contactId: string,
  channel: ChannelId,
  actor: Actor,
  text: string,
): Promise<Outcome> {
  const latest = (await latestPerChannel(contactId)).find((c) => c.channel === channel);
  if (!latest) {
    throw conflict(
      'no_conversation_on_channel',
      `The customer has never written on ${channel}: Charla knows nowhere to write to them there.`,
    );
  }
  await refuseUnreachable(deps, latest);
  const c =
    latest.status === 'closed'
      ? await openConversation({
          channel,
          platformConversationId: latest.platformConversationId,
          platformUserId: latest.platformUserId,
          contactId: latest.contactId,
          locale: (latest.locale as 'es' | 'en' | undefined) ?? undefined,
          replyContext: (latest.replyContext as Record<string, string> | undefined) ?? undefined,
        })
      : latest;
  // A reopened conversation has no customer message yet: the window was checked on the old one.
  return takeAndSend(
    deps,
    { ...c, lastMessageAt: latest.lastMessageAt },
    actor,
    text,
    'conversation.start',
  );
}
