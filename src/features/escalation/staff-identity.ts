/** How the Slack staff queue names staff (who they are: src/kernel/staff.ts). */
import { isConsoleStaffId } from '../../kernel/staff.js';
import { slackEscape } from './slack/staff-texts.js';

/** How a Slack message refers to a member of staff: a mention for Slack users, else the name. */
export function slackStaffRef(member: { id: string; name?: string | null }): string {
  return isConsoleStaffId(member.id) ? slackEscape(member.name || member.id) : `<@${member.id}>`;
}
