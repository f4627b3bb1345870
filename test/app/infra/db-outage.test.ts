/**
 * Charla on its own embedded database (no MONGODB_URI, as `npm start` runs): when the database
 * dies, /healthz and /readyz say so, inbound POSTs answer 503 with Retry-After and change nothing;
 * the supervisor restarts it, and within 5 s Charla serves and answers again.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Message } from '../../../src/kernel/db/models/message.js';
import { webchatClient } from '../../channels/webchat/client.js';
import { eventually, startTestApp, type TestApp } from '../../support/app.js';

/** Pid of the FerretDB server (not its sh wrapper) started under `dataDir` (Linux /proc). */
function ferretPid(dataDir: string): number {
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    let argv: string[];
    try {
      argv = readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0');
    } catch {
      continue;
    }
    if (argv[0]?.endsWith('ferretdb') && argv.includes(`--state-dir=${dataDir}/ferretdb`)) {
      return Number(entry);
    }
  }
  throw new Error(`no FerretDB under ${dataDir}`);
}

describe('database outage', () => {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'charla-outage-'));
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp({ MONGODB_URI: '', DATA_DIR: dataDir });
  });
  afterAll(async () => {
    await app?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('reports the dead database, refuses inbound with 503 + Retry-After, recovers within 5 s', async () => {
    const client = webchatClient(app.url);
    const session = await client.createSession('es');
    expect((await fetch(`${app.url}/healthz`)).status).toBe(200);

    const stored = await Message.countDocuments({});
    process.kill(ferretPid(dataDir), 'SIGKILL');
    await eventually(async () => (await fetch(`${app.url}/healthz`)).status === 503, 3000);
    const ready = await fetch(`${app.url}/readyz`);
    expect(ready.status).toBe(503);
    expect(((await ready.json()) as { checks: { mongodb: boolean } }).checks.mongodb).toBe(false);

    const refused = await client.post(session, { text: 'hola' });
    const downAt = Date.now();
    expect(refused.status).toBe(503);
    expect(refused.headers.get('retry-after')).toBe('5');
    expect(refused.body.error.code).toBe('database_unavailable');
    const newSession = await client.request('POST', '/api/webchat/sessions', { body: {} });
    expect(newSession.status).toBe(503);

    await eventually(async () => (await fetch(`${app.url}/healthz`)).status === 200, 10_000);
    expect(Date.now() - downAt).toBeLessThan(8000);
    expect((await fetch(`${app.url}/readyz`)).status).toBe(200);
    // Nothing was stored while refused.
    expect(await Message.countDocuments({})).toBe(stored);

    // Workers resumed: a message now is stored once and answered.
    const sentAt = new Date();
    const accepted = await client.post(session, { text: 'hola' });
    expect(accepted.status).toBeLessThan(300);
    const replies = await eventually(async () => {
      const out = await Message.find({
        conversationId: session.conversationId,
        direction: 'out',
        status: 'sent',
        createdAt: { $gte: sentAt },
      }).lean();
      return out.length > 0 ? out : undefined;
    }, 10_000);
    expect(replies.length).toBeGreaterThan(0);
    const inbound = await Message.find({
      conversationId: session.conversationId,
      direction: 'in',
    }).lean();
    expect(inbound).toHaveLength(1);
  });
});
