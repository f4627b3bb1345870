/**
 * npm run check:signals (scripts/check-signals.sh) step: a real /metrics exposition. Boots one
 * Charla on its own embedded FerretDB (or MONGODB_URI) and the Redis of REDIS_URL (default
 * 127.0.0.1:6379, a fresh queue prefix whose keys are dropped after), causes every signal once —
 * a web chat message answered, an escalation claimed, a case SLA missed, a webhook delivered to a
 * receiver on 127.0.0.1 — and writes what GET /metrics answered to the file named by argv[2].
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Redis } from 'ioredis';
import { createCharla, type Charla } from '../src/app/charla.js';
import { startEmbeddedMongo } from '../src/app/infra/embedded-mongo.js';
import { loadConfig } from '../src/kernel/config/config.js';
import { createCase } from '../src/kernel/db/cases.js';
import { Case } from '../src/kernel/db/models/case.js';
import { Contact } from '../src/kernel/db/models/contact.js';
import { Conversation } from '../src/kernel/db/models/conversation.js';
import { Message } from '../src/kernel/db/models/message.js';
import { createLogger } from '../src/kernel/logger.js';

const ADMIN_TOKEN = `signals-${randomUUID()}`;
const admin = { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' };

async function until<T>(what: string, fn: () => Promise<T | null | undefined | false>) {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    const got = await fn();
    if (got) return got;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`signals exposition: ${what} did not happen within 60 s`);
}

async function webchatTurn(url: string, text: string): Promise<string> {
  const created = await fetch(`${url}/api/webchat/sessions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ locale: 'es' }),
  });
  const s = (await created.json()) as { sessionId: string; token: string; conversationId: string };
  const posted = await fetch(`${url}/api/webchat/sessions/${s.sessionId}/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${s.token}` },
    body: JSON.stringify({ text }),
  });
  if (posted.status !== 202) throw new Error(`web chat message answered ${posted.status}`);
  return s.conversationId;
}

async function causeSignals(charla: Charla, url: string, receiverUrl: string): Promise<void> {
  // A turn, a reply, queue waits, NLU outcomes, HTTP requests.
  const greeted = await webchatTurn(url, 'hola');
  await until('the reply', () =>
    Message.findOne({ conversationId: greeted, direction: 'out', status: 'sent' }).lean(),
  );
  // A queue wait ended by a claim.
  const escalated = await webchatTurn(url, 'quiero hablar con una persona');
  await until('the escalation', async () => {
    return (await Conversation.findById(escalated).lean())?.status === 'queued';
  });
  await charla.services.escalator.claim(escalated, { id: 'U-signals', name: 'Ana' });
  // A missed case SLA (the monitor runs every 200 ms here).
  const contact = await Contact.create({ name: 'Ana' });
  const late = await createCase({ type: 'support', contactId: contact._id, subject: 'late' });
  const past = new Date(Date.now() - 3600_000);
  await Case.updateOne(
    { _id: late._id },
    { $set: { firstResponseDueAt: past, resolutionDueAt: past } },
  );
  await until('the SLA breach', async () => {
    return ((await Case.findById(late._id).lean())?.slaAlerts ?? []).length > 0;
  });
  // A webhook delivery (a ping).
  const hook = await fetch(`${url}/api/webhooks`, {
    method: 'POST',
    headers: admin,
    body: JSON.stringify({ url: `${receiverUrl}/hook`, events: ['lead.created'] }),
  });
  const { id } = (await hook.json()) as { id: string };
  await fetch(`${url}/api/webhooks/${id}/test`, { method: 'POST', headers: admin });
  await until('the webhook delivery', async () => {
    const res = await fetch(`${url}/api/webhooks/${id}/deliveries`, { headers: admin });
    const body = (await res.json()) as { items: Array<{ status: string }> };
    return body.items.some((d) => d.status === 'delivered');
  });
}

async function main(out: string): Promise<void> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'charla-signals-'));
  const mongo = process.env.MONGODB_URI
    ? undefined
    : await startEmbeddedMongo({
        dataDir,
        ferretdbBin: process.env.FERRETDB_BIN,
        backend: 'sqlite',
      });
  const receiver = createServer((req, res) => req.resume().on('end', () => res.end('ok')));
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  const receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;
  const prefix = `charla-signals-${randomUUID().slice(0, 8)}`;
  const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
  const config = loadConfig({
    PORT: '0',
    HOST: '127.0.0.1',
    MONGODB_URI: process.env.MONGODB_URI ?? mongo!.uri,
    REDIS_URL: redisUrl,
    QUEUE_PREFIX: prefix,
    ADMIN_TOKEN,
    LOG_LEVEL: 'silent',
    WEBHOOK_ALLOW_HOSTS: '127.0.0.1',
    // The tests' model cache: the shipped catalogue is trained once per code version.
    NLU_CACHE_DIR: path.join(tmpdir(), 'charla-test-nlu-cache'),
  });
  const charla = await createCharla(config, {
    logger: createLogger(config.logLevel),
    dbName: prefix.replaceAll('-', '_'),
    slaCheckIntervalMs: 200,
  });
  try {
    const url = await charla.listen();
    await causeSignals(charla, url, receiverUrl);
    const res = await fetch(`${url}/metrics`, { headers: admin });
    if (res.status !== 200) throw new Error(`GET /metrics answered ${res.status}`);
    writeFileSync(out, await res.text());
  } finally {
    await charla.stop();
    receiver.close();
    await mongo?.stop();
    rmSync(dataDir, { recursive: true, force: true });
    const redis = new Redis(redisUrl);
    const keys = await redis.keys(`${prefix}:*`);
    if (keys.length > 0) await redis.del(...keys);
    redis.disconnect();
  }
}

const out = process.argv[2];
if (!out) throw new Error('usage: tsx scripts/signals-exposition.ts OUT_FILE');
await main(out);
