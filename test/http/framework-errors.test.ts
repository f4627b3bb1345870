/**
 * Errors raised before any route runs — in Node's HTTP parser and in fastify's router — leave in
 * the same `{error: {code, message}}` shape as every other error. Sent over raw sockets, since
 * fetch would refuse to send most of these requests.
 */
import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/app.js';

let app: TestApp;
let port: number;

beforeAll(async () => {
  app = await startTestApp();
  port = Number(new URL(app.url).port);
});
afterAll(async () => {
  await app?.stop();
});

interface RawResponse {
  status: number;
  headers: string;
  body: unknown;
}

/** Writes `request` as is and reads the whole answer (these errors close the connection). */
function raw(request: string): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    const chunks: Buffer[] = [];
    socket.on('data', (c) => chunks.push(c));
    socket.on('error', reject);
    socket.on('close', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      const [head = '', ...rest] = text.split('\r\n\r\n');
      const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(head)?.[1] ?? 0);
      let body: unknown = rest.join('\r\n\r\n');
      try {
        body = JSON.parse(body as string);
      } catch {
        /* keep the text */
      }
      resolve({ status, headers: head, body });
    });
    socket.end(request);
  });
}

const get = (target: string, extraHeaders = '') =>
  raw(`GET ${target} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n${extraHeaders}\r\n`);

const errorShape = (code: string) => ({ error: { code, message: expect.any(String) } });

describe('framework-level errors', () => {
  it('answers a path that is not validly percent-encoded with 400 invalid_url', async () => {
    for (const target of ['/api/webchat/sessions/%zz/messages', '/%E0%A4%A']) {
      const res = await get(target);
      expect(res.status, target).toBe(400);
      expect(res.body).toEqual(errorShape('invalid_url'));
    }
  });

  it('answers an over-long URL with 414 uri_too_long, below and above the parser limit', async () => {
    for (const length of [10_000, 20_000]) {
      const res = await get(`/${'a'.repeat(length)}`);
      expect(res.status, String(length)).toBe(414);
      expect(res.body).toEqual(errorShape('uri_too_long'));
    }
    const longParam = await get(`/api/webchat/sessions/${'a'.repeat(500)}/messages`);
    expect(longParam.status).toBe(414);
    expect(longParam.body).toEqual(errorShape('uri_too_long'));
  });

  it('answers over-large headers with 431 headers_too_large', async () => {
    const res = await get('/healthz', `X-Big: ${'b'.repeat(20_000)}\r\n`);
    expect(res.status).toBe(431);
    expect(res.headers).toMatch(/content-type: application\/json/i);
    expect(res.body).toEqual(errorShape('headers_too_large'));
  });

  it('answers bytes that are not HTTP with 400 bad_request', async () => {
    const res = await raw('NOT HTTP AT ALL\r\n\r\n');
    expect(res.status).toBe(400);
    expect(res.body).toEqual(errorShape('bad_request'));
  });

  it('keeps serving afterwards', async () => {
    const res = await get('/healthz');
    expect(res.status).toBe(200);
  });
});

describe('JSON media types', () => {
  const createSession = (contentType: string) =>
    fetch(`${app.url}/api/webchat/sessions`, {
      method: 'POST',
      headers: { 'content-type': contentType },
      body: JSON.stringify({ locale: 'en' }),
    });

  it('accepts application/*+json bodies like application/json', async () => {
    for (const type of [
      'application/json',
      'application/vnd.api+json',
      'application/merge-patch+json; charset=utf-8',
    ]) {
      const res = await createSession(type);
      expect(res.status, type).toBe(201);
    }
  });

  it('refuses other media types with 415 in the error shape', async () => {
    for (const type of ['application/xml', 'text/json+xml', 'application/+json']) {
      const res = await createSession(type);
      expect(res.status, type).toBe(415);
      expect(await res.json()).toEqual(errorShape('unsupported_media_type'));
    }
  });
});
