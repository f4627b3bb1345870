/**
 * The "campaign" scenario (issue 21 item 3): an email campaign to 1,000 consenting contacts
 * through a real Charla process to an SMTP sink, while the process is killed with SIGKILL twice
 * mid-send (restarted each time) and Redis — the campaign's queues — is emptied once. Afterwards,
 * from the database and the sink: each recipient got at most one mail, and every recipient ended
 * sent or failed with a reason (none lost, none stuck in queued/sending).
 *
 * The recovery lease and sweep are shortened (CHAOS_CAMPAIGN_* read by chaos/campaign-charla.ts)
 * so a recipient interrupted by a kill is settled within seconds rather than 5 minutes.
 */
import { randomBytes } from 'node:crypto';
import mongoose, { Types } from 'mongoose';
import { startChildCharla, type ChildCharla } from '../test/support/child-charla.js';
import { startSmtpSink } from '../test/support/smtp-sink.js';
import type { ScenarioResult } from './scenario.js';
import type { OwnedRedis } from './services.js';
import { emptyTally, type Tally } from './visitors.js';

const RECIPIENTS = 1000;
const RATE = 40;
/** Faults by mails received: kill -9, kill -9 again, Redis emptied. */
const KILL_AT = [200, 500];
const REDIS_LOSS_AT = 700;
const DONE_TIMEOUT_MS = 15 * 60_000;
const TAG = 'chaos-campaign';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function seed(db: mongoose.Connection, run: string): Promise<void> {
  const at = new Date();
  const contacts = [];
  const leads = [];
  for (let i = 0; i < RECIPIENTS; i++) {
    const _id = new Types.ObjectId();
    contacts.push({
      _id,
      name: `Cliente ${i}`,
      emails: [`c${i}-${run}@customer.test`],
      phones: [],
      identities: [],
      tags: [],
      locale: i % 2 ? 'en' : 'es',
      marketingConsent: { granted: true, updatedAt: at },
      createdAt: at,
      updatedAt: at,
    });
    leads.push({ contactId: _id, channel: 'webchat', status: 'new', tags: [TAG], createdAt: at });
  }
  await db.collection('contacts').insertMany(contacts);
  await db.collection('leads').insertMany(leads);
}

async function api(url: string, token: string, method: string, path: string, body?: unknown) {
  const res = await fetch(`${url}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${token}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const json = (await res.json().catch(() => ({}))) as Record<string, unknown>;
  if (res.status >= 300)
    throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(json)}`);
  return json;
}

export async function runCampaignScenario(opts: {
  env: Record<string, string | undefined>;
  mongoUri: string;
  redis: OwnedRedis;
  run: string;
}): Promise<ScenarioResult> {
  const sink = await startSmtpSink();
  const token = randomBytes(24).toString('hex');
  const env = {
    ...opts.env,
    ADMIN_TOKEN: token,
    MONGODB_URI: opts.mongoUri,
    SMTP_URL: sink.url,
    EMAIL_ADDRESS: 'news@chaos.test',
    CHAOS_CAMPAIGN_RATE: String(RATE),
    CHAOS_CAMPAIGN_LEASE_MS: '15000',
    CHAOS_CAMPAIGN_SWEEP_MS: '5000',
  };
  const start = () => startChildCharla(env, { entry: 'chaos/campaign-charla.ts' });
  const db = await mongoose.createConnection(opts.mongoUri).asPromise();
  const notes: string[] = [];
  let app: ChildCharla | undefined;
  try {
    app = await start();
    await seed(db, opts.run);
    const segment = await api(app.url, token, 'POST', '/api/segments', {
      name: 'Chaos',
      filter: { tags: [TAG] },
    });
    const campaign = await api(app.url, token, 'POST', '/api/campaigns', {
      name: 'Chaos',
      segmentId: segment.id,
      channel: 'email',
      message: {
        es: { subject: 'Rebajas', text: 'Hola {{contact.name}}, mira https://shop.example.com/r' },
        en: { subject: 'Sale', text: 'Hi {{contact.name}}, see https://shop.example.com/s' },
      },
    });
    const campaignId = new Types.ObjectId(String(campaign.id));
    const started = Date.now();
    await api(app.url, token, 'POST', `/api/campaigns/${String(campaign.id)}/send`, {});

    const faults = [
      ...KILL_AT.map((at) => ({ at, kind: 'kill' as const })),
      { at: REDIS_LOSS_AT, kind: 'redis' as const },
    ].sort((a, b) => a.at - b.at);
    const deadline = Date.now() + DONE_TIMEOUT_MS;
    let status = '';
    while (Date.now() < deadline) {
      const next = faults[0];
      if (next && sink.mails.length >= next.at) {
        faults.shift();
        const t = Date.now();
        if (next.kind === 'kill') {
          await app.kill();
          const inFlight = await db
            .collection('campaignrecipients')
            .countDocuments({ campaignId, state: 'sending' });
          app = await start();
          notes.push(
            `kill -9 after ${next.at}+ mails (${inFlight} recipients left mid-send), restarted in ${((Date.now() - t) / 1000).toFixed(1)} s`,
          );
        } else {
          const queued = await db
            .collection('campaignrecipients')
            .countDocuments({ campaignId, state: 'queued' });
          await opts.redis.restart();
          notes.push(
            `Redis killed and restarted empty after ${next.at}+ mails (${queued} recipients queued)`,
          );
        }
        console.log(`  ${notes[notes.length - 1]}`);
        continue;
      }
      const c = await db.collection('campaigns').findOne({ _id: campaignId });
      status = String(c?.status);
      if (status === 'done' && faults.length === 0) break;
      await sleep(1000);
    }
    const seconds = (Date.now() - started) / 1000;
    await sleep(3000); // a late duplicate would show up now
    notes.push(`campaign ${status} after ${seconds.toFixed(0)} s (rate limit ${RATE}/s)`);
    return {
      name: 'campaign',
      fault:
        `an email campaign to ${RECIPIENTS} consenting contacts (rate ${RATE}/s, recovery lease 15 s, sweep every 5 s), ` +
        `kill -9 of the Charla process after ${KILL_AT.join(' and ')} mails (restarted each time), ` +
        `Redis (the campaign queues) killed and restarted empty after ${REDIS_LOSS_AT}`,
      tally: await account(db, campaignId, sink.mails, notes),
      notes,
    };
  } finally {
    await app?.stop();
    await db.close();
    await sink.close();
  }
}

/**
 * The table's columns, per recipient: sent = contacts in the audience, acknowledged = recipients
 * listed, answered once / twice / never = mails the sink got for its address, wrong step =
 * recipients stuck (queued or sending) or failed without a reason, leads right = recipients whose
 * state agrees with the sink (sent ⇒ exactly one mail), gave up = failed with a reason.
 */
async function account(
  db: mongoose.Connection,
  campaignId: Types.ObjectId,
  mails: Array<{ envelopeTo: string[] }>,
  notes: string[],
): Promise<Tally> {
  const perAddress = new Map<string, number>();
  for (const m of mails) {
    for (const a of m.envelopeTo) perAddress.set(a, (perAddress.get(a) ?? 0) + 1);
  }
  const recipients = await db
    .collection('campaignrecipients')
    .find({ campaignId }, { projection: { addressKey: 1, state: 1, reason: 1 } })
    .toArray();
  const t: Tally = { ...emptyTally(), sent: RECIPIENTS, visitors: RECIPIENTS };
  const states = new Map<string, number>();
  const failedWith = new Map<string, { n: number; mailed: number }>();
  for (const r of recipients) {
    t.acknowledged++;
    const address = String(r.addressKey).replace(/^email:/, '');
    const got = perAddress.get(address) ?? 0;
    if (got === 0) t.never++;
    else if (got === 1) t.answeredOnce++;
    else t.answeredTwice++;
    const state = String(r.state);
    states.set(state, (states.get(state) ?? 0) + 1);
    if (state === 'failed' && r.reason) {
      t.gaveUp++;
      const key = String(r.reason).split(':')[0]!;
      const f = failedWith.get(key) ?? { n: 0, mailed: 0 };
      f.n++;
      if (got > 0) f.mailed++;
      failedWith.set(key, f);
    } else if (state !== 'sent') t.wrongStep++;
    if ((state === 'sent' && got === 1) || (state === 'failed' && r.reason && got <= 1)) {
      t.leadsRight++;
    }
  }
  notes.push(`recipient states: ${[...states].map(([s, n]) => `${s} ${n}`).join(', ')}`);
  for (const [reason, f] of failedWith) {
    notes.push(`failed "${reason}": ${f.n} (${f.mailed} of them had gone out before the kill)`);
  }
  const strays = [...perAddress.keys()].filter(
    (a) => !recipients.some((r) => r.addressKey === `email:${a}`),
  ).length;
  notes.push(`mails to addresses that are not recipients: ${strays}`);
  return t;
}
