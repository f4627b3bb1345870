/**
 * Who may close an item from Slack (the Close button, `!close` in its thread, `/charla close`):
 * the same rule as the console — anyone while it waits in the queue, only the assignee once it
 * is claimed — except a Slack user whose Slack email is an enabled Charla admin's, who may close
 * anything (Slack's `users.info` gives the email with the `users:read.email` scope). The check of
 * the assignee runs under the conversation lock (Escalator.close with `assigneeOnly`), so a claim
 * racing the close cannot slip in between.
 */
import { isValidObjectId } from 'mongoose';
import type { Escalator, StaffMember } from '../../../kernel/contracts/escalation.js';
import { Conversation, type ConversationDoc } from '../../../kernel/db/models/conversation.js';
import { User } from '../../../kernel/db/models/user.js';
import type { SlackWebClient } from '../../../kernel/slack/slack-app.js';

export type CloseOutcome =
  | { outcome: 'closed' }
  | { outcome: 'not_escalated' }
  /** Claimed by someone else: only they (or an admin) may close it. */
  | { outcome: 'claimed_by_other'; assignee: string };

export type CloseAs = (conversationId: string, by: StaffMember) => Promise<CloseOutcome>;

/** Whether a Slack user is a Charla admin: their Slack email is an enabled admin account's. */
async function isCharlaAdmin(client: SlackWebClient, slackUserId: string): Promise<boolean> {
  let email: string | undefined;
  try {
    const res = await client.users.info({ user: slackUserId });
    email = res.user?.profile?.email?.trim().toLowerCase();
  } catch {
    return false; // Slack cannot tell us: treated as not an admin (the safe side).
  }
  if (!email) return false;
  const admin = await User.exists({ email, role: 'admin', disabled: { $ne: true } });
  return admin !== null;
}

export function createCloseRule(deps: { client: SlackWebClient; escalator: Escalator }): CloseAs {
  return async (conversationId, by) => {
    const admin = await isCharlaAdmin(deps.client, by.id);
    if (await deps.escalator.close(conversationId, by, { assigneeOnly: !admin })) {
      return { outcome: 'closed' };
    }
    if (admin || !isValidObjectId(conversationId)) return { outcome: 'not_escalated' };
    const now = await Conversation.findById(conversationId).lean<ConversationDoc>();
    const owner = now?.status === 'assigned' ? now.assignee : undefined;
    if (owner?.id && owner.id !== by.id) {
      return { outcome: 'claimed_by_other', assignee: owner.name ?? owner.id };
    }
    return { outcome: 'not_escalated' };
  };
}
