/**
 * Handing conversations to humans. The engine only calls this interface; the staff tool (Slack)
 * is behind it, and without one conversations still queue and are listed by GET /api/escalations.
 *
 * States (persisted on Conversation with statusHistory and escalation.* timestamps):
 *   bot → queued (escalate) → assigned (claim) → bot (close); queued → bot (close) too;
 *   bot → assigned (takeOver: staff write to a customer the bot holds, issue 19.3).
 */
export type EscalationReason = 'customer_request' | 'fallback' | 'flow' | 'admin' | 'agent';

/** A member of staff as the staff tool knows them (Slack user id and display name). */
export interface StaffMember {
  id: string;
  name?: string;
}

export type ClaimResult =
  | { outcome: 'claimed' }
  | { outcome: 'already_assigned'; assignee: StaffMember }
  | { outcome: 'not_escalated' };

/** What came of staff taking a conversation over (from the bot, or from the queue). */
export type TakeOverResult =
  | { outcome: 'taken'; from: 'bot' | 'queued' }
  | { outcome: 'already_yours' }
  | { outcome: 'already_assigned'; assignee: StaffMember }
  | { outcome: 'closed' };

/**
 * What became of a customer message sent while humans own the conversation:
 * - 'relayed': it goes to staff; the engine does nothing else.
 * - 'handed_back': the customer chose to leave the queue (the after-hours "call me back" reply):
 *   the conversation is the bot's again and the engine should handle this message as usual.
 */
export type RelayOutcome = 'relayed' | 'handed_back';

/** The customer's last message as the console's lists show it (Conversation.lastMessage*). */
export interface CustomerActivity {
  lastMessageAt: Date;
  lastMessageText: string;
  /** The conversation's sentiment trend with this message (src/pipeline/insight/trend.ts). */
  sentiment?: { trend: unknown[]; frustratedAt: Date | null };
  /** `high` once the customer reads as frustrated. */
  priority?: 'high';
}

export interface Escalator {
  /** bot → queued, persisted with a timestamp; the staff tool is notified through a queue. */
  escalate(conversationId: string, reason: EscalationReason): Promise<void>;
  /**
   * A customer message arrived while a human owns (or is about to own) the conversation.
   * `activity` (the conversation's lastMessage* fields) is saved with the relay's own update.
   */
  relayCustomerMessage(
    conversationId: string,
    messageId: string,
    activity?: CustomerActivity,
  ): Promise<RelayOutcome>;
  /** queued → assigned, atomically: of two staff claiming at once exactly one wins. */
  claim(conversationId: string, staff: StaffMember): Promise<ClaimResult>;
  /**
   * bot|queued → assigned to `staff` at once, whatever the bot was doing: a running flow is set
   * aside (resumed on close, as after an escalation). The customer is told a person joined and
   * the staff tool gets an item, already claimed. Under the conversation lock.
   */
  takeOver(conversationId: string, staff: StaffMember): Promise<TakeOverResult>;
  /**
   * queued|assigned → assigned to `to`, decided by `by` (a reassignment from the console, or the
   * automatic assignment): the customer is told who joined, the staff tool re-renders its item.
   * With `onlyFrom`, only while that member of staff holds it or it is queued (null: only while
   * queued). Under the conversation lock; false when nothing changed.
   */
  assign?(
    conversationId: string,
    to: StaffMember,
    by: string,
    opts?: { onlyFrom?: string | null; reason?: 'reassigned' | 'auto' },
  ): Promise<boolean>;
  /**
   * queued|assigned → queued for a team (its assignee let go), under the conversation lock, with
   * `onlyFrom` as in assign. False when nothing changed.
   */
  requeue?(
    conversationId: string,
    team: { id: string; name: string },
    by: string,
    opts?: { onlyFrom?: string },
  ): Promise<boolean>;
  /**
   * queued|assigned → bot: the customer is told, the engine resumes the flow step it was in.
   * Returns false when the conversation was not escalated (nothing changed), or, with
   * `assigneeOnly`, when someone other than `by` has claimed it (checked under the lock).
   */
  close(
    conversationId: string,
    by: StaffMember | 'admin',
    opts?: { assigneeOnly?: boolean },
  ): Promise<boolean>;
  /**
   * Staff wrote to the conversation from another tool (a console reply or internal note): the
   * staff tool shows it too, so its thread stays the whole story. Only enqueues.
   */
  staffWrote?(conversationId: string, messageId: string): Promise<void>;
}
