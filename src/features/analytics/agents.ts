/**
 * The agent report: per member of staff and per team, over a day range (UTC, inclusive).
 * Computed when asked, from the conversations' status history, their staff replies and the
 * cases' ratings (not from the daily rollups: it is per person, and small).
 *
 * - An *episode* is one hand-over to staff: from the conversation being queued for a person (or
 *   taken over from the bot) until it went back to the bot or was closed.
 * - handled: episodes that ended in the range, counted for the member of staff who held the
 *   conversation when it ended (a conversation passed on counts for whoever closed it).
 * - medianFirstResponseSeconds: over those episodes, the median time from queued to the first
 *   staff reply to the customer in the episode (internal notes do not count; episodes without a
 *   reply are left out).
 * - medianResolutionSeconds: over those episodes, the median time from queued to the end.
 * - csatAverage / csatResponses: mean of the CSAT ratings (1–5) given in the range on cases
 *   assigned to them, and how many.
 * - A team's figures are its members' together (medians over all their episodes), as the team is
 *   now.
 */
import { Types } from 'mongoose';
import { Case, type CaseDoc } from '../../kernel/db/models/case.js';
import { Conversation, type ConversationDoc } from '../../kernel/db/models/conversation.js';
import { Message, type MessageDoc } from '../../kernel/db/models/message.js';
import { teamRoster } from '../assignment/index.js';
import { staffNames } from '../conversations/index.js';
import type { AgentReport, AgentReportRow } from './schemas.js';

const DAY = 86_400_000;

interface Episode {
  conversationId: string;
  holder: string;
  start: number;
  end: number;
  firstReply?: number;
}

type History = NonNullable<ConversationDoc['statusHistory']>;

/** The episodes of one conversation that ended inside [from, to) with someone holding them. */
export function episodesOf(
  conversationId: string,
  history: History,
  from: number,
  to: number,
): Episode[] {
  const out: Episode[] = [];
  let open: { start: number; holder?: string } | undefined;
  const sorted = [...history].sort((a, b) => new Date(a.at).getTime() - new Date(b.at).getTime());
  for (const h of sorted) {
    const at = new Date(h.at).getTime();
    if (h.status === 'queued') {
      // A new episode, or handed back to a queue (a team): nobody holds it meanwhile.
      open = open ? { start: open.start } : { start: at };
    } else if (h.status === 'assigned') {
      open ??= { start: at };
      open.holder = h.to ?? h.by ?? undefined;
    } else if (open) {
      if (open.holder && at >= from && at < to) {
        out.push({ conversationId, holder: open.holder, start: open.start, end: at });
      }
      open = undefined;
    }
  }
  return out;
}

export function median(values: number[]): number | null {
  if (values.length === 0) return null;
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

async function episodesIn(from: number, to: number): Promise<Episode[]> {
  // A conversation whose episode ended in the range was written then: updatedAt ≥ from.
  const docs = await Conversation.find(
    { updatedAt: { $gte: new Date(from) }, 'statusHistory.status': 'assigned' },
    { statusHistory: 1 },
  ).lean<Pick<ConversationDoc, '_id' | 'statusHistory'>[]>();
  const episodes = docs.flatMap((d) =>
    episodesOf(d._id.toHexString(), d.statusHistory ?? [], from, to),
  );
  if (episodes.length === 0) return episodes;
  const ids = [...new Set(episodes.map((e) => e.conversationId))];
  const replies = await Message.find(
    {
      conversationId: { $in: ids.map((id) => new Types.ObjectId(id)) },
      author: 'staff',
      direction: 'out',
      internal: { $ne: true },
    },
    { conversationId: 1, createdAt: 1 },
  ).lean<Pick<MessageDoc, 'conversationId' | 'createdAt'>[]>();
  const byConversation = new Map<string, number[]>();
  for (const r of replies) {
    const key = String(r.conversationId);
    const list = byConversation.get(key) ?? [];
    list.push(new Date(r.createdAt as Date).getTime());
    byConversation.set(key, list);
  }
  for (const e of episodes) {
    const times = (byConversation.get(e.conversationId) ?? []).filter(
      (t) => t >= e.start && t <= e.end,
    );
    if (times.length > 0) e.firstReply = Math.min(...times);
  }
  return episodes;
}

async function ratingsIn(from: number, to: number): Promise<Map<string, number[]>> {
  const cases = await Case.find(
    { 'csat.at': { $gte: new Date(from), $lt: new Date(to) } },
    { assignee: 1, csat: 1 },
  ).lean<Pick<CaseDoc, 'assignee' | 'csat'>[]>();
  const out = new Map<string, number[]>();
  for (const c of cases) {
    const rating = c.csat?.rating;
    if (!c.assignee?.id || typeof rating !== 'number') continue;
    const id = `user:${c.assignee.id}`;
    out.set(id, [...(out.get(id) ?? []), rating]);
  }
  return out;
}

function row(
  kind: 'agent' | 'team',
  id: string,
  name: string,
  episodes: Episode[],
  ratings: number[],
): AgentReportRow {
  const seconds = (ms: number) => Math.round(ms / 1000);
  const firsts = episodes.flatMap((e) => (e.firstReply ? [seconds(e.firstReply - e.start)] : []));
  return {
    kind,
    id,
    name,
    handled: episodes.length,
    medianFirstResponseSeconds: median(firsts),
    medianResolutionSeconds: median(episodes.map((e) => seconds(e.end - e.start))),
    csatAverage: ratings.length
      ? Math.round((ratings.reduce((a, b) => a + b, 0) / ratings.length) * 100) / 100
      : null,
    csatResponses: ratings.length,
  };
}

export async function agentReport(range: { from: string; to: string }): Promise<AgentReport> {
  const from = Date.parse(`${range.from}T00:00:00Z`);
  const to = Date.parse(`${range.to}T00:00:00Z`) + DAY;
  const [episodes, ratings, teams] = await Promise.all([
    episodesIn(from, to),
    ratingsIn(from, to),
    teamRoster(),
  ]);
  const byHolder = new Map<string, Episode[]>();
  for (const e of episodes) byHolder.set(e.holder, [...(byHolder.get(e.holder) ?? []), e]);
  const people = new Set([...byHolder.keys(), ...ratings.keys()]);
  const names = await staffNames(people);
  const agents = [...people]
    .map((id) =>
      row('agent', id, names.get(id) ?? id, byHolder.get(id) ?? [], ratings.get(id) ?? []),
    )
    .sort((a, b) => b.handled - a.handled || a.name.localeCompare(b.name));
  const teamRows = teams.map((t) =>
    row(
      'team',
      t.id,
      t.name,
      t.members.flatMap((m) => byHolder.get(m) ?? []),
      t.members.flatMap((m) => ratings.get(m) ?? []),
    ),
  );
  return { from: range.from, to: range.to, agents, teams: teamRows };
}
