/**
 * Case updates by mail (src/features/cases/mail-update.ts) on a real Charla whose mail transport
 * (SMTP_URL) points at an SMTP sink on 127.0.0.1: a status change reaches a customer who left an
 * email, in their language; nobody without an email gets a mail; a relay refusing the mail is
 * noted on the case and does not undo the edit.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCase } from '../../../src/kernel/db/cases.js';
import { Case } from '../../../src/kernel/db/models/case.js';
import { Contact } from '../../../src/kernel/db/models/contact.js';
import { eventually, startTestApp, type TestApp } from '../../support/app.js';
import { startSmtpSink, type SmtpSink } from '../../support/smtp-sink.js';
import { staffWithRole, type Staff } from '../auth/staff-client.js';

let sink: SmtpSink;
let app: TestApp;
let agent: Staff;
let n = 0;
const address = () => `case-mail-${Date.now() % 1_000_000}-${++n}@customer.test`;

beforeAll(async () => {
  sink = await startSmtpSink();
  app = await startTestApp({
    SMTP_URL: sink.url,
    EMAIL_ADDRESS: 'support@charla.test',
    EMAIL_FROM_NAME: 'Charla Test',
  });
  agent = await staffWithRole(app, 'agent');
});
afterAll(async () => {
  await app?.stop();
  await sink?.close();
});

const mailsTo = (to: string) => sink.mails.filter((m) => m.envelopeTo.includes(to));

async function caseFor(contact: { emails?: string[]; locale?: 'es' | 'en'; name?: string }) {
  const c = await Contact.create(contact);
  return createCase({ type: 'support', contactId: c._id, subject: 'Pedido <b>roto</b>' });
}

describe('case updates by mail', () => {
  it('mails each status change to the contact in their language (English)', async () => {
    const to = address();
    const c = await caseFor({ emails: [to], locale: 'en', name: 'Ann Smith' });
    const path = `/api/cases/${c._id.toHexString()}`;
    expect((await agent.call('PATCH', path, { status: 'pending' })).status).toBe(200);
    const [pending] = await eventually(async () => (mailsTo(to).length >= 1 ? mailsTo(to) : false));
    expect(pending!.parsed.subject).toBe(`Your case ${c.number}: pending`);
    const text = pending!.parsed.text ?? '';
    expect(text.startsWith('Hello Ann,')).toBe(true);
    expect(text).toContain(`Your case ${c.number} is pending`);
    expect(text).toContain('Subject: Pedido <b>roto</b>'); // plain text: shown as typed
    expect(text).toContain('Kind regards,\nCharla Test');
    expect(pending!.parsed.html).toBe(false);

    const res = await agent.call('PATCH', path, { status: 'resolved' });
    expect(res.status).toBe(200);
    const mails = await eventually(async () => (mailsTo(to).length >= 2 ? mailsTo(to) : false));
    expect(mails[1]!.parsed.subject).toBe(`Your case ${c.number}: resolved`);
    expect(mails[1]!.parsed.text).toContain(`Your case ${c.number} has been resolved.`);
    const timeline = (await Case.findById(c._id).lean())!.timeline;
    expect(timeline.filter((e) => e.kind === 'customer_mailed').map((e) => e.to)).toEqual([
      'pending',
      'resolved',
    ]);
    const detail = await agent.call('GET', path);
    expect(
      detail.body.timeline.filter((e: { kind: string }) => e.kind === 'customer_mailed'),
    ).toHaveLength(2);
    // A priority change alone is not news for the customer.
    expect((await agent.call('PATCH', path, { priority: 'high' })).status).toBe(200);
    expect(mailsTo(to)).toHaveLength(2);
  });

  it('writes in Spanish to a Spanish contact, to the email the case holds first', async () => {
    const onContact = address();
    const onCase = address();
    const contact = await Contact.create({ emails: [onContact], locale: 'es', name: 'Ana' });
    const c = await createCase({ type: 'support', contactId: contact._id, email: onCase });
    const path = `/api/cases/${c._id.toHexString()}`;
    expect((await agent.call('PATCH', path, { status: 'closed' })).status).toBe(200);
    const [mail] = await eventually(async () =>
      mailsTo(onCase).length >= 1 ? mailsTo(onCase) : false,
    );
    expect(mail!.parsed.subject).toBe(`Tu caso ${c.number}: cerrado`);
    expect(mail!.parsed.text).toContain('Hola, Ana:');
    expect(mail!.parsed.text).toContain(`Hemos cerrado tu caso ${c.number}.`);
    expect(mail!.parsed.text).toContain('Un saludo,\nCharla Test');
    expect(mailsTo(onContact)).toHaveLength(0);
  });

  it('sends nothing to a contact without an email', async () => {
    const before = sink.mails.length;
    const c = await caseFor({ locale: 'es' });
    const res = await agent.call('PATCH', `/api/cases/${c._id.toHexString()}`, {
      status: 'pending',
    });
    expect(res.status).toBe(200);
    expect(sink.mails.length).toBe(before);
    const timeline = (await Case.findById(c._id).lean())!.timeline;
    expect(timeline.map((e) => e.kind)).toEqual(['status']);
  });

  it('a relay refusing the mail is noted on the case; the change stands', async () => {
    const to = address();
    const c = await caseFor({ emails: [to], locale: 'en' });
    sink.failNext('permanent', 1);
    const res = await agent.call('PATCH', `/api/cases/${c._id.toHexString()}`, {
      status: 'pending',
    });
    sink.failNext('permanent', 0);
    expect(res.status).toBe(200);
    expect(res.body.status).toBe('pending');
    const stored = (await Case.findById(c._id).lean())!;
    expect(stored.status).toBe('pending');
    expect(stored.timeline.map((e) => [e.kind, e.to])).toEqual([
      ['status', 'pending'],
      ['customer_mail_failed', 'pending'],
    ]);
    expect(mailsTo(to)).toHaveLength(0);
  });
});
