/**
 * Webhooks out against a real Charla (FerretDB, Redis) and a local receiver on 127.0.0.1:
 * a 500 then a 200 (retried, signature valid, one delivery id), events from a chat flow, a lead
 * PATCH and an escalation, a 410 failing at once (visible, retryable by hand), redirects not
 * followed, replays deduplicated, validation and roles.
 */
import { Types } from 'mongoose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuditEntry } from '../../../src/kernel/db/models/audit-entry.js';
import { Lead, type LeadDoc } from '../../../src/kernel/db/models/lead.js';
import { createCase } from '../../../src/kernel/db/cases.js';
import { Webhook, WebhookDelivery } from '../../../src/features/webhooks/models.js';
import { verifySignature } from '../../../src/features/webhooks/signing.js';
import { asAdminToken, call, staffWithRole, type Json } from '../auth/staff-client.js';
import { customer, recordingAdapter } from '../../pipeline/engine/chat.js';
import { eventually, startTestApp, type TestApp } from '../../support/app.js';
import { startReceiver, type Receiver } from './receiver.js';

describe('webhooks out', () => {
  let app: TestApp;
  let receiver: Receiver;
  const rec = recordingAdapter('telegram');

  const admin = (method: string, path: string, body?: unknown) =>
    call(app, method, path, { body, headers: asAdminToken });
  async function register(path: string, events: string[]): Promise<{ id: string; secret: string }> {
    const res = await admin('POST', '/api/webhooks', { url: `${receiver.url}${path}`, events });
    expect(res.status).toBe(201);
    return res.body;
  }
  const deliveries = async (id: string, q = '') =>
    (await admin('GET', `/api/webhooks/${id}/deliveries${q}`)).body as {
      items: Json[];
      total: number;
    };
  const newLead = async (email: string) =>
    (
      await Lead.create({
        name: 'Marta Ruiz',
        email,
        channel: 'webchat',
        contactId: new Types.ObjectId(),
      })
    ).toObject() as LeadDoc;

  beforeAll(async () => {
    receiver = await startReceiver();
    app = await startTestApp(
      // The receiver is on 127.0.0.1: allowed by name, as an admin would a private receiver.
      { WEBHOOK_TIMEOUT_MS: '1000', WEBHOOK_ALLOW_HOSTS: '127.0.0.1' },
      { extraAdapters: [rec.adapter], webhookBackoffMs: 50 },
    );
  });
  afterAll(async () => {
    await app?.stop();
    await receiver?.close();
  });

  it('retries a delivery answered 500, then 200: one delivery id, a valid signature', async () => {
    const hook = await register('/flaky', ['lead.updated']);
    expect(hook.secret).toMatch(/^[0-9a-f]{64}$/);
    receiver.script('/flaky', [500, 200]);
    const lead = await newLead('marta@example.com');

    const patched = await admin('PATCH', `/api/leads/${lead._id}`, { status: 'contacted' });
    expect(patched.status).toBe(200);

    const [first, second] = await eventually(async () => {
      const got = receiver.on('/flaky');
      return got.length >= 2 ? got : undefined;
    });
    expect(first!.headers['x-charla-delivery']).toBe(second!.headers['x-charla-delivery']);
    expect(second!.headers['x-charla-event']).toBe('lead.updated');
    for (const r of [first!, second!]) {
      const ts = String(r.headers['x-charla-timestamp']);
      const sig = String(r.headers['x-charla-signature']);
      expect(verifySignature(hook.secret, ts, r.body, sig)).toBe(true);
      expect(verifySignature('another-secret', ts, r.body, sig)).toBe(false);
    }
    const body = JSON.parse(second!.body);
    expect(body).toMatchObject({
      event: 'lead.updated',
      data: { id: String(lead._id), status: 'contacted', email: 'marta@example.com' },
    });
    expect(body.id).toMatch(/^evt_/);
    expect(body.data).not.toHaveProperty('notes');

    const log = await eventually(async () => {
      const d = await deliveries(hook.id);
      return d.items[0]?.status === 'delivered' ? d : undefined;
    });
    expect(log.items).toHaveLength(1);
    expect(log.items[0]).toMatchObject({
      id: first!.headers['x-charla-delivery'],
      event: 'lead.updated',
      attempts: 2,
      lastStatusCode: 200,
      lastError: null,
    });
    await admin('DELETE', `/api/webhooks/${hook.id}`);
  });

  it('announces a lead captured in a chat flow and an escalation, to the webhooks that asked', async () => {
    const leads = await register('/leads', ['lead.created']);
    const escalations = await register('/escalations', ['conversation.escalated']);
    const john = customer(() => app, rec, 'hook-john');
    await john.say("I'm interested in your product, can someone from sales contact me?");
    await john.say('John Webhook');
    await john.say('john.webhook@example.org');
    await john.say('Skip');
    await john.say('no'); // no company
    await john.say('no'); // no marketing e-mails
    await john.say('yes');
    const created = await eventually(async () => receiver.on('/leads')[0]);
    const lead = await Lead.findOne({ email: 'john.webhook@example.org' }).lean();
    expect(created.headers['x-charla-event']).toBe('lead.created');
    expect(JSON.parse(created.body).data).toMatchObject({
      id: String(lead!._id),
      name: 'John Webhook',
      email: 'john.webhook@example.org',
      channel: 'telegram',
      conversationId: john.conversationId(),
    });

    await john.say('I want to talk to a human, please');
    const escalated = await eventually(async () => receiver.on('/escalations')[0]);
    expect(JSON.parse(escalated.body)).toMatchObject({
      event: 'conversation.escalated',
      data: { id: john.conversationId(), channel: 'telegram', reason: 'customer_request' },
    });
    // Each webhook heard only its own event.
    expect(receiver.on('/leads').map((r) => r.headers['x-charla-event'])).toEqual(['lead.created']);
    expect(receiver.on('/escalations')).toHaveLength(1);
    await admin('DELETE', `/api/webhooks/${leads.id}`);
    await admin('DELETE', `/api/webhooks/${escalations.id}`);
  });

  it('fails a delivery refused with 410 at once, shows it as failed, and retries it by hand', async () => {
    const hook = await register('/gone', ['lead.updated']);
    receiver.script('/gone', [410, 200]);
    const lead = await newLead('gone@example.com');
    await admin('PATCH', `/api/leads/${lead._id}`, { tags: ['vip'] });

    const failed = await eventually(async () => {
      const d = await deliveries(hook.id, '?status=failed');
      return d.total === 1 ? d.items[0] : undefined;
    });
    expect(failed).toMatchObject({
      status: 'failed',
      attempts: 1,
      lastStatusCode: 410,
      lastError: 'http_410',
    });
    // Stays failed: no retry was scheduled.
    await new Promise((r) => setTimeout(r, 400));
    expect(receiver.on('/gone')).toHaveLength(1);
    const list = await admin('GET', '/api/webhooks');
    expect(list.body.items.find((h: Json) => h.id === hook.id).lastDelivery.status).toBe('failed');

    const retried = await admin('POST', `/api/webhooks/deliveries/${failed.id}/retry`);
    expect(retried.status).toBe(202);
    const done = await eventually(async () => {
      const d = (await deliveries(hook.id)).items[0];
      return d?.status === 'delivered' ? d : undefined;
    });
    expect(done).toMatchObject({ id: failed.id, attempts: 2, lastStatusCode: 200 });
    expect(receiver.on('/gone').map((r) => r.headers['x-charla-delivery'])).toEqual([
      failed.id,
      failed.id,
    ]);
    expect((await admin('POST', `/api/webhooks/deliveries/${failed.id}/retry`)).status).toBe(409);
    await admin('DELETE', `/api/webhooks/${hook.id}`);
  });

  it('announces a case opened, then changed by PATCH /api/cases/:id (a note alone: nothing)', async () => {
    const hook = await register('/cases', ['case.created', 'case.updated']);
    const opened = await createCase({
      type: 'support',
      contactId: new Types.ObjectId(),
      description: 'La factura llegó dos veces',
    });
    // Whoever opens a case announces it (the bot's actions do: src/pipeline/actions/).
    await app.charla.services.bus.publish('case.created', { case: opened });
    const created = await eventually(async () => receiver.on('/cases')[0]);
    expect(JSON.parse(created.body)).toMatchObject({
      event: 'case.created',
      data: { id: String(opened._id), number: opened.number, status: 'open' },
    });
    const patched = await admin('PATCH', `/api/cases/${opened._id}`, { priority: 'high' });
    expect(patched.status).toBe(200);
    const updated = await eventually(async () => receiver.on('/cases')[1]);
    expect(updated.headers['x-charla-event']).toBe('case.updated');
    expect(JSON.parse(updated.body).data).toMatchObject({
      id: String(opened._id),
      priority: 'high',
    });
    expect(
      (await admin('PATCH', `/api/cases/${opened._id}`, { note: 'llamar mañana' })).status,
    ).toBe(200);
    await new Promise((r) => setTimeout(r, 400));
    expect(receiver.on('/cases')).toHaveLength(2);
    await admin('DELETE', `/api/webhooks/${hook.id}`);
  });

  it('gives up on an attempt after WEBHOOK_TIMEOUT_MS and retries it', async () => {
    const hook = await register('/slow', ['lead.updated']);
    receiver.script('/slow', [{ status: 200, delayMs: 3000 }, 200]);
    const lead = await newLead('slow@example.com');
    await admin('PATCH', `/api/leads/${lead._id}`, { status: 'won' });
    const retrying = await eventually(async () => (await deliveries(hook.id)).items[0]?.lastError);
    expect(retrying).toBe('timeout');
    const done = await eventually(async () => {
      const d = (await deliveries(hook.id)).items[0];
      return d?.status === 'delivered' ? d : undefined;
    });
    expect(done).toMatchObject({ attempts: 2, lastStatusCode: 200, lastError: null });
    await admin('DELETE', `/api/webhooks/${hook.id}`);
  });

  it('does not follow a redirect to another host', async () => {
    const hook = await register('/moved', ['lead.updated']);
    receiver.script('/moved', [{ status: 307, location: 'http://elsewhere.invalid/x' }]);
    const lead = await newLead('moved@example.com');
    await admin('PATCH', `/api/leads/${lead._id}`, { status: 'qualified' });
    const failed = await eventually(async () => {
      const d = (await deliveries(hook.id, '?status=failed')).items[0];
      return d;
    });
    expect(failed).toMatchObject({
      attempts: 1,
      lastStatusCode: 307,
      lastError: 'redirect_not_followed', // never the host it points to
    });
    expect(receiver.on('/moved')).toHaveLength(1);
    await admin('DELETE', `/api/webhooks/${hook.id}`);
  });

  it('queues an event published twice for one record version once (replayed turns)', async () => {
    const hook = await register('/replay', ['lead.created', 'lead.updated']);
    const lead = await newLead('replay@example.com');
    // A replayed turn announces the lead again on the event bus.
    const announce = () => app.charla.services.bus.publish('lead.created', { lead });
    await announce();
    await announce();
    await eventually(async () => receiver.on('/replay')[0]);
    await announce(); // after delivery too
    await new Promise((r) => setTimeout(r, 400));
    expect(receiver.on('/replay')).toHaveLength(1);
    expect((await deliveries(hook.id)).total).toBe(1);
    await admin('DELETE', `/api/webhooks/${hook.id}`);
  });

  it('sends a ping from the test button, and deactivated webhooks hear nothing', async () => {
    const hook = await register('/ping', ['lead.updated']);
    const test = await admin('POST', `/api/webhooks/${hook.id}/test`);
    expect(test.status).toBe(202);
    const ping = await eventually(async () => receiver.on('/ping')[0]);
    expect(ping.headers['x-charla-delivery']).toBe(test.body.deliveryId);
    expect(JSON.parse(ping.body)).toMatchObject({ event: 'ping', data: { webhookId: hook.id } });

    const off = await admin('PATCH', `/api/webhooks/${hook.id}`, { active: false });
    expect(off.body).toMatchObject({ active: false });
    expect(off.body).not.toHaveProperty('secret');
    const lead = await newLead('inactive@example.com');
    await admin('PATCH', `/api/leads/${lead._id}`, { status: 'lost' });
    await new Promise((r) => setTimeout(r, 400));
    expect(receiver.on('/ping')).toHaveLength(1);

    const rotated = await admin('PATCH', `/api/webhooks/${hook.id}`, { rotateSecret: true });
    expect(rotated.body.secret).toMatch(/^[0-9a-f]{64}$/);
    expect(rotated.body.secret).not.toBe(hook.secret);
    expect((await Webhook.findById(hook.id).lean())?.secret).toBe(rotated.body.secret);
    await admin('DELETE', `/api/webhooks/${hook.id}`);
    expect(await WebhookDelivery.countDocuments({ webhookId: hook.id })).toBe(0);
  });

  it('refuses bad URLs and unknown events (400, nothing stored), keeps secrets out of lists and audit', async () => {
    const before = await Webhook.countDocuments();
    for (const body of [
      { url: 'ftp://example.com/hook', events: ['lead.created'] },
      { url: 'not a url', events: ['lead.created'] },
      { url: 'javascript:alert(1)', events: ['lead.created'] },
      { url: 'https://example.com/hook', events: ['lead.deleted'] },
      { url: 'https://example.com/hook', events: [] },
      { url: 'https://example.com/hook', events: ['lead.created'], secret: 'mine' },
    ]) {
      const res = await admin('POST', '/api/webhooks', body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.error.code).toBeTruthy();
    }
    expect(await Webhook.countDocuments()).toBe(before);

    const hook = await register('/quiet', ['case.created']);
    const bad = await admin('PATCH', `/api/webhooks/${hook.id}`, { url: 'file:///etc/passwd' });
    expect(bad.status).toBe(400);
    expect((await Webhook.findById(hook.id).lean())?.url).toBe(`${receiver.url}/quiet`);
    const list = await admin('GET', '/api/webhooks');
    expect(JSON.stringify(list.body)).not.toContain(hook.secret);
    const audit = await AuditEntry.find({ targetType: 'Webhook', targetId: hook.id }).lean();
    expect(audit.map((a) => a.action)).toContain('webhook.create');
    expect(JSON.stringify(audit)).not.toContain(hook.secret);
    expect((await admin('GET', `/api/webhooks/${new Types.ObjectId()}/deliveries`)).status).toBe(
      404,
    );
    await admin('DELETE', `/api/webhooks/${hook.id}`);
  });

  it('is for admins only: a marketer gets 403 and changes nothing', async () => {
    const marketer = await staffWithRole(app, 'marketer');
    const before = await Webhook.countDocuments();
    expect((await marketer.call('GET', '/api/webhooks')).status).toBe(403);
    const res = await marketer.call('POST', '/api/webhooks', {
      url: 'https://example.com/hook',
      events: ['lead.created'],
    });
    expect(res.status).toBe(403);
    expect(await Webhook.countDocuments()).toBe(before);
    expect((await call(app, 'GET', '/api/webhooks')).status).toBe(401);
  });
});
