/**
 * A campaign's results: the funnel (recipients by state, then each tracked step), per variant
 * with the winner (best rate of clicks for email, replies for chat, over those sent), per channel
 * and per language; the recipients page by state or step; a CSV of the recipients. Counted by
 * reading the recipients' few fields in one pass (portable: no $cond aggregation, which
 * FerretDB 1.24 does not run).
 */
import type { Types } from 'mongoose';
import { customerNames } from '../conversations/index.js';
import type { Page } from '../../http/schemas.js';
import { CampaignRecipient, type CampaignDoc, type RecipientDoc } from './models.js';
import type {
  CampaignReport,
  CampaignStatus,
  Funnel,
  RecipientState,
  RecipientView,
  TrackedStep,
} from './schemas.js';
import { RECIPIENT_STATES, TRACKED_STEPS } from './schemas.js';
import { variantsOf } from './variants.js';

const emptyFunnel = (): Funnel => ({
  recipients: 0,
  queued: 0,
  sending: 0,
  sent: 0,
  failed: 0,
  skipped: 0,
  delivered: 0,
  read: 0,
  clicked: 0,
  replied: 0,
  converted: 0,
  unsubscribed: 0,
});

/** The recipient's date field of each tracked step. */
export const STEP_FIELDS = {
  delivered: 'deliveredAt',
  read: 'readAt',
  clicked: 'clickedAt',
  replied: 'repliedAt',
  converted: 'convertedAt',
  unsubscribed: 'unsubscribedAt',
} as const satisfies Record<TrackedStep, string>;

function add(f: Funnel, r: Partial<RecipientDoc>): void {
  f.recipients += 1;
  f[r.state as RecipientState] += 1;
  for (const step of TRACKED_STEPS) if (r[STEP_FIELDS[step]]) f[step] += 1;
}

const grouped = (map: Map<string, Funnel>, key: string) => {
  let f = map.get(key);
  if (!f) map.set(key, (f = emptyFunnel()));
  return f;
};

export async function campaignReport(c: CampaignDoc): Promise<CampaignReport> {
  const total = emptyFunnel();
  const byVariant = new Map<string, Funnel>();
  const byLanguage = new Map<string, Funnel>();
  const projection = {
    state: 1,
    variant: 1,
    language: 1,
    ...Object.fromEntries(Object.values(STEP_FIELDS).map((f) => [f, 1])),
  };
  const cursor = CampaignRecipient.find({ campaignId: c._id }, projection).lean().cursor();
  for await (const r of cursor as AsyncIterable<Partial<RecipientDoc>>) {
    add(total, r);
    add(grouped(byVariant, r.variant ?? 'A'), r);
    add(grouped(byLanguage, r.language ?? 'es'), r);
  }
  const metric: 'clicked' | 'replied' = c.channel === 'email' ? 'clicked' : 'replied';
  const variants = variantsOf(c).map((v) => {
    const f = byVariant.get(v.name) ?? emptyFunnel();
    return { name: v.name, weight: v.weight, funnel: f, rate: f.sent ? f[metric] / f.sent : null };
  });
  const ranked = variants.filter((v) => v.rate !== null).sort((a, b) => b.rate! - a.rate!);
  const winner =
    variants.length > 1 && ranked[0] && ranked[0].rate! > (ranked[1]?.rate ?? -1)
      ? { variant: ranked[0].name, metric, rate: ranked[0].rate! }
      : null;
  return {
    campaignId: c._id.toHexString(),
    status: c.status as CampaignStatus,
    funnel: total,
    variants,
    winner,
    metric,
    byChannel: [{ channel: c.channel, funnel: total }],
    byLanguage: [...byLanguage].map(([language, funnel]) => ({ language, funnel })),
  };
}

const iso = (d: unknown) => (d ? new Date(d as Date).toISOString() : null);

function recipientFilter(campaignId: Types.ObjectId, status?: string): Record<string, unknown> {
  if (!status) return { campaignId };
  if ((RECIPIENT_STATES as readonly string[]).includes(status))
    return { campaignId, state: status };
  return { campaignId, [STEP_FIELDS[status as TrackedStep]]: { $exists: true } };
}

function recipientView(r: RecipientDoc, name: string | null): RecipientView {
  return {
    id: r._id.toHexString(),
    contactId: r.contactId.toHexString(),
    name,
    state: r.state as RecipientState,
    variant: r.variant ?? 'A',
    language: (r.language as 'es' | 'en' | undefined) ?? null,
    reason: r.reason ?? null,
    skipped: r.skipped ?? null,
    timeZone: r.timeZone ?? null,
    dueAt: iso(r.dueAt),
    sentAt: iso(r.sentAt),
    deliveredAt: iso(r.deliveredAt),
    readAt: iso(r.readAt),
    clickedAt: iso(r.clickedAt),
    repliedAt: iso(r.repliedAt),
    convertedAt: iso(r.convertedAt),
    unsubscribedAt: iso(r.unsubscribedAt),
    failedAt: iso(r.failedAt),
  };
}

export async function listRecipients(
  c: CampaignDoc,
  q: { status?: string; limit: number; offset: number },
): Promise<Page<RecipientView>> {
  const filter = recipientFilter(c._id, q.status);
  const docs = await CampaignRecipient.find(filter)
    .sort({ _id: 1 })
    .skip(q.offset)
    .limit(q.limit)
    .lean<RecipientDoc[]>();
  const names = await customerNames(docs.map((d) => d.contactId.toHexString()));
  return {
    items: docs.map((d) => recipientView(d, names.get(d.contactId.toHexString()) ?? null)),
    total: await CampaignRecipient.countDocuments(filter),
  };
}

const CSV_COLUMNS = [
  'contactId',
  'name',
  'state',
  'variant',
  'language',
  'reason',
  'sentAt',
  'clickedAt',
  'repliedAt',
  'convertedAt',
  'unsubscribedAt',
  'failedAt',
] as const;

/** A cell: quoted, a leading formula character neutralised (CSV injection). */
const cell = (v: unknown) => {
  const text = v === null || v === undefined ? '' : String(v);
  const safe = /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
  return `"${safe.replace(/"/g, '""')}"`;
};

export async function* recipientsCsv(c: CampaignDoc): AsyncGenerator<string> {
  yield `${CSV_COLUMNS.join(',')}\r\n`;
  let offset = 0;
  for (;;) {
    const page = await listRecipients(c, { limit: 500, offset });
    for (const r of page.items) yield `${CSV_COLUMNS.map((k) => cell(r[k])).join(',')}\r\n`;
    if (page.items.length < 500) return;
    offset += 500;
  }
}
