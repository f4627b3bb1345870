/**
 * The embedded database as users get it (FerretDB on embedded PostgreSQL): indexed lookups,
 * no lost or hung updates through Charla's connection settings, supervision (restart on death,
 * never orphaned, one server per data directory).
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { MongoClient, ObjectId } from 'mongodb';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isAlive } from '../../../src/app/infra/data-dir-lock.js';
import { startEmbeddedMongo, type EmbeddedMongo } from '../../../src/app/infra/embedded-mongo.js';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.resolve(HERE, '../../..');
const dirs: string[] = [];
const tempDir = () => {
  const d = mkdtempSync(path.join(tmpdir(), 'charla-supervised-'));
  dirs.push(d);
  return d;
};
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

async function until(fn: () => boolean | Promise<boolean>, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await fn()) return true;
    await new Promise((r) => setTimeout(r, 50));
  }
  return false;
}

function postgresUrl(db: EmbeddedMongo): string {
  if (!db.postgresUrl) throw new Error('no PostgreSQL');
  return db.postgresUrl;
}

describe('embedded FerretDB on PostgreSQL', () => {
  let db: EmbeddedMongo;
  let client: MongoClient;
  beforeAll(async () => {
    db = await startEmbeddedMongo({ dataDir: tempDir(), ferretdbBin: undefined });
    // Charla's own setting on FerretDB (src/app/charla.ts): one connection per process.
    client = await new MongoClient(db.uri, { maxPoolSize: 1 }).connect();
  });
  afterAll(async () => {
    await client?.close();
    await db?.stop();
  });

  it('runs on the PostgreSQL backend by default', () => {
    expect(db.backend).toBe('postgresql');
    expect(db.processes.map((p) => p.name)).toEqual(['FerretDB', 'PostgreSQL']);
  });

  it('serves _id and indexed-field lookups from an index, not a scan', async () => {
    const col = client.db('lookups').collection('docs');
    await col.createIndex({ key: 1 }, { unique: true });
    const ids = Array.from({ length: 3000 }, () => new ObjectId());
    for (let i = 0; i < ids.length; i += 1000) {
      await col.insertMany(ids.slice(i, i + 1000).map((_id, j) => ({ _id, key: `k${i + j}` })));
    }
    expect((await col.findOne({ _id: ids[2500] }))?.key).toBe('k2500');
    const pgc = new pg.Client({ connectionString: postgresUrl(db) });
    await pgc.connect();
    try {
      const { rows } = await pgc.query<{ table_name: string }>(
        "SELECT table_name FROM information_schema.tables WHERE table_schema = 'lookups' AND table_name LIKE 'docs%'",
      );
      const table = `"lookups"."${rows[0]!.table_name}"`;
      await pgc.query(`ANALYZE ${table}`);
      // The exact statement FerretDB 1.24 sends for {field: value}, with the server's settings.
      await pgc.query(
        `PREPARE q(text, jsonb) AS SELECT _jsonb FROM ${table} WHERE _jsonb->$1 @> $2`,
      );
      for (const [field, value] of [
        ['_id', JSON.stringify(ids[2500]!.toHexString())],
        ['key', '"k2500"'],
      ]) {
        // Seven runs: a generic plan (which could not use the index) would be chosen by now.
        for (let i = 0; i < 7; i++) await pgc.query(`EXECUTE q('${field}', '${value}')`);
        const plan = await pgc.query(`EXPLAIN EXECUTE q('${field}', '${value}')`);
        const text = plan.rows.map((r: Record<string, string>) => Object.values(r)[0]).join('\n');
        expect(text, field).toMatch(/Index Scan on gin_/);
        expect(text, field).not.toMatch(/Seq Scan/);
      }
    } finally {
      await pgc.end();
    }
  });

  it('finishes 200 concurrent updates of one document and loses none', async () => {
    const col = client.db('concurrency').collection('counters');
    await col.insertOne({ _id: 'one' as unknown as ObjectId, n: 0 });
    await Promise.all(
      Array.from({ length: 200 }, () =>
        col.updateOne({ _id: 'one' as unknown as ObjectId }, { $inc: { n: 1 } }),
      ),
    );
    expect((await col.findOne({ _id: 'one' as unknown as ObjectId }))?.n).toBe(200);
  });

  it('restarts FerretDB and PostgreSQL when they die, data intact', async () => {
    const col = client.db('restart').collection('docs');
    await col.insertOne({ kept: 1 });
    for (const proc of db.processes) {
      const before = proc.serverPid()!;
      const events: string[] = [];
      db.health.once('down', () => events.push('down'));
      db.health.once('up', () => events.push('up'));
      process.kill(before, 'SIGKILL');
      expect(await until(() => events.includes('down'), 5000), proc.name).toBe(true);
      expect(await until(() => events.includes('up'), 20_000), proc.name).toBe(true);
      expect(proc.serverPid()).not.toBe(before);
      expect(db.isUp()).toBe(true);
      const found = await until(
        () =>
          col.countDocuments({ kept: 1 }).then(
            (n) => n === 1,
            () => false,
          ),
        15_000,
      );
      expect(found, proc.name).toBe(true);
    }
  });

  it('refuses a second start on the same data directory while the first runs', async () => {
    const dataDir = tempDir();
    const results = await Promise.allSettled([
      startEmbeddedMongo({ dataDir, ferretdbBin: undefined }),
      startEmbeddedMongo({ dataDir, ferretdbBin: undefined }),
    ]);
    const started = results.filter((r) => r.status === 'fulfilled');
    const refused = results.filter((r) => r.status === 'rejected');
    expect(started).toHaveLength(1);
    expect(String((refused[0] as PromiseRejectedResult).reason)).toMatch(/in use by process/);
    await (started[0] as PromiseFulfilledResult<EmbeddedMongo>).value.stop();
  });
});

function startChild(dataDir: string) {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', path.join(HERE, 'fixtures', 'start-embedded-db.ts'), dataDir],
    { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const line = new Promise<{ pids?: number[]; error?: string }>((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      const nl = out.indexOf('\n');
      if (nl >= 0) resolve(JSON.parse(out.slice(0, nl)) as { pids?: number[]; error?: string });
    });
    child.once('exit', (code) => reject(new Error(`child exited ${code} before reporting`)));
  });
  return { child, line };
}

describe('the embedded database and its parent process', () => {
  it(
    'exits when the Node parent is killed with SIGKILL, and a restart takes over',
    { timeout: 60_000 },
    async () => {
      const dataDir = tempDir();
      const first = startChild(dataDir);
      const { pids } = await first.line;
      expect(pids).toHaveLength(2);
      expect(pids!.every(isAlive)).toBe(true);

      // Another process on the same data directory is refused while the owner lives.
      const rival = startChild(dataDir);
      const refused = await rival.line;
      expect(refused.error).toMatch(/in use by process/);

      first.child.kill('SIGKILL');
      expect(await until(() => !pids!.some(isAlive), 15_000)).toBe(true);

      // The owner died without cleaning up: the next start finds the stale lock and takes over.
      const second = startChild(dataDir);
      const again = await second.line;
      expect(again.pids).toHaveLength(2);
      second.child.kill('SIGKILL');
      expect(await until(() => !again.pids!.some(isAlive), 15_000)).toBe(true);
    },
  );
});
