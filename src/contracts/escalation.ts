/**
 * Handing conversations to humans. The engine only calls this interface; the staff tool (Slack)
 * is behind it, and without one conversations still queue and are listed by GET /api/escalations.
 */
export type EscalationReason = 'customer_request' | 'fallback' | 'flow' | 'admin';

export interface Escalator {
  /** bot → queued, persisted with a timestamp; the staff tool is notified through a queue. */
  escalate(conversationId: string, reason: EscalationReason): Promise<void>;
  /** A customer message arrived while a human owns (or is about to own) the conversation. */
  relayCustomerMessage(conversationId: string, messageId: string): Promise<void>;
}
