/**
 * A permanent bounce that arrives while our reply is still being retried (the relay answered
 * 4xx) marks the reply failed with the bounce's reason and stops the retries: the reply never
 * goes out, and the conversation's later replies are not held behind it. Real SMTP on 127.0.0.1.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { Types } from 'mongoose';
import { Conversation } from '../../../src/kernel/db/models/conversation.js';
import { Message } from '../../../src/kernel/db/models/message.js';
import { eventually } from '../../support/app.js';
import { customerAddress, emailHarness, SUPPORT } from './harness.js';

const h = emailHarness();
beforeAll(() => h.start());
afterAll(() => h.stop());

const mailsTo = (to: string) => h.sink().mails.filter((m) => m.envelopeTo.includes(to));

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

it('a permanent bounce during the retries marks the reply failed and stops them', async () => {
  const from = customerAddress(`bounce${Date.now() % 1_000_000}`);
  expect((await h.send({ from, subject: 'Horario', text: '¿Horario?' })).status).toBe(200);
  const conv = await eventually(() =>
    Conversation.findOne({ channel: 'email', platformUserId: from }).lean(),
  );
  await eventually(async () => mailsTo(from).length === 1);
  // Later mails continue this conversation (its token in the subject).
  const thread = `Re: Horario [#${conv._id.toHexString()}]`;

  // The relay now answers 4xx: the next reply waits for a retry.
  h.sink().failNext('temporary', 1000);
  expect((await h.send({ from, subject: thread, text: '¿Y los sábados abrís?' })).status).toBe(200);
  const retrying = await eventually(async () => {
    const m = await Message.findOne({
      conversationId: conv._id,
      direction: 'out',
      status: 'pending',
      attempts: { $gte: 1 },
    }).lean();
    return m ?? false;
  });
  const ours = `<charla.${retrying._id.toHexString()}@charla.test>`;
  const res = await h.send({
    from: 'MAILER-DAEMON@customer.test',
    raw: dsn(from, ours),
    envelope: { from: '', to: [SUPPORT] },
  });
  expect(res.response).toMatch(/^250/);
  // The bounce is read after the 250: the relay heals only once it has marked the reply failed
  // (else a retry in that moment could deliver it first, which is not what this test is about).
  await eventually(
    async () => (await Message.findById(retrying._id).lean())?.status === 'failed',
    20_000,
  );
  // …and once no attempt begun before the bounce is still in flight (its count stops moving).
  let seen = -1;
  await eventually(async () => {
    const now = (await Message.findById(retrying._id).lean())?.attempts ?? 0;
    const settled = now === seen;
    seen = now;
    if (!settled) await new Promise((r) => setTimeout(r, 400));
    return settled;
  }, 20_000);
  h.sink().failNext('temporary', 0);

  // A later reply goes out: the worker has passed the bounced one without sending it.
  expect((await h.send({ from, subject: thread, text: 'Gracias' })).status).toBe(200);
  await eventually(async () => mailsTo(from).length >= 2, 20_000);
  const bounced = (await Message.findById(retrying._id).lean())!;
  expect(bounced.status).toBe('failed');
  expect(bounced.error).toContain('5.1.1');
  expect(mailsTo(from).map((m) => m.parsed.messageId)).not.toContain(ours);
});
