/**
 * Wrong admin bearer tokens are counted per client IP (distinct loopback source addresses): the
 * 21st wrong one in a minute is a 429, while the right token is always served — from that IP too —
 * and other IPs are unaffected. The IP that used up its budget is audited, by a hash.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { AuditEntry } from '../../src/kernel/db/models/audit-entry.js';
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
  // The right token is never refused because of failures (automation, /metrics scraping)…
  expect((await leads('127.0.0.20', ADMIN_TOKEN)).status).toBe(200);
  const metrics = await requestFrom('127.0.0.20', `${app.url}/metrics`, {
    headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
  });
  expect(metrics.status).toBe(200);
  // …while wrong ones from this IP stay refused…
  expect((await leads('127.0.0.20', 'wrong-22')).status).toBe(429);
  // …and other IPs keep working: nobody else is locked out.
  expect((await leads('127.0.0.21', ADMIN_TOKEN)).status).toBe(200);
  expect((await leads('127.0.0.22', 'wrong')).status).toBe(401);

  // One audit entry for the block (not one per refused request), with no address or token.
  const entries = await AuditEntry.find({ action: 'throttle.blocked', targetId: 'admin-token' })
    .lean()
    .exec();
  expect(entries).toHaveLength(1);
  expect(entries[0]).toMatchObject({
    actor: expect.stringMatching(/^ip:[0-9a-f]{16}$/),
    details: { bucket: 'admin-token', failures: 20, windowSeconds: 60 },
  });
  const all = JSON.stringify(await AuditEntry.find().lean());
  expect(all).not.toContain('127.0.0.20');
  expect(all).not.toContain('wrong-');
  expect(all).not.toContain(ADMIN_TOKEN);
});

it('does not count correct tokens or requests without one', async () => {
  for (let i = 0; i < 25; i++) expect((await leads('127.0.0.23', ADMIN_TOKEN)).status).toBe(200);
  for (let i = 0; i < 25; i++) {
    expect((await requestFrom('127.0.0.23', `${app.url}/api/leads`)).status).toBe(401);
  }
  expect((await leads('127.0.0.23', ADMIN_TOKEN)).status).toBe(200);
});
