/**
 * `npm run bench:search` — search everywhere (src/features/search) on the embedded database.
 *
 * Starts FerretDB on embedded PostgreSQL (as `npm start` does), seeds 100,000 customer messages
 * in 20,000 conversations (Spanish and English words with a skewed frequency: the commonest
 * word is in a third of the messages, some in one in a thousand, one per message), each stored
 * with its terms as `storeInbound` writes them, then times `GET /api/search`'s searches (the
 * service, no HTTP) for rare, common and multi-word queries: p50/p95 over RUNS each. Writes its
 * section of BENCHMARKS.md (machine and date). Not a test. Words of different lists meet in a
 * message only when their indices line up (COMMON[i % 3], MIDDLE[i % 7]): two COMMON words, or
 * `camión` and `delivery`, never share one — the worst case, every match of the leading word
 * read to find none.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import mongoose, { Types } from 'mongoose';
import { startEmbeddedMongo } from '../src/app/infra/embedded-mongo.js';
import { createTermStats } from '../src/features/search/common-terms.js';
import { READ_CAP } from '../src/features/search/query.js';
import { search } from '../src/features/search/service.js';
import { Contact } from '../src/kernel/db/models/contact.js';
import { Conversation } from '../src/kernel/db/models/conversation.js';
import { Message } from '../src/kernel/db/models/message.js';
import { TOKEN_ACTOR } from '../src/kernel/roles.js';
import { searchTerms } from '../src/kernel/search-terms.js';
import { machineLine, writeBenchmarkSection } from './benchmarks-file.js';

const REPO = join(dirname(fileURLToPath(import.meta.url)), '..');
const MESSAGES = Number(process.env.SEARCH_MESSAGES ?? 100_000);
const CONVERSATIONS = MESSAGES / 5;
const RUNS = Number(process.env.SEARCH_RUNS ?? 20);
const BATCH = 2_000;

const COMMON = ['pedido', 'envío', 'factura'];
const MIDDLE = ['camión', 'reembolso', 'contraseña', 'delivery', 'refund', 'invoice', 'tienda'];
const RARE = ['paraguas', 'zanahoria', 'murciélago'];

function textOf(i: number): string {
  const words = [COMMON[i % 3]!, MIDDLE[i % MIDDLE.length]!, `ref${i}`];
  if (i % 1000 === 7) words.push(RARE[((i / 1000) % RARE.length) | 0]!);
  return `Hola, sobre mi ${words.join(' y ')}: ¿me ayudáis?`;
}

async function seed(): Promise<void> {
  const contacts = Array.from({ length: CONVERSATIONS }, (_, i) => ({
    _id: new Types.ObjectId(),
    name: `Cliente ${i}`,
  }));
  for (let s = 0; s < contacts.length; s += BATCH) {
    await Contact.insertMany(contacts.slice(s, s + BATCH), { ordered: false });
  }
  const conversations = contacts.map((c, i) => ({
    _id: new Types.ObjectId(),
    contactId: c._id,
    channel: 'webchat',
    platformConversationId: `bench-${i}`,
    status: 'closed',
  }));
  for (let s = 0; s < conversations.length; s += BATCH) {
    await Conversation.collection.insertMany(conversations.slice(s, s + BATCH));
  }
  const at = Date.now() - MESSAGES * 1000;
  for (let s = 0; s < MESSAGES; s += BATCH) {
    const docs = [];
    for (let i = s; i < Math.min(s + BATCH, MESSAGES); i++) {
      const c = conversations[i % CONVERSATIONS]!;
      const text = textOf(i);
      docs.push({
        conversationId: c._id,
        contactId: c.contactId,
        channel: 'webchat',
        direction: 'in',
        author: 'customer',
        text,
        terms: searchTerms(text),
        internal: false,
        dedupeKey: `bench:${i}`,
        status: 'processed',
        attempts: 0,
        createdAt: new Date(at + i * 1000),
        updatedAt: new Date(at + i * 1000),
      });
    }
    await Message.collection.insertMany(docs, { ordered: false });
  }
  await Message.syncIndexes();
  await Contact.syncIndexes();
}

const QUERIES: Array<[label: string, q: string]> = [
  ['rare word (0.1 %)', 'paraguas'],
  ['one message (ref number)', 'ref77777'],
  ['middle word (14 %)', 'reembolso'],
  ['common word (33 %)', 'pedido'],
  ['rare + common', 'pedido zanahoria'],
  ['common + middle, together in 4.8 %', 'pedido camión'],
  ['two middle words, never together', 'camión delivery'],
  ['two common words, never together', 'pedido envío'],
  ['accents and case', 'MURCIELAGO'],
];

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]!;
};

async function main(): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), 'charla-bench-search-'));
  const embedded = await startEmbeddedMongo({ dataDir, ferretdbBin: process.env.FERRETDB_BIN });
  try {
    const uri = new URL(embedded.uri);
    uri.pathname = '/bench_search';
    await mongoose.connect(uri.toString());
    const t0 = performance.now();
    await seed();
    console.log(`seeded ${MESSAGES} messages in ${((performance.now() - t0) / 1000).toFixed(0)} s`);
    const stats = createTermStats();
    const rows: string[] = [];
    for (const [label, q] of QUERIES) {
      const times: number[] = [];
      let found = 0;
      let more = false;
      for (let r = 0; r < RUNS; r++) {
        const t = performance.now();
        const res = await search(
          TOKEN_ACTOR,
          { q, types: ['conversations', 'contacts'], limit: 5 },
          stats,
        );
        times.push(performance.now() - t);
        const group = res.groups.find((g) => g.type === 'conversations')!;
        found = group.items.length;
        more = group.more;
      }
      const line = `| ${label} | \`${q}\` | ${found}${more ? ' (more)' : ''} | ${pct(times, 50).toFixed(0)} | ${pct(times, 95).toFixed(0)} |`;
      console.log(line);
      rows.push(line);
    }
    const load = loadavg()
      .map((l) => l.toFixed(1))
      .join(', ');
    writeBenchmarkSection(
      REPO,
      'search',
      `## Search everywhere (\`npm run bench:search\`)

${machineLine()}; load average at the end ${load} (other sessions share the 2 cores). FerretDB 1.24
on embedded PostgreSQL, same process. ${MESSAGES.toLocaleString('en')} customer messages in
${CONVERSATIONS.toLocaleString('en')} conversations, each stored with its terms; one search =
the conversations and contacts groups of \`GET /api/search\` (service call, no HTTP; limit 5),
${RUNS} runs per query, first run included (the term sample is taken then).

| query | q | conversations found | p50 ms | p95 ms |
|---|---|---:|---:|---:|
${rows.join('\n')}

How a query runs (src/features/search/query.ts): FerretDB serves one term equality from its
index and pushes nothing more down — with \`$and\` of two terms it read every match of the first
and filtered them itself (before this change: 4.9 s p50 for two 14 % words, 15.6 s for two 33 %
words that never meet, same machine, load ~19). Now the database is asked for the rarest term
alone (by a 3,000-document sample) on a cursor; the other terms are checked in Node; the scan
stops at 200 matches or after reading ${READ_CAP.toLocaleString('en')} documents, and then says
\`more: true\` (only true matches are returned: every word, AND). The price: two words that are
each common but rarely together may be missed when their shared messages lie past the first
${READ_CAP.toLocaleString('en')} matches of the leading word; the console then says more matches
may exist. A page is the newest of the matches read, not of all. What is left: a common leading
word still costs about a second though only 200–2,000 of its matches are read, and the time
follows how many messages hold it (14 %: 0.5–0.8 s, 33 %: 1.1–1.2 s p50 in two runs, for the same 200 read).
FerretDB 1.24 pushes a limit down only without a filter, so PostgreSQL produces every match of
the term and, as far as can be seen, the rest is drained when the cursor closes; bounding that
would need a narrower indexed key (e.g. terms bucketed by month). For comparison (previous
sessions): a case-insensitive regex over the 100,000 texts took 26–29 s; a common word's
matches sorted in the database 8–16 s.`,
    );
  } finally {
    await mongoose.disconnect();
    await embedded.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

await main();
