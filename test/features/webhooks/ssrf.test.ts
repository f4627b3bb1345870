/**
 * SSRF-safe webhooks (issue 24, item 4), against a real Charla with the default (empty)
 * WEBHOOK_ALLOW_HOSTS and a receiver on 127.0.0.1 that must never be reached:
 *   - creation and URL changes refuse loopback, private, link-local, metadata, CGNAT, unique-local,
 *     unspecified and mapped-IPv4 addresses in every spelling (400, nothing stored);
 *   - a webhook stored with such a URL (made before, or a name that resolves there) is refused at
 *     connection and recorded as "refused", naming no host or port;
 *   - DNS rebinding: a name that resolved publicly when saved and to 127.0.0.1 at delivery is
 *     refused by the connection's own lookup; the allow-list lets a named range through.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAddressPolicy } from '../../../src/features/webhooks/address-policy.js';
import { Webhook } from '../../../src/features/webhooks/models.js';
import { attemptDelivery } from '../../../src/features/webhooks/send.js';
import { asAdminToken, call, type Json } from '../auth/staff-client.js';
import { eventually, startTestApp, type TestApp } from '../../support/app.js';
import { startReceiver, type Receiver } from './receiver.js';

let app: TestApp;
let receiver: Receiver;
const admin = (method: string, path: string, body?: unknown) =>
  call(app, method, path, { body, headers: asAdminToken });

beforeAll(async () => {
  receiver = await startReceiver();
  app = await startTestApp({}, { webhookBackoffMs: 50 });
});
afterAll(async () => {
  await app?.stop();
  await receiver?.close();
});

describe('at creation', () => {
  it('refuses every non-public address, however it is written', async () => {
    const port = new URL(receiver.url).port;
    const refused = [
      `http://127.0.0.1:${port}/in`,
      'http://localhost/',
      'http://0x7f000001/',
      'http://2130706433/',
      'http://0177.0.0.1/',
      'http://169.254.169.254/latest/meta-data/',
      'http://[::ffff:169.254.169.254]/',
      'http://[::ffff:127.0.0.1]/',
      'http://[::1]/',
      'http://0.0.0.0/',
      'http://10.0.0.1/',
      'http://172.16.5.4/',
      'http://192.168.1.1/',
      'http://100.64.0.1/',
      'http://[fd00::1]/',
      'http://[fe80::1]/',
    ];
    for (const url of refused) {
      const res = await admin('POST', '/api/webhooks', { url, events: ['lead.created'] });
      expect([url, res.status, res.body.error?.code]).toEqual([url, 400, 'webhook_url_refused']);
    }
    expect(await Webhook.countDocuments()).toBe(0);
  });

  it('accepts a public address and refuses changing it to a private one', async () => {
    const created = await admin('POST', '/api/webhooks', {
      url: 'https://93.184.216.34/hook',
      events: ['lead.created'],
    });
    expect(created.status).toBe(201);
    const moved = await admin('PATCH', `/api/webhooks/${created.body.id}`, {
      url: 'http://169.254.169.254/',
    });
    expect(moved.status).toBe(400);
    expect(moved.body.error.code).toBe('webhook_url_refused');
    const stored = await Webhook.findById(created.body.id).lean();
    expect(stored?.url).toBe('https://93.184.216.34/hook');
    await admin('DELETE', `/api/webhooks/${created.body.id}`);
  });
});

describe('at every connection', () => {
  it('records "refused" for a stored private URL and never reaches it', async () => {
    const port = new URL(receiver.url).port;
    for (const url of [`http://127.0.0.1:${port}/literal`, `http://localhost:${port}/named`]) {
      // Stored directly: a webhook saved before this check existed.
      const hook = await Webhook.create({ url, events: [], secret: 'x'.repeat(64) });
      const test = await admin('POST', `/api/webhooks/${hook._id.toHexString()}/test`);
      expect(test.status).toBe(202);
      const delivery = await eventually(async () => {
        const list = await admin('GET', `/api/webhooks/${hook._id.toHexString()}/deliveries`);
        const d = (list.body.items as Json[])[0];
        return d?.status === 'failed' ? d : undefined;
      });
      expect(delivery).toMatchObject({ lastError: 'refused', lastStatusCode: null });
      expect(JSON.stringify(delivery)).not.toContain(port);
    }
    expect(receiver.received).toHaveLength(0);
  });

  it('refuses a name that rebinds to 127.0.0.1 after passing the check at creation', async () => {
    let calls = 0;
    const rebinding = createAddressPolicy({ hosts: [], cidrs: [] }, async () => {
      calls += 1;
      return calls === 1
        ? [{ address: '93.184.216.34', family: 4 }]
        : [{ address: '127.0.0.1', family: 4 }];
    });
    const url = `http://rebind.example:${new URL(receiver.url).port}/rebound`;
    await expect(rebinding.checkUrl(url)).resolves.toBeUndefined();
    const outcome = await attemptDelivery({
      url,
      body: '{}',
      headers: {},
      timeoutMs: 2000,
      policy: rebinding,
    });
    expect(outcome).toEqual({ kind: 'refused', error: 'refused' });
    expect(receiver.on('/rebound')).toHaveLength(0);

    // The admin's allow-list lets the same delivery through.
    const allowed = createAddressPolicy({ hosts: [], cidrs: ['127.0.0.0/8'] }, async () => [
      { address: '127.0.0.1', family: 4 },
    ]);
    const through = await attemptDelivery({
      url,
      body: '{}',
      headers: {},
      timeoutMs: 2000,
      policy: allowed,
    });
    expect(through).toEqual({ kind: 'delivered', statusCode: 200 });
    expect(receiver.on('/rebound')).toHaveLength(1);
  });

  it('names no host, address or port when a connection fails', async () => {
    const outcome = await attemptDelivery({
      url: 'http://127.0.0.1:1/closed',
      body: '{}',
      headers: {},
      timeoutMs: 2000,
      policy: createAddressPolicy({ hosts: [], cidrs: ['127.0.0.1/32'] }),
    });
    expect(outcome).toEqual({ kind: 'retryable', error: 'failed' });
  });
});
