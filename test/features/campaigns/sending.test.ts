/**
 * Sending a campaign against a real Charla (FerretDB, Redis, BullMQ, web chat), a real SMTP sink
 * and a local webhook receiver: each consenting recipient gets exactly one message (replayed
 * jobs, concurrent claims, a crash mid-send recovered by the sweep), consent withdrawn while the
 * campaign waits is honoured, pause/resume/cancel, the one-click unsubscribe and the click
 * redirect, replies and conversions attributed, STOP in chat, the report, the CSV, the test
 * send, and the webhook events.
 */
import { Types } from 'mongoose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuditEntry } from '../../../src/kernel/db/models/audit-entry.js';
import { ConsentRecord } from '../../../src/kernel/db/models/consent-record.js';
import { Contact } from '../../../src/kernel/db/models/contact.js';
import { Conversation } from '../../../src/kernel/db/models/conversation.js';
import { Lead, type LeadDoc } from '../../../src/kernel/db/models/lead.js';
import { setMarketingConsent } from '../../../src/kernel/db/contacts.js';
import { CampaignClaim, CampaignRecipient } from '../../../src/features/campaigns/models.js';
import { claim } from '../../../src/features/campaigns/recipients.js';
import { webchatClient } from '../../channels/webchat/client.js';
import { staffWithRole, type Staff } from '../auth/staff-client.js';
import { startReceiver, type Receiver } from '../webhooks/receiver.js';
import { startSmtpSink, type SmtpSink } from '../../support/smtp-sink.js';
import { eventually, startTestApp, type TestApp } from '../../support/app.js';
import { emailCampaign, person, segmentOf, type Person } from './fixtures.js';

const TAG = 'promo-sending';

describe('sending a campaign', () => {
  let app: TestApp;
  let sink: SmtpSink;
  let receiver: Receiver;
  let marketer: Staff;
  let segmentId: string;
  const people: Person[] = [];
  let withdrawn: Person;

  const mailsTo = (address: string) => sink.mails.filter((m) => m.envelopeTo.includes(address));
  const campaign = async (id: string) => (await marketer.call('GET', `/api/campaigns/${id}`)).body;
  const done = (id: string) =>
    eventually(async () => ((await campaign(id)).status === 'done' ? campaign(id) : null), 20_000);

  beforeAll(async () => {
    sink = await startSmtpSink();
    receiver = await startReceiver();
    app = await startTestApp(
      {
        SMTP_URL: sink.url,
        EMAIL_ADDRESS: 'news@charla.test',
        WEBHOOK_ALLOW_HOSTS: '127.0.0.1',
        WEBHOOK_TIMEOUT_MS: '1000',
      },
      { campaigns: { ratePerSecond: { email: 200, webchat: 200 }, sweepIntervalMs: 3_600_000 } },
    );
    marketer = await staffWithRole(app, 'marketer');
    for (let i = 0; i < 8; i++) {
      people.push(
        await person(TAG, {
          name: `Cliente ${i}`,
          emails: [`c${i}@example.com`],
          locale: i % 2 ? 'en' : 'es',
          consent: 'all',
        }),
      );
    }
    withdrawn = people[7]!;
    await person(TAG, { name: 'Sin consentimiento', emails: ['no@example.com'] });
    segmentId = await segmentOf(marketer, TAG);
    const hook = await app.charla.services.webhooks.service.create(
      { kind: 'token', id: 'admin-token', role: 'admin' },
      { url: `${receiver.url}/campaigns`, events: ['campaign.sent', 'campaign.converted'] },
    );
    expect(hook).toBeTruthy();
  });
  afterAll(async () => {
    await app?.stop();
    await sink?.close();
    await receiver?.close();
  });

  let firstId: string;

  it('sends each consenting recipient exactly one message; consent withdrawn meanwhile wins', async () => {
    const created = await marketer.call('POST', '/api/campaigns', {
      ...emailCampaign(segmentId),
      variants: [
        {
          name: 'B',
          weight: 50,
          message: { es: { subject: 'Oferta B', text: 'Versión B https://shop.example.com/b' } },
        },
      ],
    });
    expect(created.status).toBe(201);
    firstId = created.body.id;
    const sent = await marketer.call('POST', `/api/campaigns/${firstId}/send`, {});
    expect(sent.status).toBe(200);
    expect(['sending', 'done']).toContain(sent.body.status);
    // Paused at once; consent withdrawn while it waits; then resumed.
    const paused = await marketer.call('POST', `/api/campaigns/${firstId}/pause`, {});
    if (paused.status === 200) {
      await setMarketingConsent(withdrawn.id, false, { actor: 'customer', channel: 'email' });
      expect((await marketer.call('POST', `/api/campaigns/${firstId}/resume`, {})).status).toBe(
        200,
      );
    } else {
      expect(paused.body.error.code).toBe('campaign_status'); // already done: too fast to pause
      await setMarketingConsent(withdrawn.id, false, { actor: 'customer', channel: 'email' });
    }
    const finished = await done(firstId);
    for (const p of people.slice(0, 7)) {
      expect(mailsTo(`c${people.indexOf(p)}@example.com`)).toHaveLength(1);
    }
    expect(mailsTo('no@example.com')).toHaveLength(0);
    if (paused.status === 200) {
      expect(mailsTo('c7@example.com')).toHaveLength(0);
      const r = await CampaignRecipient.findOne({ contactId: withdrawn.id }).lean();
      if (r) expect(r).toMatchObject({ state: 'skipped', skipped: 'unsubscribed' });
    }
    expect(finished.counts.sent).toBeGreaterThanOrEqual(7);
    expect(await AuditEntry.countDocuments({ action: 'campaign.send', targetId: firstId })).toBe(1);
    // Sending again is refused and changes nothing.
    const again = await marketer.call('POST', `/api/campaigns/${firstId}/send`, {});
    expect(again.status).toBe(409);
  });

  it('never sends twice: replayed jobs, concurrent claims, a sweep after it all', async () => {
    const before = sink.mails.length;
    const recipients = await CampaignRecipient.find({ campaignId: firstId }).lean();
    // Every job again (Redis replayed, a second instance), and the recovery sweep.
    const queue = app.charla.services.campaigns.queues.send.email;
    await queue.addBulk(
      recipients.map((r) => ({
        name: 'send',
        data: { campaignId: firstId, recipientId: r._id.toHexString() },
      })),
    );
    await app.charla.services.campaigns.sweep();
    await eventually(async () => (await queue.getJobCounts('waiting', 'active')).waiting === 0);
    await new Promise((r) => setTimeout(r, 500));
    expect(sink.mails.length).toBe(before);
    // Ten claimers of one queued recipient: exactly one wins.
    const fresh = await CampaignRecipient.create({
      campaignId: new Types.ObjectId(),
      contactId: new Types.ObjectId(),
      addressKey: 'email:race@example.com',
    });
    const wins = await Promise.all(Array.from({ length: 10 }, () => claim(fresh.toObject())));
    expect(wins.filter(Boolean)).toHaveLength(1);
  });

  it('after a crash: an interrupted send is not repeated, an unsent claim is sent once', async () => {
    const c = await marketer.call('POST', '/api/campaigns', emailCampaign(segmentId, 'Crash'));
    const id = c.body.id as string;
    const campaignId = new Types.ObjectId(id);
    // As a process killed mid-send would leave it: listed, two claimed, one of them "sending".
    const [a, b] = people;
    const crashed = await CampaignRecipient.create({
      campaignId,
      contactId: a!.id,
      addressKey: 'email:c0@example.com',
      state: 'sending',
    });
    const unsent = await CampaignRecipient.create({
      campaignId,
      contactId: b!.id,
      addressKey: 'email:c1@example.com',
    });
    const old = new Date(Date.now() - 10 * 60_000);
    await CampaignClaim.collection.insertMany([
      { _id: crashed._id, campaignId, createdAt: old },
      { _id: unsent._id, campaignId, createdAt: old },
    ]);
    const mailsA = mailsTo('c0@example.com').length;
    const mailsB = mailsTo('c1@example.com').length;
    expect((await marketer.call('POST', `/api/campaigns/${id}/send`, {})).status).toBe(200);
    await eventually(async () => (await campaign(id)).counts.sent >= 5, 20_000);
    await app.charla.services.campaigns.sweep();
    await done(id);
    expect(mailsTo('c0@example.com').length).toBe(mailsA);
    expect(mailsTo('c1@example.com').length).toBe(mailsB + 1);
    expect(await CampaignRecipient.findById(crashed._id).lean()).toMatchObject({
      state: 'failed',
    });
    expect((await CampaignRecipient.findById(crashed._id).lean())?.reason).toMatch(/interrupted/);
  });

  it('one-click unsubscribe (RFC 8058) takes effect at once and for every later send', async () => {
    const mail = mailsTo('c2@example.com')[0]!;
    const head = mail.raw
      .toString('utf8')
      .split(/\r?\n\r?\n/)[0]!
      .replace(/\r?\n[ \t]+/g, ' ');
    const header = head.match(/^List-Unsubscribe: <([^>]+)>/m)![1]!;
    const path = new URL(header).pathname;
    // A GET (a mail scanner following the link) changes nothing.
    const page = await fetch(`${app.url}${path}`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('Darme de baja');
    expect((await Contact.findById(people[2]!.id).lean())?.marketingConsent?.granted).toBe(true);
    const forged = await fetch(`${app.url}${path.slice(0, -3)}abc`, { method: 'POST' });
    expect(forged.status).toBe(404);
    const oneClick = await fetch(`${app.url}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'List-Unsubscribe=One-Click',
    });
    expect(oneClick.status).toBe(200);
    expect((await Contact.findById(people[2]!.id).lean())?.marketingConsent?.granted).toBe(false);
    const record = await ConsentRecord.findOne({ contactId: people[2]!.id, granted: false }).lean();
    expect(record).toMatchObject({ by: 'customer', channel: 'email' });
    const r = await eventually(() =>
      CampaignRecipient.findOne({
        campaignId: firstId,
        contactId: people[2]!.id,
        unsubscribedAt: { $exists: true },
      }).lean(),
    );
    expect(r.unsubscribedAt).toBeTruthy();
    const preview = await marketer.call(
      'GET',
      `/api/campaigns/audience?segmentId=${segmentId}&channel=email`,
    );
    expect(preview.body.excluded.unsubscribed).toBe(2); // c7 and c2
  });

  it('records clicks and conversions; reports them per variant; lists and exports recipients', async () => {
    const mail = mailsTo('c3@example.com')[0]!;
    const link = (mail.parsed.text ?? '').match(/http:\/\/\S+\/c\/[\w.-]+/)![0];
    const res = await fetch(`${app.url}${new URL(link).pathname}`, { redirect: 'manual' });
    expect(res.status).toBe(302);
    expect(res.headers.get('location')).toMatch(/^https:\/\/shop\.example\.com\//);
    // A lead created for c4 within the window: converted.
    const lead = await Lead.create({ contactId: people[4]!.id, channel: 'email', name: 'C4' });
    await app.charla.services.bus.publish('lead.created', { lead: lead.toObject() as LeadDoc });

    const report = await marketer.call('GET', `/api/campaigns/${firstId}/report`);
    expect(report.status).toBe(200);
    expect(report.body.funnel).toMatchObject({ clicked: 1, converted: 1, unsubscribed: 1 });
    expect(report.body.metric).toBe('clicked');
    expect(report.body.variants.map((v: { name: string }) => v.name)).toEqual(['A', 'B']);
    const sentPerVariant = report.body.variants.map(
      (v: { funnel: { sent: number } }) => v.funnel.sent,
    );
    expect(sentPerVariant.reduce((a: number, b: number) => a + b, 0)).toBe(report.body.funnel.sent);
    expect(report.body.winner?.variant).toBe(
      (await CampaignRecipient.findOne({ contactId: people[3]!.id, campaignId: firstId }).lean())
        ?.variant,
    );
    const clicked = await marketer.call(
      'GET',
      `/api/campaigns/${firstId}/recipients?status=clicked`,
    );
    expect(clicked.body.total).toBe(1);
    expect(clicked.body.items[0]).toMatchObject({ name: 'Cliente 3', state: 'sent' });
    expect(
      (await marketer.call('GET', `/api/campaigns/${firstId}/recipients?status=nope`)).status,
    ).toBe(400);
    const csv = await marketer.call('GET', `/api/campaigns/${firstId}/report.csv`);
    expect(csv.status).toBe(200);
    expect(String(csv.body).split('\r\n')[0]).toBe(
      'contactId,name,state,variant,language,reason,sentAt,clickedAt,repliedAt,convertedAt,unsubscribedAt,failedAt',
    );
    // Webhooks: one campaign.sent per sent recipient, one campaign.converted.
    const events = await eventually(async () => {
      const got = receiver.on('/campaigns').map((r) => JSON.parse(r.body).event as string);
      return got.includes('campaign.converted') ? got : null;
    });
    // One per campaign that reached c4 (this one and the "Crash" one), each once.
    const converted = await CampaignRecipient.countDocuments({ convertedAt: { $exists: true } });
    expect(converted).toBe(2);
    await eventually(
      async () =>
        receiver.on('/campaigns').filter((r) => JSON.parse(r.body).event === 'campaign.converted')
          .length === converted,
    );
    await new Promise((r) => setTimeout(r, 300));
    expect(
      receiver.on('/campaigns').filter((r) => JSON.parse(r.body).event === 'campaign.converted'),
    ).toHaveLength(converted);
    expect(events.filter((e) => e === 'campaign.sent').length).toBeGreaterThanOrEqual(7);
  });

  it('a web chat campaign: the reply is attributed, STOP withdraws consent at once', async () => {
    const chat = webchatClient(app.url);
    const session = await chat.createSession('es');
    await chat.post(session, { text: 'hola' });
    const conv = await eventually(() =>
      Conversation.findOne({
        channel: 'webchat',
        platformConversationId: session.sessionId,
      }).lean(),
    );
    await setMarketingConsent(conv.contactId, true, { actor: 'customer', channel: 'webchat' });
    await Lead.create({ contactId: conv.contactId, channel: 'webchat', tags: ['chat-promo'] });
    const seg = await segmentOf(marketer, 'chat-promo');
    const created = await marketer.call('POST', '/api/campaigns', {
      name: 'Chat',
      segmentId: seg,
      channel: 'webchat',
      message: { es: { text: 'Hola {{contact.name}}, hoy 2x1' } },
    });
    const id = created.body.id as string;
    await marketer.call('POST', `/api/campaigns/${id}/send`, {});
    await done(id);
    const recipient = await CampaignRecipient.findOne({ campaignId: id }).lean();
    expect(recipient).toMatchObject({ state: 'sent' });
    expect(
      (await Conversation.findById(recipient!.conversationId).lean())?.campaignId?.toHexString(),
    ).toBe(id);
    await chat.post(session, { text: 'STOP' });
    const after = await eventually(() =>
      CampaignRecipient.findOne({
        campaignId: id,
        repliedAt: { $exists: true },
        unsubscribedAt: { $exists: true },
      }).lean(),
    );
    expect(after.repliedAt).toBeTruthy();
    expect((await Contact.findById(conv.contactId).lean())?.marketingConsent?.granted).toBe(false);
    const preview = await marketer.call('GET', `/api/campaigns/${id}/audience`);
    expect(preview.body).toMatchObject({ count: 0, excluded: { unsubscribed: 1 } });
  });

  it('cancel skips who is waiting; a test send goes to your own address; roles', async () => {
    const c = await marketer.call('POST', '/api/campaigns', {
      ...emailCampaign(segmentId, 'Later'),
      sendAt: new Date(Date.now() + 3_600_000).toISOString(),
    });
    const id = c.body.id as string;
    const scheduled = await marketer.call('POST', `/api/campaigns/${id}/send`, {});
    expect(scheduled.body.status).toBe('scheduled');
    const cancelled = await marketer.call('POST', `/api/campaigns/${id}/cancel`, {});
    expect(cancelled.body.status).toBe('cancelled');
    expect((await marketer.call('POST', `/api/campaigns/${id}/resume`, {})).status).toBe(409);
    const viewer = await staffWithRole(app, 'viewer');
    expect((await viewer.call('POST', `/api/campaigns/${id}/cancel`, {})).status).toBe(403);
    expect((await viewer.call('GET', `/api/campaigns/${id}/report`)).status).toBe(200);

    const test = await marketer.call('POST', `/api/campaigns/${id}/test`, { language: 'en' });
    expect(test.status).toBe(200);
    expect(test.body.to).toBe(marketer.user.email);
    const mail = await eventually(async () => mailsTo(marketer.user.email.toLowerCase())[0]);
    expect(mail.parsed.subject).toBe(`[Test] Sale for ${marketer.user.name}`);
    expect(await AuditEntry.countDocuments({ action: 'campaign.test_send', targetId: id })).toBe(1);
  });
});
