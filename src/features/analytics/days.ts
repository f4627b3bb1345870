/**
 * A day's cells (`AnalyticsDay`, one per channel and language) rewritten whole from that day's
 * conversation contributions: the same input always writes the same cells, so running it again
 * after a crash, or twice, changes nothing.
 */
import type { Types } from 'mongoose';
import { AnalyticsConversation, AnalyticsDay, type ContributionDoc } from './model.js';
import { COUNT_FIELDS, zeroCounts } from './definitions.js';

/** Message ids of unanswered questions kept per cell (the newest), for topUnanswered. */
export const UNANSWERED_PER_CELL = 100;
const INTENTS_PER_CELL = 100;

type Cell = Record<string, unknown> & {
  _id: string;
  intentMap: Map<string, number>;
  queueWaits: number[];
  firstReplies: number[];
  unanswered: Types.ObjectId[];
};

export async function recomputeDay(day: string): Promise<number> {
  const contributions = await AnalyticsConversation.find({ day }).lean<ContributionDoc[]>();
  const cells = new Map<string, Cell>();
  for (const c of contributions) {
    const key = `${day}|${c.channel}|${c.language}`;
    let cell = cells.get(key);
    if (!cell) {
      cell = {
        _id: key,
        day,
        month: day.slice(0, 7),
        channel: c.channel,
        language: c.language,
        ...zeroCounts(),
        intentMap: new Map(),
        queueWaits: [],
        firstReplies: [],
        unanswered: [],
      };
      cells.set(key, cell);
    }
    for (const f of COUNT_FIELDS) cell[f] = (cell[f] as number) + ((c[f] as number) ?? 0);
    cell.queueWaits.push(...(c.queueWaits ?? []));
    cell.firstReplies.push(...(c.firstReplies ?? []));
    cell.unanswered.push(...(c.unanswered ?? []));
    for (const i of c.intents ?? []) {
      cell.intentMap.set(i.intent, (cell.intentMap.get(i.intent) ?? 0) + (i.count ?? 0));
    }
  }
  const writes = [...cells.values()].map(({ intentMap, ...cell }) => ({
    replaceOne: {
      filter: { _id: cell._id },
      replacement: {
        ...cell,
        intents: [...intentMap]
          .sort((a, b) => b[1] - a[1])
          .slice(0, INTENTS_PER_CELL)
          .map(([intent, count]) => ({ intent, count })),
        unanswered: cell.unanswered
          .sort((a, b) => b.toHexString().localeCompare(a.toHexString()))
          .slice(0, UNANSWERED_PER_CELL),
      },
      upsert: true,
    },
  }));
  if (writes.length > 0) await AnalyticsDay.bulkWrite(writes as never, { ordered: false });
  // Cells of the day no conversation maps to any more (a conversation changed language).
  const stale = (await AnalyticsDay.find({ month: day.slice(0, 7) }, { day: 1 }).lean())
    .filter((d) => d.day === day && !cells.has(d._id))
    .map((d) => d._id);
  if (stale.length > 0) await AnalyticsDay.deleteMany({ _id: { $in: stale } });
  return cells.size;
}
