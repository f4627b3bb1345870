/**
 * `npm run bench:campaign [-- --recipients 100000] [--rate 1000] [--visitors 8] [--baseline 60]`
 * — a marketing email campaign (src/features/campaigns) on the embedded default.
 *
 * Starts FerretDB on embedded PostgreSQL (as `npm start` does) and one Charla process (forked,
 * ROLE=all, campaign email rate `--rate`/s — the app's default is 20/s; the bench lifts it to
 * measure what the process can do), seeds `--recipients` consenting contacts (plus 2 % without
 * consent) each with a lead of one tag, a segment of that tag and an email campaign to it, and a
 * local SMTP sink that counts what arrives. Measures:
 *
 * - the audience preview of the whole segment (the bulk read), and the one-contact-at-a-time
 *   read on a sample of 5,000 for comparison;
 * - listing (send → every recipient listed and queued) and the send rate (mails received per
 *   second in the sink, overall and per 10 s window);
 * - the Charla process's memory (RSS and heap, sampled every 2 s) over the send: it should stay
 *   flat, not grow with the recipients;
 * - the bot's reply latency to `--visitors` live web chat visitors (real sessions, replies read
 *   from the WebSocket stream) during the send, against the same load for `--baseline` s before.
 *
 * Then checks each address got at most one mail and every recipient ended sent or failed, and
 * writes its section of BENCHMARKS.md (machine and date). Not a test.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import mongoose, { Types } from 'mongoose';
import { SMTPServer } from 'smtp-server';
import WebSocket from 'ws';
import { startEmbeddedMongo } from '../src/app/infra/embedded-mongo.js';
import { audienceReader } from '../src/features/campaigns/eligibility.js';
import { Campaign, CampaignRecipient } from '../src/features/campaigns/models.js';
import { Contact } from '../src/kernel/db/models/contact.js';
import { Lead } from '../src/kernel/db/models/lead.js';
import { findDescendant } from '../chaos/processes.js';
import { machineLine, writeBenchmarkSection } from './benchmarks-file.js';
import type { NodeReply, NodeRequest } from './campaign-node.js';

const HERE = dirname(fileURLToPath(import.meta.url));
const REPO = join(HERE, '..');
const args = process.argv.slice(2);
const arg = (name: string, fallback: number) => {
  const i = args.indexOf(name);
  return i >= 0 ? Number(args[i + 1]) : fallback;
};
const RECIPIENTS = arg('--recipients', 100_000);
const RATE = arg('--rate', 1000);
const VISITORS = arg('--visitors', 8);
const BASELINE_S = arg('--baseline', 60);
const WRITE = !args.includes('--no-write');
const NO_CONSENT = Math.round(RECIPIENTS * 0.02);
const TAG = 'bench-campaign';
const BATCH = 2000;
const BY_ID_SAMPLE = Math.min(5000, RECIPIENTS);
const LINES = ['hola', '¿cuál es vuestro horario?', '¿hacéis envíos a Canarias?', 'gracias'];

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]! : NaN;
};
const mib = (b: number) => (b / 2 ** 20).toFixed(0);
const secs = (ms: number) => (ms / 1000).toFixed(1);

/** An SMTP sink that only counts: arrival times and mails per recipient address. */
async function startCountingSink() {
  const perAddress = new Map<string, number>();
  const arrivals: number[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['AUTH', 'STARTTLS'],
    logger: false,
    onData(stream, session, callback) {
      stream.on('data', () => undefined);
      stream.on('end', () => {
        arrivals.push(Date.now());
        for (const r of session.envelope.rcptTo) {
          const a = r.address.toLowerCase();
          perAddress.set(a, (perAddress.get(a) ?? 0) + 1);
        }
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.server.address() as { port: number }).port;
  return {
    url: `smtp://127.0.0.1:${port}`,
    perAddress,
    arrivals,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

class Node {
  url = '';
  private waiters: Array<(m: Extract<NodeReply, { t: 'mem' }>) => void> = [];
  readonly exited: Promise<unknown>;
  constructor(readonly child: ChildProcess) {
    this.exited = new Promise((r) => child.once('exit', r));
    child.on('message', (m: NodeReply) => {
      if (m.t === 'mem') this.waiters.shift()?.(m);
    });
  }
  mem() {
    return new Promise<Extract<NodeReply, { t: 'mem' }>>((resolve) => {
      this.waiters.push(resolve);
      this.child.send({ t: 'mem' } satisfies NodeRequest);
    });
  }
  async stop() {
    if (this.child.exitCode !== null) return;
    this.child.send({ t: 'stop' } satisfies NodeRequest);
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 20_000);
    await this.exited;
    clearTimeout(timer);
  }
}

async function startNode(env: Record<string, string>): Promise<Node> {
  const child = fork(join(HERE, 'campaign-node.ts'), [], {
    execArgv: ['--import', 'tsx'],
    env: { PATH: process.env.PATH, HOME: process.env.HOME, ...env },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const node = new Node(child);
  node.url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('Charla did not start in 180 s')), 180_000);
    child.on('message', (m: NodeReply) => {
      if (m.t === 'ready') {
        clearTimeout(timer);
        resolve(m.url);
      } else if (m.t === 'error') {
        clearTimeout(timer);
        reject(new Error(m.message));
      }
    });
    child.once('exit', (code) => reject(new Error(`Charla exited with ${code} while starting`)));
  });
  return node;
}

async function seed(): Promise<void> {
  const total = RECIPIENTS + NO_CONSENT;
  const at = new Date();
  for (let s = 0; s < total; s += BATCH) {
    const contacts = [];
    const leads = [];
    for (let i = s; i < Math.min(s + BATCH, total); i++) {
      const _id = new Types.ObjectId();
      const consent = i < RECIPIENTS;
      contacts.push({
        _id,
        name: `Cliente ${i}`,
        emails: [`r${i}@bench.test`],
        phones: [],
        identities: [],
        tags: [],
        locale: i % 3 === 0 ? 'en' : 'es',
        marketingConsent: consent ? { granted: true, updatedAt: at } : { granted: false },
        createdAt: at,
        updatedAt: at,
      });
      leads.push({
        contactId: _id,
        name: `Cliente ${i}`,
        email: `r${i}@bench.test`,
        channel: 'webchat',
        status: 'new',
        score: 10,
        tags: [TAG],
        createdAt: at,
        updatedAt: at,
      });
    }
    await Contact.collection.insertMany(contacts, { ordered: false });
    await Lead.collection.insertMany(leads, { ordered: false });
  }
}

async function api(node: Node, token: string, method: string, path: string, body?: unknown) {
  const res = await fetch(`${node.url}${path}`, {
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

/** Live web chat visitors: a line, the bot's reply on the stream, a second's pause, again. */
async function visitors(url: string, count: number, until: () => boolean) {
  const latencies: number[] = [];
  let timeouts = 0;
  const one = async () => {
    const s = await fetch(`${url}/api/webchat/sessions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ locale: 'es' }),
    });
    const { sessionId, token } = (await s.json()) as { sessionId: string; token: string };
    const ws = new WebSocket(
      `${url.replace(/^http/, 'ws')}/api/webchat/sessions/${sessionId}/stream?token=${token}`,
    );
    await new Promise((resolve, reject) => {
      ws.once('open', resolve);
      ws.once('error', reject);
    });
    let waiting: ((at: number) => void) | undefined;
    ws.on('message', (data) => {
      const m = JSON.parse(String(data)) as { direction?: string };
      if (m.direction === 'out') waiting?.(Date.now());
    });
    for (let i = 0; !until(); i++) {
      const replied = new Promise<number | undefined>((resolve) => {
        const timer = setTimeout(() => resolve(undefined), 60_000);
        waiting = (at) => {
          clearTimeout(timer);
          waiting = undefined;
          resolve(at);
        };
      });
      const t0 = Date.now();
      await fetch(`${url}/api/webchat/sessions/${sessionId}/messages`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify({ text: LINES[i % LINES.length], clientMessageId: randomUUID() }),
      });
      const at = await replied;
      if (at === undefined) timeouts += 1;
      else latencies.push(at - t0);
      await sleep(1000); // the bot may send several messages per turn: let them all arrive
      waiting = undefined;
    }
    ws.close();
  };
  await Promise.all(Array.from({ length: count }, one));
  return { latencies, timeouts };
}

async function main(): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), 'charla-bench-campaign-'));
  const embedded = await startEmbeddedMongo({ dataDir, ferretdbBin: process.env.FERRETDB_BIN });
  const sink = await startCountingSink();
  const token = randomBytes(24).toString('hex');
  const uri = new URL(embedded.uri);
  uri.pathname = '/bench_campaign';
  let node: Node | undefined;
  try {
    await mongoose.connect(uri.toString());
    node = await startNode({
      MONGODB_URI: uri.toString(),
      REDIS_URL: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
      QUEUE_PREFIX: `bench-campaign-${Date.now().toString(36)}`,
      DATA_DIR: dataDir,
      ADMIN_TOKEN: token,
      SMTP_URL: sink.url,
      EMAIL_ADDRESS: 'news@bench.test',
      WEBCHAT_SESSIONS_PER_MINUTE: '10000',
      WEBCHAT_MESSAGES_PER_MINUTE: '10000',
      CAMPAIGN_BENCH_RATE: String(RATE),
    });
    const t0 = performance.now();
    await seed();
    const seedS = (performance.now() - t0) / 1000;
    console.log(`seeded ${RECIPIENTS + NO_CONSENT} contacts and leads in ${seedS.toFixed(0)} s`);

    const segment = await api(node, token, 'POST', '/api/segments', {
      name: 'Bench',
      filter: { tags: [TAG] },
    });
    const campaign = await api(node, token, 'POST', '/api/campaigns', {
      name: 'Bench',
      segmentId: segment.id,
      channel: 'email',
      message: {
        es: {
          subject: 'Rebajas, {{contact.name}}',
          text: 'Hola {{contact.name}}, mira https://shop.example.com/rebajas',
        },
        en: {
          subject: 'Sale, {{contact.name}}',
          text: 'Hi {{contact.name}}, see https://shop.example.com/sale',
        },
      },
    });
    const campaignId = String(campaign.id);
    console.log(`segment ${String(segment.id)}, campaign ${campaignId}`);

    // The audience: the bulk read (what the preview and the listing use at this size)…
    let t = performance.now();
    const preview = await api(node, token, 'GET', `/api/campaigns/${campaignId}/audience`);
    const previewS = (performance.now() - t) / 1000;
    console.log(`preview: ${String(preview.count)} in ${previewS.toFixed(1)} s`);
    // …and one contact at a time, on a sample, in this process (the old way).
    const sample = (
      await Lead.find({ tags: TAG }, { contactId: 1 }).limit(BY_ID_SAMPLE).lean()
    ).map((l) => l.contactId as Types.ObjectId);
    const noLookup = () => ({ configured: false as const });
    const byId = await audienceReader(sample, 'email', noLookup, new Date(), 'by-id');
    t = performance.now();
    for (let i = 0; i < sample.length; i += 25) {
      await Promise.all(sample.slice(i, i + 25).map((id) => byId(id)));
    }
    const byIdS = (performance.now() - t) / 1000;
    console.log(`by-id read of ${sample.length}: ${byIdS.toFixed(1)} s`);

    // Baseline: live web chat without the send.
    const base = await (async () => {
      const end = Date.now() + BASELINE_S * 1000;
      return visitors(node.url, VISITORS, () => Date.now() > end);
    })();
    console.log(`baseline: ${base.latencies.length} replies, p50 ${pct(base.latencies, 50)} ms`);

    // The send, with the same live load and memory sampled every 2 s.
    const mem: Array<{ at: number; rss: number; heap: number; sent: number }> = [];
    let sending = true;
    const sampler = (async () => {
      while (sending) {
        const m = await node.mem();
        mem.push({ at: Date.now(), rss: m.rss, heap: m.heapUsed, sent: sink.arrivals.length });
        await sleep(2000);
      }
    })();
    const sendAt = Date.now();
    await api(node, token, 'POST', `/api/campaigns/${campaignId}/send`, {});
    const cid = new Types.ObjectId(campaignId);
    let listedAt = 0;
    const live = visitors(node.url, VISITORS, () => !sending);
    const deadline = Date.now() + Math.max(3600_000, (RECIPIENTS / Math.min(RATE, 20)) * 1000);
    let lastLog = 0;
    for (;;) {
      await sleep(2000);
      const c = await Campaign.findById(cid, { status: 1, listedAt: 1 }).lean();
      if (!listedAt && c?.listedAt) listedAt = new Date(c.listedAt).getTime();
      if (Date.now() - lastLog > 30_000) {
        lastLog = Date.now();
        const last = mem[mem.length - 1];
        console.log(
          `${secs(Date.now() - sendAt)} s: ${sink.arrivals.length} mails, rss ${last ? mib(last.rss) : '?'} MiB`,
        );
      }
      if (c?.status === 'done' || Date.now() > deadline) break;
    }
    const doneAt = Date.now();
    sending = false;
    const during = await live;
    await sampler;
    const ferret = findDescendant(process.pid, /^\S*ferretdb\s/);

    // Accounting.
    const states = await CampaignRecipient.aggregate<{ _id: string; n: number }>([
      { $match: { campaignId: cid } },
      { $group: { _id: '$state', n: { $sum: 1 } } },
    ]);
    const byState = Object.fromEntries(states.map((s) => [s._id, s.n]));
    const twice = [...sink.perAddress.values()].filter((n) => n > 1).length;
    const first = sink.arrivals[0] ?? sendAt;
    const last = sink.arrivals[sink.arrivals.length - 1] ?? doneAt;
    const rate = sink.arrivals.length / Math.max(0.001, (last - first) / 1000);
    const windows: number[] = [];
    for (let w = first; w < last; w += 10_000) {
      windows.push(sink.arrivals.filter((a) => a >= w && a < w + 10_000).length / 10);
    }
    const full = windows.slice(0, -1);
    const sendMem = mem.filter((m) => m.at >= first);
    const rss = sendMem.map((m) => m.rss);
    const heap = sendMem.map((m) => m.heap);
    const quarter = (q: number) =>
      sendMem[Math.min(sendMem.length - 1, Math.floor(q * sendMem.length))];
    const load = loadavg()
      .map((l) => l.toFixed(1))
      .join(', ');
    const lat = (x: { latencies: number[]; timeouts: number }) =>
      `${x.latencies.length} | ${pct(x.latencies, 50)} | ${pct(x.latencies, 95)} | ${Math.max(...x.latencies)} | ${x.timeouts}`;
    const summary = {
      sent: byState.sent ?? 0,
      byState,
      mails: sink.arrivals.length,
      twice,
      rate: rate.toFixed(1),
      windows: `${Math.min(...full).toFixed(1)}–${Math.max(...full).toFixed(1)}`,
      rssMiB: `${mib(Math.min(...rss))}–${mib(Math.max(...rss))}`,
      heapMiB: `${mib(Math.min(...heap))}–${mib(Math.max(...heap))}`,
      listedS: listedAt ? secs(listedAt - sendAt) : '?',
      totalS: secs(doneAt - sendAt),
      base: lat(base),
      during: lat(during),
    };
    console.log(summary);
    const memRows = [0, 0.25, 0.5, 0.75, 1]
      .map((q) => quarter(q))
      .filter((m): m is NonNullable<typeof m> => Boolean(m))
      .map(
        (m) =>
          `| ${secs(m.at - sendAt)} | ${m.sent.toLocaleString('en')} | ${mib(m.rss)} | ${mib(m.heap)} |`,
      )
      .join('\n');
    if (WRITE) {
      writeBenchmarkSection(
        REPO,
        'campaign',
        `## Campaign send (\`npm run bench:campaign\`)

${machineLine()}; load average at the end ${load} (other sessions share the 2 cores). One Charla
process (ROLE=all) on FerretDB 1.24 on embedded PostgreSQL (FerretDB and PostgreSQL in the bench
process's tree), Redis on 127.0.0.1, a local SMTP sink that only counts. ${RECIPIENTS.toLocaleString('en')}
consenting contacts (+ ${NO_CONSENT.toLocaleString('en')} without consent) with a lead tagged for one segment;
an email campaign to it, rate limit lifted to ${RATE}/s (the app's default is 20/s, which would take
${secs((RECIPIENTS / 20) * 1000)} s for this audience). Run: \`npm run bench:campaign -- --recipients ${RECIPIENTS} --rate ${RATE} --visitors ${VISITORS} --baseline ${BASELINE_S}\`.

| figure | value |
|---|---|
| audience preview (bulk read of the segment) | ${String(preview.count)} eligible, ${previewS.toFixed(1)} s |
| one-contact-at-a-time read (the old way), ${sample.length.toLocaleString('en')} contacts | ${byIdS.toFixed(1)} s (≈ ${((byIdS / sample.length) * RECIPIENTS).toFixed(0)} s for the audience) |
| send → every recipient listed (\`listedAt\`) | ${summary.listedS} s |
| send → campaign done | ${summary.totalS} s |
| mails received / recipients sent / failed / skipped | ${sink.arrivals.length} / ${byState.sent ?? 0} / ${byState.failed ?? 0} / ${byState.skipped ?? 0} |
| addresses that got more than one mail | ${twice} |
| send rate (first to last mail) | ${summary.rate} mails/s |
| send rate per 10 s window (min–max) | ${summary.windows} mails/s |
| Charla process RSS over the send (min–max) | ${summary.rssMiB} MiB |
| Charla process heap used over the send (min–max) | ${summary.heapMiB} MiB |
| FerretDB process RSS at the end | ${ferret ? rssOf(ferret.pid) : '?'} MiB |

Memory over the send (samples at the start, quarters and end of the mails):

| s after send | mails received | RSS MiB | heap MiB |
|---:|---:|---:|---:|
${memRows}

Live web chat during the send: ${VISITORS} visitors, each writing a line, waiting for the bot's
reply on the WebSocket stream, pausing 1 s, again (FAQ lines). Latency = POST of the line to the
first reply pushed on the stream.

| load | replies | p50 ms | p95 ms | max ms | no reply in 60 s |
|---|---:|---:|---:|---:|---:|
| without the send (${BASELINE_S} s) | ${summary.base} |
| during the send (${summary.totalS} s) | ${summary.during} |
`,
      );
      console.log('BENCHMARKS.md updated');
    }
  } finally {
    await node?.stop();
    await mongoose.disconnect();
    await sink.close();
    await embedded.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

function rssOf(pid: number): string {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? NaN);
    return (kb / 1024).toFixed(0);
  } catch {
    return '?';
  }
}

await main();
