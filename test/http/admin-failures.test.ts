/**
 * Wrong admin bearer tokens are counted per client IP (distinct loopback source addresses): the
 * 21st in a minute is a 429, even with the right token, while other IPs are unaffected.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { ADMIN_TOKEN, startTestApp, type TestApp } from '../support/app.js';
import { requestFrom } from '../support/from-ip.js';

let app: TestApp;

beforeAll(async () => {
  app = await startTestApp();
});
afterAll(async () => {
  await app?.stop();
});

const leads = (ip: string, token: string) =>
  requestFrom(ip, `${app.url}/api/leads`, { headers: { authorization: `Bearer ${token}` } });

it('answers 429 to the 21st wrong admin token in a minute from one IP', async () => {
  const statuses = [];
  for (let i = 0; i < 20; i++) statuses.push((await leads('127.0.0.20', `wrong-${i}`)).status);
  expect(statuses).toEqual(Array(20).fill(401));

  const blocked = await leads('127.0.0.20', 'wrong-21');
  expect(blocked.status).toBe(429);
  expect(blocked.body).toEqual({
    error: { code: 'rate_limited', message: expect.stringMatching(/try again in \d+ s/) },
  });
  // Guessing right no longer helps from this IP…
  expect((await leads('127.0.0.20', ADMIN_TOKEN)).status).toBe(429);
  // …and other IPs keep working: nobody else is locked out.
  expect((await leads('127.0.0.21', ADMIN_TOKEN)).status).toBe(200);
  expect((await leads('127.0.0.22', 'wrong')).status).toBe(401);
});

it('does not count correct tokens or requests without one', async () => {
  for (let i = 0; i < 25; i++) expect((await leads('127.0.0.23', ADMIN_TOKEN)).status).toBe(200);
  for (let i = 0; i < 25; i++) {
    expect((await requestFrom('127.0.0.23', `${app.url}/api/leads`)).status).toBe(401);
  }
  expect((await leads('127.0.0.23', ADMIN_TOKEN)).status).toBe(200);
});
