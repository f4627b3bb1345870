/**
 * "Email transcript to customer" (POST /api/conversations/:id/transcript-email) on a real Charla
 * whose mail transport points at the SMTP sink the email tests use: the customer's, the bot's and
 * staff's turns reach the contact's known address in the conversation's language, internal notes
 * never do, customer text is escaped in the HTML; agents may, viewers may not; a contact without
 * an email and a Charla without mail get a clear 409; audited.
 */
import { Types } from 'mongoose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openConversation } from '../../../src/kernel/db/conversations.js';
import { AuditEntry } from '../../../src/kernel/db/models/audit-entry.js';
import { Contact } from '../../../src/kernel/db/models/contact.js';
import { Message } from '../../../src/kernel/db/models/message.js';
import { eventually, startTestApp, type TestApp } from '../../support/app.js';
import { startSmtpSink, type SmtpSink } from '../../support/smtp-sink.js';
import { staffWithRole, type Staff } from '../auth/staff-client.js';

let n = 0;
/** A web chat conversation with a customer line, a bot answer, a staff reply and a staff note. */
async function conversationWith(
  contact: { emails?: string[]; name?: string },
  locale: 'es' | 'en',
) {
  n += 1;
  const c = await Contact.create(contact);
  const conversation = await openConversation({
    channel: 'webchat',
    platformConversationId: `transcript-${Date.now()}-${n}`,
    platformUserId: `visitor-${n}`,
    contactId: c._id,
    locale,
  });
  const base = { conversationId: conversation._id, contactId: c._id, channel: 'webchat' as const };
  const at = (s: number) => new Date(Date.UTC(2026, 11, 7, 10, 0, s));
  const lines = [
    {
      direction: 'in',
      author: 'customer',
      text: 'My order <b>#42</b> & "the rest"',
      createdAt: at(0),
    },
    {
      direction: 'out',
      author: 'bot',
      text: 'Sorry to hear that. A colleague will look.',
      createdAt: at(1),
    },
    {
      direction: 'out',
      author: 'staff',
      staff: { id: 'x', name: 'Lola' },
      text: 'Found it: it ships today.',
      createdAt: at(2),
    },
    {
      direction: 'out',
      author: 'staff',
      internal: true,
      text: 'INTERNAL: customer is grumpy',
      createdAt: at(3),
    },
    { direction: 'out', author: 'system', text: 'SYSTEM: assigned to Lola', createdAt: at(4) },
  ] as const;
  for (const l of lines) {
    await Message.create({
      ...base,
      ...l,
      status: l.direction === 'in' ? 'processed' : 'sent',
      dedupeKey: `transcript-test:${new Types.ObjectId().toHexString()}`,
    });
  }
  return conversation._id.toHexString();
}

describe('email transcript to customer', () => {
  let sink: SmtpSink;
  let app: TestApp;
  let agent: Staff;
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

  it("mails the customer's, bot's and staff's turns, no notes, text escaped, audited", async () => {
    const id = await conversationWith({ emails: ['ann@customer.test'], name: 'Ann Smith' }, 'en');
    const res = await agent.call('POST', `/api/conversations/${id}/transcript-email`);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ sentTo: 'ann@customer.test', messages: 3, locale: 'en' });
    const mail = await eventually(async () =>
      sink.mails.find((m) => m.envelopeTo.includes('ann@customer.test')),
    );
    expect(mail.parsed.subject).toBe('Your conversation with Charla Test');
    const text = mail.parsed.text ?? '';
    expect(text.startsWith('Hello Ann,')).toBe(true);
    expect(text).toContain('[2026-12-07 10:00] You:\nMy order <b>#42</b> & "the rest"');
    expect(text).toContain('[2026-12-07 10:00] Charla Test:\nSorry to hear that.');
    expect(text).toContain('Lola:\nFound it: it ships today.');
    expect(text).not.toContain('INTERNAL');
    expect(text).not.toContain('SYSTEM');
    const html = String(mail.parsed.html);
    expect(html).toContain('My order &lt;b&gt;#42&lt;/b&gt; &amp; &quot;the rest&quot;');
    expect(html).not.toContain('<b>#42');
    expect(html).not.toContain('INTERNAL');
    expect(mail.header('auto-submitted')).toBe('auto-generated');
    const audit = await AuditEntry.findOne({
      targetId: id,
      action: 'conversation.transcript_emailed',
    }).lean();
    expect(audit?.actor).toBe(`user:${agent.user.id}`);
    expect(audit?.details).toMatchObject({ messages: 3, locale: 'en' });
    expect(JSON.stringify(audit)).not.toContain('ann@customer.test');
  });

  it('writes in Spanish to a Spanish conversation', async () => {
    const id = await conversationWith({ emails: ['eva@cliente.test'], name: 'Eva' }, 'es');
    expect((await agent.call('POST', `/api/conversations/${id}/transcript-email`)).status).toBe(
      200,
    );
    const mail = await eventually(async () =>
      sink.mails.find((m) => m.envelopeTo.includes('eva@cliente.test')),
    );
    expect(mail.parsed.subject).toBe('Tu conversación con Charla Test');
    expect(mail.parsed.text).toContain('Hola, Eva:');
    expect(mail.parsed.text).toContain('] Tú:\nMy order');
  });

  it('409 without a known email; 403 for a viewer; 503 when the relay refuses', async () => {
    const none = await conversationWith({ name: 'Nobody' }, 'en');
    const res = await agent.call('POST', `/api/conversations/${none}/transcript-email`);
    expect([res.status, res.body.error.code]).toEqual([409, 'no_customer_email']);
    const viewer = await staffWithRole(app, 'viewer');
    const id = await conversationWith({ emails: ['vic@customer.test'] }, 'en');
    const refused = await viewer.call('POST', `/api/conversations/${id}/transcript-email`);
    expect(refused.status).toBe(403);
    sink.failNext('permanent', 1);
    const bounced = await agent.call('POST', `/api/conversations/${id}/transcript-email`);
    expect([bounced.status, bounced.body.error.code]).toEqual([503, 'mail_refused']);
    expect(sink.mails.some((m) => m.envelopeTo.includes('vic@customer.test'))).toBe(false);
    expect(
      await AuditEntry.countDocuments({ targetId: id, action: 'conversation.transcript_emailed' }),
    ).toBe(0);
  });
});

describe('email transcript without mail', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp({});
  });
  afterAll(async () => app?.stop());

  it('answers 409 mail_not_configured', async () => {
    const agent = await staffWithRole(app, 'agent');
    const id = await conversationWith({ emails: ['zoe@customer.test'] }, 'en');
    const res = await agent.call('POST', `/api/conversations/${id}/transcript-email`);
    expect([res.status, res.body.error.code]).toEqual([409, 'mail_not_configured']);
  });
});
