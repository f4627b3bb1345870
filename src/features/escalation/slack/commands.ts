/**
 * `/charla` for staff: `queue` (waiting items with wait times), `lead <email>` (a lead's fields),
 * `close <conversation id | case number>` (hand back to the bot). Slack does not say in which
 * thread a slash command was typed, so close takes a reference; inside an item thread staff can
 * write `!close` instead. Answers are ephemeral (only the caller sees them).
 */
import type { Escalator, StaffMember } from '../../../kernel/contracts/escalation.js';
import type { Locale } from '../../../kernel/contracts/messages.js';
import { Case } from '../../../kernel/db/models/case.js';
import { Contact, type ContactDoc } from '../../../kernel/db/models/contact.js';
import { Conversation, type ConversationDoc } from '../../../kernel/db/models/conversation.js';
import { Lead } from '../../../kernel/db/models/lead.js';
import type { EscalationReason } from '../../../kernel/contracts/escalation.js';
import type { CloseAs } from './close-rule.js';
import { customerLabel } from './item-view.js';
import { slackEscape, staffTexts } from './staff-texts.js';

const EMAIL = /^[^\s@<>|]+@[^\s@<>|]+\.[^\s@<>|]+$/;
const MAX_LISTED = 30;

/** Slack may wrap emails typed in commands as <mailto:a@b.c|a@b.c>. */
export function unwrapSlackEmail(raw: string): string {
  const m = /^<mailto:([^|>]+)(?:\|[^>]*)?>$/.exec(raw.trim());
  return (m ? m[1]! : raw).trim().toLowerCase();
}

export interface CommandContext {
  escalator: Escalator;
  /** Closes under the close rule (close-rule.ts): the assignee, or a Charla admin. */
  closeAs: CloseAs;
  locale: Locale;
  now?: () => Date;
}

async function queueList(ctx: CommandContext): Promise<string> {
  const t = staffTexts(ctx.locale);
  const at = (ctx.now ?? (() => new Date()))();
  const [waiting, assigned] = await Promise.all([
    Conversation.find({ status: 'queued' })
      .sort({ 'escalation.queuedAt': 1 })
      .limit(MAX_LISTED)
      .lean<ConversationDoc[]>(),
    Conversation.countDocuments({ status: 'assigned' }),
  ]);
  const lines: string[] = [];
  if (waiting.length === 0) {
    lines.push(t.queueEmpty);
  } else {
    const total = await Conversation.countDocuments({ status: 'queued' });
    const contacts = await Contact.find({ _id: { $in: waiting.map((c) => c.contactId) } }).lean<
      ContactDoc[]
    >();
    const byId = new Map(contacts.map((c) => [c._id.toHexString(), c]));
    lines.push(t.queueTitle(total));
    for (const c of waiting) {
      const queuedAt = c.escalation?.queuedAt
        ? new Date(c.escalation.queuedAt).getTime()
        : at.getTime();
      const minutes = Math.max(0, Math.floor((at.getTime() - queuedAt) / 60_000));
      const reason =
        t.reasons[(c.escalation?.reason as EscalationReason | undefined) ?? 'customer_request'];
      const name = slackEscape(customerLabel(byId.get(c.contactId.toHexString()) ?? null, c));
      lines.push(t.queueLine(name, c.channel, minutes, reason ?? '', c._id.toHexString()));
    }
  }
  if (assigned > 0) lines.push(t.assignedCount(assigned));
  return lines.join('\n');
}

async function leadInfo(ctx: CommandContext, arg: string | undefined): Promise<string> {
  const t = staffTexts(ctx.locale);
  const email = arg ? unwrapSlackEmail(arg) : '';
  if (!EMAIL.test(email)) return t.leadUsage;
  const lead = await Lead.findOne({ email }).sort({ createdAt: -1 }).lean();
  if (!lead) return t.leadNotFound(slackEscape(email));
  const f = t.leadFields;
  const rows: Array<[string, unknown]> = [
    [f.name, lead.name],
    [f.email, lead.email],
    [f.phone, lead.phone],
    [f.company, lead.company],
    [f.interest, lead.interest],
    [f.status, lead.status],
    [f.score, lead.score],
    [f.channel, lead.channel],
    [f.created, (lead as { createdAt?: Date }).createdAt?.toISOString()],
  ];
  return rows
    .filter(([, v]) => v !== undefined && v !== null && v !== '')
    .map(([k, v]) => `*${k}:* ${slackEscape(String(v))}`)
    .join('\n');
}

/** A conversation id, or a case number (CS-000042) whose conversation is escalated. */
async function resolveConversation(ref: string): Promise<string | undefined> {
  if (/^[0-9a-f]{24}$/i.test(ref)) return ref.toLowerCase();
  if (/^cs-\d+$/i.test(ref)) {
    const kase = await Case.findOne({ number: ref.toUpperCase() }).lean();
    return kase?.conversationId ? String(kase.conversationId) : undefined;
  }
  return undefined;
}

async function closeByRef(
  ctx: CommandContext,
  ref: string | undefined,
  by: StaffMember,
): Promise<string> {
  const t = staffTexts(ctx.locale);
  if (!ref) return t.closeUsage;
  const id = await resolveConversation(ref.trim());
  if (!id) return t.closeNotFound(slackEscape(ref));
  const result = await ctx.closeAs(id, by);
  if (result.outcome === 'closed') return t.closedOk;
  if (result.outcome === 'claimed_by_other')
    return t.closeOnlyAssignee(slackEscape(result.assignee));
  return t.closeNotFound(slackEscape(ref));
}

/** Runs `/charla <text>` and returns the ephemeral answer (Slack mrkdwn). */
export async function runCharlaCommand(
  ctx: CommandContext,
  text: string,
  by: StaffMember,
): Promise<string> {
  const [sub, ...rest] = text.trim().split(/\s+/);
  switch ((sub ?? '').toLowerCase()) {
    case 'queue':
      return queueList(ctx);
    case 'lead':
      return leadInfo(ctx, rest[0]);
    case 'close':
      return closeByRef(ctx, rest[0], by);
    default:
      return staffTexts(ctx.locale).help;
  }
}
