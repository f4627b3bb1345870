/**
 * TRUST_PROXY=127.0.0.1: X-Forwarded-For is the client's IP when the peer is that proxy, and is
 * ignored from any other peer (client IPs are distinct loopback source addresses).
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../support/app.js';
import { ABUSE_LIMITS, newSession } from './ip-client.js';

let proxied: TestApp;

beforeAll(async () => {
  proxied = await startTestApp({ ...ABUSE_LIMITS, TRUST_PROXY: '127.0.0.1' });
});
afterAll(async () => {
  await proxied?.stop();
});

it('honours X-Forwarded-For from the trusted proxy, and only from it', async () => {
  // Five visitors behind the proxy: each its own IP, each under its own limit.
  for (let i = 0; i < 5; i++) {
    const res = await newSession(proxied, '127.0.0.1', { 'x-forwarded-for': `203.0.113.${i}` });
    expect(res.status).toBe(201);
  }
  const one = [];
  for (let i = 0; i < 4; i++) {
    one.push(
      (await newSession(proxied, '127.0.0.1', { 'x-forwarded-for': '203.0.113.77' })).status,
    );
  }
  expect(one).toEqual([201, 201, 201, 429]);
  // A peer that is not the trusted proxy cannot pick its IP with the header.
  const untrusted = [];
  for (let i = 0; i < 4; i++) {
    untrusted.push(
      (await newSession(proxied, '127.0.0.3', { 'x-forwarded-for': `192.0.2.${i}` })).status,
    );
  }
  expect(untrusted).toEqual([201, 201, 201, 429]);
});
