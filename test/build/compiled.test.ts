/**
 * The compiled build (`npm run build`) runs as production runs it: plain `node <out>/src/main.js`,
 * no tsx, on embedded defaults (FerretDB started by Charla, the machine's Redis). It answers its
 * health checks, serves the prebuilt console and the web chat widget, and the bot answers a
 * visitor: intents/ and flows/ were found from the compiled code's own location.
 *
 * Slow (tsc + the console build): it runs with `npm run test:build` (vitest.build.config.ts), from
 * .ci/run, not in `npm test`.
 */
import { execFile } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readdirSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startChildCharla, type ChildCharla } from '../support/child-charla.js';

const ROOT = path.resolve(import.meta.dirname, '../..');
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const run = promisify(execFile);

let work: string;
let out: string;
let prefix: string;
let charla: ChildCharla | undefined;

/** Every file under dir, relative to it. */
function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => path.relative(dir, path.join(e.parentPath, e.name)));
}

async function eventually<T>(probe: () => Promise<T | undefined>, ms = 60_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 200));
  }
}

beforeAll(async () => {
  work = mkdtempSync(path.join(tmpdir(), 'charla-build-'));
  // The embedded PostgreSQL runs as its own user when we are root: it must reach DATA_DIR.
  chmodSync(work, 0o755);
  out = path.join(work, 'dist');
  await run('npm', ['run', 'build', '--', '--out', out], { cwd: ROOT, maxBuffer: 1 << 24 });
  // As in the image: node_modules beside the compiled tree, found by walking up from it.
  symlinkSync(path.join(ROOT, 'node_modules'), path.join(work, 'node_modules'), 'dir');
  prefix = `charla-build-${path.basename(work)}`;
  charla = await startChildCharla(
    {
      DATA_DIR: path.join(work, 'data'),
      FERRETDB_BIN: path.join(ROOT, '.tools', 'bin', 'ferretdb'),
      REDIS_URL,
      QUEUE_PREFIX: prefix,
    },
    { main: path.join(out, 'src', 'main.js'), startTimeoutMs: 240_000 },
  );
});

afterAll(async () => {
  await charla?.stop();
  const redis = new Redis(REDIS_URL);
  const keys = await redis.keys(`${prefix}:*`);
  if (keys.length > 0) await redis.del(...keys);
  redis.disconnect();
  if (work) rmSync(work, { recursive: true, force: true });
});

describe('npm run build', () => {
  it('emits JavaScript with the runtime files beside it, and no TypeScript', () => {
    const files = filesUnder(out);
    expect(files).toContain(path.join('src', 'main.js'));
    expect(files.filter((f) => f.endsWith('.ts'))).toEqual([]);
    for (const needed of [
      'package.json',
      'src/app/infra/gin-twins.sql',
      'channels/webchat/public/widget.js',
      'intents/greeting.yaml',
      'flows/lead_capture.yaml',
      'scoring/rules.yaml',
      'console/dist/index.html',
    ]) {
      expect(existsSync(path.join(out, needed)), needed).toBe(true);
    }
  });

  it('runs with plain node: health, readiness, console and widget answer', async () => {
    const url = charla!.url;
    expect(charla!.process.spawnargs).toEqual([process.execPath, path.join(out, 'src', 'main.js')]);
    expect((await fetch(`${url}/healthz`)).status).toBe(200);
    await eventually(async () =>
      (await fetch(`${url}/readyz`)).status === 200 ? true : undefined,
    );
    const consolePage = await fetch(`${url}/console/`);
    expect(consolePage.status).toBe(200);
    expect(await consolePage.text()).toContain('<div id="root">');
    const widget = await fetch(`${url}/widget.js`);
    expect(widget.status).toBe(200);
    expect(widget.headers.get('content-type')).toMatch(/javascript/);
  });

  it('answers a web chat visitor from the intents it loaded', async () => {
    const url = charla!.url;
    const created = await fetch(`${url}/api/webchat/sessions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ locale: 'es' }),
    });
    expect(created.status).toBe(201);
    const session = (await created.json()) as { sessionId: string; token: string };
    const auth = { authorization: `Bearer ${session.token}` };
    const messagesUrl = `${url}/api/webchat/sessions/${session.sessionId}/messages`;
    const sent = await fetch(messagesUrl, {
      method: 'POST',
      headers: { ...auth, 'content-type': 'application/json' },
      body: JSON.stringify({ text: 'hola' }),
    });
    expect(sent.status).toBe(202);
    const reply = await eventually(async () => {
      const res = await fetch(messagesUrl, { headers: auth });
      const { messages } = (await res.json()) as {
        messages: Array<{ direction: string; author: string; text: string }>;
      };
      return messages.find((m) => m.direction === 'out' && m.author === 'bot');
    });
    expect(reply.text.length).toBeGreaterThan(0);
  });
});
