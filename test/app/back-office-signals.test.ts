/**
 * The back office's signals in GET /metrics (issue 23.3), each caused for real on one Charla
 * (FerretDB, Redis) and read back from the exposition: a queue wait ended by a claim and one
 * ended by a close, a case SLA missed (counted once however often the monitor runs), and webhook
 * deliveries to a receiver on 127.0.0.1 — one delivered, one refused for good with 410.
 */
import { Types } from 'mongoose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCase } from '../../src/kernel/db/cases.js';
import { Case } from '../../src/kernel/db/models/case.js';
import { Contact } from '../../src/kernel/db/models/contact.js';
import { Conversation } from '../../src/kernel/db/models/conversation.js';
import { Lead } from '../../src/kernel/db/models/lead.js';
import { webchatClient } from '../channels/webchat/client.js';
import { startReceiver, type Receiver } from '../features/webhooks/receiver.js';
import { eventually, startTestApp, type TestApp } from '../support/app.js';

describe('back-office signals in /metrics', () => {
  let app: TestApp;
  let receiver: Receiver;
  let web: ReturnType<typeof webchatClient>;

  const scrape = async () => {
    const res = await fetch(`${app.url}/metrics`, { headers: app.admin });
    expect(res.status).toBe(200);
    return res.text();
  };
  /** The value of one exact series (name and labels as printed), 0 when absent. */
  const valueOf = (body: string, series: string) => {
    const line = body.split('\n').find((l) => l.startsWith(`${series} `));
    return line ? Number(line.slice(series.length + 1)) : 0;
  };

  beforeAll(async () => {
    receiver = await startReceiver();
    app = await startTestApp(
      { WEBHOOK_TIMEOUT_MS: '1000', WEBHOOK_ALLOW_HOSTS: '127.0.0.1' },
      { webhookBackoffMs: 50, slaCheckIntervalMs: 200 },
    );
    web = webchatClient(app.url);
  });
  afterAll(async () => {
    await app?.stop();
    await receiver?.close();
  });

  async function queuedConversation(): Promise<string> {
    const s = await web.createSession('es');
    await web.post(s, { text: 'quiero hablar con una persona' });
    await eventually(
      async () => (await Conversation.findById(s.conversationId).lean())?.status === 'queued',
    );
    return s.conversationId;
  }

  it('observes the queue wait a claim ends and the one a close ends, by channel and reason', async () => {
    const { escalator } = app.charla.services;
    const claimed = await queuedConversation();
    const closed = await queuedConversation();
    const wait = (outcome: string) =>
      `charla_escalation_wait_seconds_count{channel="webchat",reason="customer_request",outcome="${outcome}"}`;
    const before = await scrape();
    expect(valueOf(before, wait('assigned'))).toBe(0);

    expect((await escalator.claim(claimed, { id: 'U1', name: 'Ana' })).outcome).toBe('claimed');
    expect(await escalator.close(closed, 'admin')).toBe(true);
    // Closing the claimed one ends no queue stint: not observed again.
    expect(await escalator.close(claimed, { id: 'U1', name: 'Ana' })).toBe(true);

    const after = await scrape();
    expect(valueOf(after, wait('assigned'))).toBe(1);
    expect(valueOf(after, wait('closed'))).toBe(1);
    const sum = valueOf(
      after,
      'charla_escalation_wait_seconds_sum{channel="webchat",reason="customer_request",outcome="assigned"}',
    );
    expect(sum).toBeGreaterThanOrEqual(0);
    expect(sum).toBeLessThan(600);
  });

  it('counts a missed case SLA once per kind, however often the monitor runs', async () => {
    const contact = await Contact.create({ name: 'Ana' });
    const c = await createCase({ type: 'support', contactId: contact._id, subject: 'late' });
    const past = new Date(Date.now() - 3600_000);
    await Case.updateOne(
      { _id: c._id },
      { $set: { priority: 'high', firstResponseDueAt: past, resolutionDueAt: past } },
    );
    const breaches = (kind: string) => `charla_sla_breaches_total{kind="${kind}",priority="high"}`;
    const body = await eventually(async () => {
      const got = await scrape();
      return valueOf(got, breaches('resolution')) >= 1 ? got : undefined;
    });
    expect(valueOf(body, breaches('first_response'))).toBe(1);
    // The monitor runs every 200 ms here: later runs find the alerts recorded and count nothing.
    await eventually(async () => {
      const fresh = await Case.findById(c._id).lean();
      return (fresh?.slaAlerts ?? []).length === 2;
    });
    await new Promise((r) => setTimeout(r, 800));
    const later = await scrape();
    expect(valueOf(later, breaches('first_response'))).toBe(1);
    expect(valueOf(later, breaches('resolution'))).toBe(1);
  });

  it('observes webhook attempts and counts the delivery refused for good', async () => {
    const admin = { ...app.admin, 'content-type': 'application/json' };
    for (const path of ['/ok', '/gone']) {
      const res = await fetch(`${app.url}/api/webhooks`, {
        method: 'POST',
        headers: admin,
        body: JSON.stringify({ url: `${receiver.url}${path}`, events: ['lead.updated'] }),
      });
      expect(res.status).toBe(201);
    }
    receiver.script('/gone', [410]);
    const lead = await Lead.create({
      name: 'Marta Ruiz',
      email: 'marta.signals@example.com',
      channel: 'webchat',
      contactId: new Types.ObjectId(),
    });
    const patched = await fetch(`${app.url}/api/leads/${lead._id}`, {
      method: 'PATCH',
      headers: admin,
      body: JSON.stringify({ status: 'contacted' }),
    });
    expect(patched.status).toBe(200);
    const attempts = (outcome: string) =>
      `charla_webhook_delivery_duration_seconds_count{event="lead.updated",outcome="${outcome}"}`;
    const failed = 'charla_webhook_delivery_failures_total{event="lead.updated",status="failed"}';
    const body = await eventually(async () => {
      const got = await scrape();
      return valueOf(got, attempts('delivered')) >= 1 && valueOf(got, failed) >= 1
        ? got
        : undefined;
    });
    expect(receiver.on('/ok')).toHaveLength(1);
    expect(receiver.on('/gone')).toHaveLength(1);
    expect(valueOf(body, attempts('delivered'))).toBe(1);
    expect(valueOf(body, attempts('refused'))).toBe(1);
    expect(valueOf(body, failed)).toBe(1);
    expect(
      valueOf(
        body,
        'charla_webhook_delivery_failures_total{event="lead.updated",status="retrying"}',
      ),
    ).toBe(0);
  });
});
