/**
 * `npm run bench:export` — the leads CSV export (src/features/leads/export.ts) in constant memory.
 *
 * Starts the embedded database (FerretDB on embedded PostgreSQL, as `npm start` does), seeds
 * 10,000 leads (half with a contact), exports them, seeds up to 100,000 and exports again,
 * sampling RSS and V8 heap every 20 ms while each export streams into a byte counter. If the
 * export held rows in memory, the 100k peak would be ~10x the 10k one; streamed, both stay
 * near the baseline. Writes its section of BENCHMARKS.md (machine and date). Not a test.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { fileURLToPath } from 'node:url';
import mongoose, { Types } from 'mongoose';
import { startEmbeddedMongo } from '../src/app/infra/embedded-mongo.js';
import { leadsCsv } from '../src/features/leads/export.js';
import { Contact } from '../src/kernel/db/models/contact.js';
import { Lead } from '../src/kernel/db/models/lead.js';
import { machineLine, writeBenchmarkSection } from './benchmarks-file.js';

const REPO = join(dirname(fileURLToPath(import.meta.url)), '..');
const BATCH = 2_000;
const MiB = 2 ** 20;

async function seed(from: number, to: number): Promise<void> {
  for (let start = from; start < to; start += BATCH) {
    const end = Math.min(start + BATCH, to);
    const contacts = [];
    const leads = [];
    for (let i = start; i < end; i++) {
      const contactId = new Types.ObjectId();
      const withContact = i % 2 === 0;
      const locale = i % 4 === 0 ? 'es' : 'en';
      const consent = withContact && i % 3 === 0;
      if (withContact) {
        contacts.push({
          _id: contactId,
          name: `Cliente ${i}`,
          locale,
          marketingConsent: { granted: consent },
        });
      }
      leads.push({
        contactId,
        name: `José Núñez ${i}`,
        email: `lead${i}@example.com`,
        phone: `+34600${String(i).padStart(6, '0')}`,
        company: i % 10 === 0 ? '=cmd|calc' : `Empresa ${i}, S.L.`,
        interest: 'plan "pro"\ncon soporte',
        channel: i % 2 ? 'telegram' : 'webchat',
        score: i % 101,
        // What the scoring job copies from the contact (src/features/leads/scoring/refresh.ts).
        ...(withContact ? { language: locale } : {}),
        marketingConsent: consent,
        scoreReasons: [{ rule: 'company', points: 15, label: { en: 'company', es: 'empresa' } }],
      });
    }
    await Contact.insertMany(contacts, { ordered: false });
    await Lead.insertMany(leads, { ordered: false });
  }
}

interface ExportRun {
  leads: number;
  seconds: number;
  bytes: number;
  baselineRssMiB: number;
  peakRssMiB: number;
  baselineHeapMiB: number;
  peakHeapMiB: number;
}

async function measureExport(leads: number): Promise<ExportRun> {
  globalThis.gc?.();
  const base = process.memoryUsage();
  let peakRss = base.rss;
  let peakHeap = base.heapUsed;
  const timer = setInterval(() => {
    const m = process.memoryUsage();
    peakRss = Math.max(peakRss, m.rss);
    peakHeap = Math.max(peakHeap, m.heapUsed);
  }, 20);
  let bytes = 0;
  const started = performance.now();
  await pipeline(
    leadsCsv({ filter: {}, sort: { createdAt: -1, _id: -1 } }),
    new Writable({
      write(chunk: Buffer, _enc, done) {
        bytes += chunk.length;
        done();
      },
    }),
  );
  clearInterval(timer);
  return {
    leads,
    seconds: (performance.now() - started) / 1000,
    bytes,
    baselineRssMiB: base.rss / MiB,
    peakRssMiB: peakRss / MiB,
    baselineHeapMiB: base.heapUsed / MiB,
    peakHeapMiB: peakHeap / MiB,
  };
}

/**
 * What the export did before the leads carried the contact facts: one contacts look-up by
 * `_id: {$in: 500 ids}` per batch of 500 leads. Timed on a few batches to show whether FerretDB
 * serves it from the primary key or scans the contacts.
 */
async function inLookupMs(samples = 3): Promise<number> {
  const leads = await Lead.find({}, { contactId: 1 })
    .limit(500 * samples)
    .lean();
  const started = performance.now();
  for (let k = 0; k < samples; k++) {
    const ids = leads.slice(k * 500, (k + 1) * 500).map((l) => l.contactId);
    await Contact.find({ _id: { $in: ids } }, { locale: 1, marketingConsent: 1 }).lean();
  }
  return (performance.now() - started) / samples;
}

const f1 = (n: number) => n.toFixed(1);

async function main(): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), 'charla-bench-export-'));
  const embedded = await startEmbeddedMongo({ dataDir, ferretdbBin: process.env.FERRETDB_BIN });
  try {
    const uri = new URL(embedded.uri);
    uri.pathname = '/bench_export';
    await mongoose.connect(uri.toString());
    const runs: ExportRun[] = [];
    let seeded = 0;
    const sizes = (process.env.EXPORT_SIZES ?? '10000,100000').split(',').map(Number);
    const probes: string[] = [];
    for (const target of sizes) {
      const t = performance.now();
      await seed(seeded, target);
      seeded = target;
      console.log(`seeded ${target} leads in ${f1((performance.now() - t) / 1000)} s`);
      const run = await measureExport(target);
      console.log(JSON.stringify(run));
      runs.push(run);
      const ms = await inLookupMs();
      console.log(`contacts _id $in 500: ${f1(ms)} ms per batch at ${target} leads`);
      probes.push(
        `${target.toLocaleString('en')} leads: ${f1(ms)} ms per batch → ${f1((ms * target) / 500 / 1000)} s for the whole export`,
      );
    }
    const load = loadavg()
      .map((l) => l.toFixed(1))
      .join(', ');
    const rows = runs.map(
      (r) =>
        `| ${r.leads.toLocaleString('en')} | ${f1(r.seconds)} | ${f1(r.bytes / MiB)} | ${f1(r.baselineRssMiB)} → ${f1(r.peakRssMiB)} | ${f1(r.baselineHeapMiB)} → ${f1(r.peakHeapMiB)} |`,
    );
    writeBenchmarkSection(
      REPO,
      'export',
      `## Leads CSV export (\`npm run bench:export\`)

${machineLine()}; load average at the end ${load} (other sessions share the 2 cores). FerretDB 1.24
on embedded PostgreSQL, same process as the export. \`leadsCsv\` (src/features/leads/export.ts) streams
every lead through csv-stringify into a byte counter from one cursor over the leads collection:
each lead carries its contact's language and consent (copied by the scoring job and by every
consent change), so no contacts are read. RSS and V8 heap sampled every 20 ms. Memory is flat in
the number of leads: the cursor reads 500 leads at a time and the stream's back-pressure pauses
it.

| leads | seconds | CSV MiB | RSS MiB (before → peak) | heap MiB (before → peak) |
|---:|---:|---:|---:|---:|
${rows.join('\n')}

What the per-batch contact look-up the export used to make (\`Contact.find({_id: {$in: 500
ids}})\` for every 500 leads) costs on this FerretDB, timed after each export:
${probes.map((p) => `- ${p}`).join('\n')}

The look-up grows with the number of contacts — FerretDB scans the contacts for \`_id: {$in}\`
(only \`{_id: x}\` is served by the primary key) — so the old export was quadratic in its size,
which is why its 100k run did not finish in 15 minutes; reading the leads alone keeps it linear.`,
    );
  } finally {
    await mongoose.disconnect();
    await embedded.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

await main();
