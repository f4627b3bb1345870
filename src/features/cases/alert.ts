/** The Slack staff channel's SLA alert for a case: customer-written text escaped for mrkdwn. */
import type { Locale } from '../../kernel/contracts/messages.js';
import { escapeSlack } from '../../kernel/escaping/slack.js';
import type { CaseDoc } from '../../kernel/db/models/case.js';
import type { SlaKind } from '../../kernel/time/sla.js';
import { caseStaffTexts } from '../../pipeline/actions/case-texts.js';

export function caseAlertText(c: CaseDoc, kind: SlaKind, locale: Locale): string {
  const t = caseStaffTexts(locale);
  const due = kind === 'first_response' ? c.firstResponseDueAt : c.resolutionDueAt;
  const subject = (c.subject ?? c.description ?? '').trim().slice(0, 200);
  return [
    t.breach(kind, c.number),
    `*${t.priority}:* ${c.priority}`,
    ...(due
      ? [`*${t.due}:* ${new Date(due).toISOString().slice(0, 16).replace('T', ' ')} UTC`]
      : []),
    ...(subject ? [`*${t.subject}:* ${escapeSlack(subject)}`] : []),
  ].join('\n');
}
