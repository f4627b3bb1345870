/** The StaffNotifier of the Slack queue: the escalator calls it, and it only enqueues jobs. */
import type { Queue } from 'bullmq';
import type { StaffMember } from '../../../kernel/contracts/escalation.js';
import type { Locale } from '../../../kernel/contracts/messages.js';
import { Conversation, type ConversationDoc } from '../../../kernel/db/models/conversation.js';
import type { StaffNotifier } from '../escalation-context.js';
import { slackStaffRef } from '../staff-identity.js';
import type { EscalationJob } from './jobs.js';
import { staffTexts } from './staff-texts.js';

/** The notifier the escalator calls: it only enqueues. */
export function createSlackNotifier(queue: Queue<EscalationJob>, locale: Locale): StaffNotifier {
  const t = staffTexts(locale);
  const who = (by: StaffMember | 'admin' | undefined) =>
    by === 'admin' || by === undefined ? t.admin : slackStaffRef(by);
  return {
    async queued(conversationId) {
      const c = await Conversation.findById(conversationId, {
        escalation: 1,
      }).lean<ConversationDoc>();
      const episode = c?.escalation?.queuedAt
        ? new Date(c.escalation.queuedAt).getTime()
        : Date.now();
      await queue.add(
        'post-item',
        { kind: 'post-item', conversationId, episode },
        { jobId: `post-${conversationId}-${episode}` },
      );
    },
    async changed(conversationId, change) {
      const text =
        change.kind === 'claimed'
          ? t.claimedBy(who(change.by))
          : change.kind === 'requeued'
            ? t.requeuedTo(change.team ?? '—')
            : change.kind === 'closed'
              ? t.closedBy(who(change.by))
              : change.kind === 'frustrated'
                ? t.frustratedNote
                : t.closedForCallback;
      await queue.addBulk([
        { name: 'update-item', data: { kind: 'update-item', conversationId } },
        { name: 'thread-note', data: { kind: 'thread-note', conversationId, text } },
      ]);
    },
    async staffMessage(conversationId, messageId) {
      await queue.add(
        'staff-echo',
        { kind: 'staff-echo', conversationId, messageId },
        { jobId: `echo-${messageId}` },
      );
    },
    async customerMessage(conversationId, messageId) {
      await queue.add(
        'relay',
        { kind: 'relay', conversationId, messageId },
        { jobId: `relay-${messageId}` },
      );
    },
  };
}
