/**
 * The console's static serving (src/http/console-static.ts) on a real fastify server, against a
 * small dist folder made here: SPA fallback, cache headers, CSP, no path escape, 503 unbuilt.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONSOLE_CSP, mountConsole } from '../../src/http/console-static.js';

describe('console static serving', () => {
  let root: string;
  let built: FastifyInstance;
  let unbuilt: FastifyInstance;

  beforeAll(async () => {
    root = mkdtempSync(path.join(tmpdir(), 'charla-console-'));
    const dist = path.join(root, 'dist');
    mkdirSync(path.join(dist, 'assets'), { recursive: true });
    writeFileSync(path.join(dist, 'index.html'), '<!doctype html><title>console</title>');
    writeFileSync(path.join(dist, 'assets', 'index-abc123.js'), 'console.log(1)');
    writeFileSync(path.join(dist, 'favicon.svg'), '<svg/>');
    writeFileSync(path.join(root, 'secret.txt'), 'not for the web');
    built = Fastify();
    await mountConsole(built, { distDir: dist });
    unbuilt = Fastify();
    await mountConsole(unbuilt, { distDir: path.join(root, 'missing') });
  });
  afterAll(async () => {
    await built?.close();
    await unbuilt?.close();
    rmSync(root, { recursive: true, force: true });
  });

  it('answers index.html for /console and any deep link, never cached, with the CSP', async () => {
    for (const url of [
      '/console',
      '/console/',
      '/console/conversations/abc?x=1',
      '/console/login',
    ]) {
      const res = await built.inject({ url });
      expect(res.statusCode, url).toBe(200);
      expect(res.headers['content-type']).toMatch(/^text\/html/);
      expect(res.body).toContain('<title>console</title>');
      expect(res.headers['cache-control']).toBe('no-cache');
      expect(res.headers['content-security-policy']).toBe(CONSOLE_CSP);
    }
    const csp = CONSOLE_CSP;
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toContain("connect-src 'self' ws: wss:");
  });

  it('serves hashed assets cached for a year, other files for an hour', async () => {
    const asset = await built.inject({ url: '/console/assets/index-abc123.js' });
    expect(asset.statusCode).toBe(200);
    expect(asset.headers['content-type']).toMatch(/javascript/);
    expect(asset.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(asset.body).toBe('console.log(1)');
    const icon = await built.inject({ url: '/console/favicon.svg' });
    expect(icon.statusCode).toBe(200);
    expect(icon.headers['cache-control']).toBe('public, max-age=3600');
  });

  it('answers 404 for a missing asset instead of the app, and never leaves dist', async () => {
    const missing = await built.inject({ url: '/console/assets/gone-123.js' });
    expect(missing.statusCode).toBe(404);
    expect(missing.json()).toMatchObject({ error: { code: 'not_found' } });
    const escape = await built.inject({ url: '/console/..%2fsecret.txt' });
    expect(escape.body).not.toContain('not for the web');
    const escape2 = await built.inject({ url: '/console/assets/..%2f..%2fsecret.txt' });
    expect(escape2.body).not.toContain('not for the web');
  });

  it('answers a clear 503 page saying how to build when console/dist is missing', async () => {
    const res = await unbuilt.inject({ url: '/console/conversations' });
    expect(res.statusCode).toBe(503);
    expect(res.headers['content-type']).toMatch(/^text\/html/);
    expect(res.body).toContain('npm run build:console');
    expect(res.body).toContain('La consola aún no está compilada');
  });
});
