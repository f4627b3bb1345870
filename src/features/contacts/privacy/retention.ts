/**
 * Retention (RETENTION_DAYS): message texts older than N days are deleted — the text emptied,
 * attachments and quick replies dropped — while the records and their metadata (channel,
 * direction, status, NLU intent, dates) stay for analytics. Conversations lose the last-message
 * preview once it is that old.
 */
import { forgetLastTextsBefore } from '../../../kernel/db/conversation-state.js';
import { Message } from '../../../kernel/db/models/message.js';

const DAY_MS = 24 * 3600 * 1000;

export interface RetentionResult {
  cutoff: Date;
  messages: number;
  conversations: number;
}

/** Deletes the texts of messages created before `now - days`; how many were changed. */
export async function purgeOldMessageTexts(
  days: number,
  now: () => Date = () => new Date(),
): Promise<RetentionResult> {
  const cutoff = new Date(now().getTime() - days * DAY_MS);
  const messages = await Message.collection.updateMany(
    {
      createdAt: { $lt: cutoff },
      $or: [{ text: { $ne: '' } }, { attachments: { $exists: true } }],
    },
    {
      $set: { text: '', textPurgedAt: now() },
      $unset: { attachments: '', quickReplies: '', terms: '' },
    },
  );
  const conversations = await forgetLastTextsBefore(cutoff);
  return { cutoff, messages: messages.modifiedCount, conversations };
}
