/**
 * What the platforms report after a campaign message, against a real Charla (FerretDB, Redis),
 * its real SMTP receiver, an SMTP sink and the fake WhatsApp Graph: an email bounce (DSN) fails
 * the recipient with the reason, linked by Message-ID; a customer's email reply to the campaign
 * mail opens a conversation attributed to the campaign (answered by the bot) and counts as
 * replied, while a reply from someone else is not credited; WhatsApp statuses record delivered
 * and read (in any order) and failed with the platform's reason; the report counts them.
 */
import nodemailer, { type SendMailOptions } from 'nodemailer';
import { Types } from 'mongoose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EmailAdapter } from '../../../channels/email/index.js';
import { Conversation } from '../../../src/kernel/db/models/conversation.js';
import { Campaign, CampaignRecipient } from '../../../src/features/campaigns/models.js';
import { staffWithRole, type Staff } from '../auth/staff-client.js';
import { startSmtpSink, type SmtpSink } from '../../support/smtp-sink.js';
import { eventually, startTestApp, type TestApp } from '../../support/app.js';
import {
  postWebhook,
  startFakeGraph,
  whatsappStatuses,
  type FakeGraph,
} from '../../fakes/whatsapp-graph.js';
import { emailCampaign, person, segmentOf, type Person } from './fixtures.js';

const SUPPORT = 'news@charla.test';
const TOKEN = 'graph-token-receipts';
const PHONE_ID = '5550001';
const SECRET = 'app-secret-receipts';

function dsn(customer: string, ours: string): string {
  const b = 'dsn-b';
  return [
    'From: Mail Delivery System <MAILER-DAEMON@customer.test>',
    `To: ${SUPPORT}`,
    'Subject: Undelivered Mail Returned to Sender',
    `Message-ID: <${new Types.ObjectId().toHexString()}@customer.test>`,
    'Auto-Submitted: auto-replied',
    `Content-Type: multipart/report; report-type=delivery-status; boundary="${b}"`,
    'MIME-Version: 1.0',
    '',
    `--${b}`,
    'Content-Type: text/plain',
    '',
    'Your message could not be delivered.',
    `--${b}`,
    'Content-Type: message/delivery-status',
    '',
    'Reporting-MTA: dns; mx.customer.test',
    '',
    `Final-Recipient: rfc822; ${customer}`,
    'Action: failed',
    'Status: 5.1.1',
    'Diagnostic-Code: smtp; 550 5.1.1 user unknown',
    '',
    `--${b}`,
    'Content-Type: text/rfc822-headers',
    '',
    `From: ${SUPPORT}`,
    `Message-ID: ${ours}`,
    '',
    `--${b}--`,
    '',
  ].join('\r\n');
}

describe('campaign receipts and email replies', () => {
  let app: TestApp;
  let sink: SmtpSink;
  let graph: FakeGraph;
  let marketer: Staff;

  const mailsTo = (address: string) => sink.mails.filter((m) => m.envelopeTo.includes(address));
  const report = async (id: string) =>
    (await marketer.call('GET', `/api/campaigns/${id}/report`)).body;

  async function mailIn(mail: SendMailOptions) {
    const adapter = app.charla.services.adapters.get('email') as EmailAdapter;
    const transport = nodemailer.createTransport({
      host: '127.0.0.1',
      port: adapter.smtpPort()!,
      secure: false,
      ignoreTLS: true,
    });
    try {
      await transport.sendMail(mail);
    } finally {
      transport.close();
    }
  }

  beforeAll(async () => {
    sink = await startSmtpSink();
    graph = await startFakeGraph({ token: TOKEN, phoneId: PHONE_ID });
    app = await startTestApp(
      {
        SMTP_URL: sink.url,
        EMAIL_ADDRESS: SUPPORT,
        EMAIL_SMTP_LISTEN: '127.0.0.1:0',
        WHATSAPP_CLOUD_TOKEN: TOKEN,
        WHATSAPP_CLOUD_PHONE_ID: PHONE_ID,
        WHATSAPP_APP_SECRET: SECRET,
        WHATSAPP_VERIFY_TOKEN: 'verify',
        WHATSAPP_GRAPH_URL: graph.url,
      },
      { campaigns: { ratePerSecond: { email: 200 }, sweepIntervalMs: 3_600_000 } },
    );
    marketer = await staffWithRole(app, 'marketer');
  });
  afterAll(async () => {
    await app?.stop();
    await graph?.close();
    await sink?.close();
  });

  it('a bounce fails the recipient with the reason; a reply opens a conversation credited to the campaign', async () => {
    const tag = 'receipts-email';
    const bouncing = await person(tag, {
      name: 'Rebote',
      emails: ['gone@customer.test'],
      consent: 'all',
    });
    const replying = await person(tag, {
      name: 'Lucía',
      emails: ['lucia@customer.test'],
      consent: 'all',
    });
    const segmentId = await segmentOf(marketer, tag);
    const created = await marketer.call('POST', '/api/campaigns', emailCampaign(segmentId));
    const id = created.body.id as string;
    expect((await marketer.call('POST', `/api/campaigns/${id}/send`, {})).status).toBe(200);
    await eventually(
      async () =>
        mailsTo('gone@customer.test').length === 1 && mailsTo('lucia@customer.test').length === 1,
      30_000,
    );
    const recipientOf = (p: Person) =>
      CampaignRecipient.findOne({ campaignId: new Types.ObjectId(id), contactId: p.id }).lean();
    const gone = await eventually(async () => {
      const r = await recipientOf(bouncing);
      return r?.state === 'sent' ? r : null;
    });
    const lucia = await eventually(async () => {
      const r = await recipientOf(replying);
      return r?.state === 'sent' ? r : null;
    });
    // The Message-ID the customer's mail client saw is the one stored.
    expect(mailsTo('lucia@customer.test')[0]!.parsed.messageId).toBe(lucia.messageId);

    // The customer's server bounces it: linked by Message-ID, failed with the DSN's reason.
    await mailIn({
      envelope: { from: '', to: [SUPPORT] },
      raw: dsn('gone@customer.test', gone.messageId!),
    });
    const failed = await eventually(async () => {
      const r = await recipientOf(bouncing);
      return r?.state === 'failed' ? r : null;
    });
    expect(failed.reason).toContain('5.1.1');
    expect(failed.failedAt).toBeTruthy();

    // Someone else answering with that Message-ID is not credited to the campaign.
    await mailIn({
      from: 'stranger@customer.test',
      to: SUPPORT,
      subject: 'Re: Rebajas',
      text: 'Yo también quiero',
      inReplyTo: lucia.messageId!,
      references: [lucia.messageId!],
    });
    const strangers = await eventually(() =>
      Conversation.findOne({ channel: 'email', platformUserId: 'stranger@customer.test' }).lean(),
    );
    // The customer replies to the campaign mail: a conversation of the campaign, answered by the bot.
    await mailIn({
      from: 'lucia@customer.test',
      to: SUPPORT,
      subject: 'Re: Rebajas para Lucía',
      text: 'Hola, ¿cuál es vuestro horario?',
      inReplyTo: lucia.messageId!,
      references: [lucia.messageId!],
    });
    const conversation = await eventually(
      () =>
        Conversation.findOne({
          channel: 'email',
          platformUserId: 'lucia@customer.test',
          campaignId: new Types.ObjectId(id),
        }).lean(),
      30_000,
    );
    expect(conversation.contactId.equals(replying.id)).toBe(true);
    const replied = await eventually(async () => {
      const r = await recipientOf(replying);
      return r?.repliedAt ? r : null;
    }, 30_000);
    expect(replied.state).toBe('sent');
    await eventually(async () => mailsTo('lucia@customer.test').length >= 2, 30_000);
    const stranger = await Conversation.findById(strangers._id).lean();
    expect((stranger as { campaignId?: unknown }).campaignId).toBeUndefined();

    const r = await report(id);
    expect(r.funnel).toMatchObject({ recipients: 2, sent: 1, failed: 1, replied: 1 });
    const listed = await marketer.call('GET', `/api/campaigns/${id}/recipients?status=failed`);
    expect(listed.body.items).toHaveLength(1);
    expect(listed.body.items[0].reason).toContain('5.1.1');
  });

  it('WhatsApp statuses record delivered and read, in any order, and failed with the reason', async () => {
    // As a WhatsApp campaign leaves its recipients once sent: the wamid is the message id.
    const campaign = await Campaign.create({
      name: 'WhatsApp',
      segmentId: new Types.ObjectId(),
      channel: 'whatsapp',
      status: 'sending',
      message: { es: { text: 'Hola' } },
    });
    const recipient = (n: number) =>
      CampaignRecipient.create({
        campaignId: campaign._id,
        contactId: new Types.ObjectId(),
        addressKey: `whatsapp:3460000000${n}`,
        state: 'sent',
        sentAt: new Date(),
        messageId: `wamid.receipt-${n}`,
      });
    const [inOrder, readFirst, failing, elsewhere] = await Promise.all([
      recipient(1),
      recipient(2),
      recipient(3),
      recipient(4),
    ]);
    const post = (
      statuses: Parameters<typeof whatsappStatuses>[0]['statuses'],
      phoneId = PHONE_ID,
    ) => postWebhook(app.url, whatsappStatuses({ phoneId, statuses }), SECRET);
    expect(
      (
        await post([
          { id: 'wamid.receipt-1', status: 'sent' },
          { id: 'wamid.receipt-1', status: 'delivered' },
          { id: 'wamid.receipt-2', status: 'read' },
          {
            id: 'wamid.receipt-3',
            status: 'failed',
            errors: [{ code: 131026, title: 'Message undeliverable', message: '+34600000003' }],
          },
          { id: 'wamid.unknown', status: 'read' },
        ])
      ).status,
    ).toBe(200);
    expect((await post([{ id: 'wamid.receipt-1', status: 'read' }])).status).toBe(200);
    // Another phone number's statuses are that number's deployment's business.
    expect((await post([{ id: 'wamid.receipt-4', status: 'read' }], '999')).status).toBe(200);
    // An unsigned notification changes nothing.
    const unsigned = await postWebhook(
      app.url,
      whatsappStatuses({
        phoneId: PHONE_ID,
        statuses: [{ id: 'wamid.receipt-4', status: 'read' }],
      }),
      null,
    );
    expect(unsigned.status).toBe(401);

    const read = (r: { _id: Types.ObjectId }) => CampaignRecipient.findById(r._id).lean();
    const a = await eventually(async () => {
      const r = await read(inOrder);
      return r?.readAt ? r : null;
    });
    expect(a.deliveredAt).toBeTruthy();
    const b = await read(readFirst);
    expect(b?.deliveredAt && b.readAt).toBeTruthy();
    const c = await read(failing);
    expect(c).toMatchObject({ state: 'failed', reason: 'whatsapp 131026 Message undeliverable' });
    expect(c?.reason).not.toContain('346');
    const d = await read(elsewhere);
    expect(d?.deliveredAt ?? d?.readAt).toBeUndefined();
    const r = await report(campaign._id.toHexString());
    expect(r.funnel).toMatchObject({ recipients: 4, sent: 3, failed: 1, delivered: 2, read: 2 });
  });
});
