/**
 * The escalation state machine (bot → queued → assigned → bot), persisted with timestamps so wait
 * times can be reported. A staff tool plugs in through `notify`.
 */
import { Types } from 'mongoose';
import type { EscalationReason, Escalator } from '../contracts/escalation.js';
import { Conversation } from '../store/models/conversation.js';

export interface EscalationNotifier {
  queued(conversationId: string): Promise<void>;
  customerMessage(conversationId: string, messageId: string): Promise<void>;
}

export function createEscalator(notifier?: EscalationNotifier): Escalator {
  return {
    async escalate(conversationId: string, reason: EscalationReason) {
      const now = new Date();
      const res = await Conversation.updateOne(
        { _id: new Types.ObjectId(conversationId), status: 'bot' },
        {
          $set: { status: 'queued', 'escalation.reason': reason, 'escalation.queuedAt': now },
          $push: { statusHistory: { status: 'queued', at: now, reason } },
        },
      );
      if (res.modifiedCount === 1) await notifier?.queued(conversationId);
    },
    async relayCustomerMessage(conversationId: string, messageId: string) {
      await notifier?.customerMessage(conversationId, messageId);
    },
  };
}
