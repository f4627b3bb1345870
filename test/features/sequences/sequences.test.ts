/**
 * Sequences (issue 21.6) against a real Charla (FerretDB, Redis, web chat) and a real SMTP sink:
 * a trigger enrols once, steps send through the consent-checking marketing sender (a contact
 * without consent is refused, never mailed), waits wait, a branch reads the contact's reply, a
 * reply / an unsubscribe / staff end a run, a step whose send was already attempted (a runner
 * killed mid-step) is never sent again, two runners at once send once; roles, bad input, audit.
 */
import { Types } from 'mongoose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuditEntry } from '../../../src/kernel/db/models/audit-entry.js';
import { Contact } from '../../../src/kernel/db/models/contact.js';
import { Lead } from '../../../src/kernel/db/models/lead.js';
import { Enrolment, SequenceSend } from '../../../src/features/sequences/model.js';
import { settledSession, webchatClient } from '../../channels/webchat/client.js';
import { staffWithRole, type Staff } from '../auth/staff-client.js';
import { startTestApp, type TestApp } from '../../support/app.js';
import { startSmtpSink, type SmtpSink } from '../../support/smtp-sink.js';

type Json = any; // eslint-disable-line @typescript-eslint/no-explicit-any
const DAY = 86_400_000;

describe('sequences', () => {
  let app: TestApp;
  let sink: SmtpSink;
  let marketer: Staff;
  let agent: Staff;
  let viewer: Staff;
  const runDue = (at: Date) => app.charla.services.sequences.runDue(at);

  beforeAll(async () => {
    sink = await startSmtpSink();
    app = await startTestApp({ SMTP_URL: sink.url, EMAIL_ADDRESS: 'hola@charla.test' });
    [marketer, agent, viewer] = await Promise.all([
      staffWithRole(app, 'marketer'),
      staffWithRole(app, 'agent'),
      staffWithRole(app, 'viewer'),
    ]);
  });
  afterAll(async () => {
    await app?.stop();
    await sink?.close();
  });

  /** A contact (with a lead) who may or may not have agreed to marketing. */
  async function customer(email: string, consent: boolean) {
    const contact = await Contact.create({
      name: email.split('@')[0],
      emails: [email],
      locale: 'en',
    });
    if (consent) {
      const put = await marketer.call('PUT', `/api/contacts/${contact._id}/consent`, {
        granted: true,
      });
      expect(put.status).toBe(200);
    }
    const lead = await Lead.create({ contactId: contact._id, channel: 'webchat', email });
    return { contactId: contact._id, leadId: lead._id.toHexString() };
  }
  const mailsTo = (address: string) => sink.mails.filter((m) => m.envelopeTo.includes(address));
  const enrolmentOf = (sequenceId: string, contactId: Types.ObjectId) =>
    Enrolment.findOne({ sequenceId: new Types.ObjectId(sequenceId), contactId }).lean();

  const welcome = {
    kind: 'send',
    channel: 'email',
    message: {
      en: { subject: 'Welcome aboard', text: 'Hello {{contact.name}}, thanks for your interest.' },
      es: { subject: 'Bienvenida', text: 'Hola {{contact.name}}, gracias por tu interés.' },
    },
  };
  const followUp = {
    kind: 'send',
    channel: 'email',
    message: { en: { subject: 'Still interested?', text: 'A quick follow-up.' } },
  };

  it('refuses bad sequences and roles that may not build them', async () => {
    const ok = { name: 'x', trigger: { type: 'lead.created' }, steps: [welcome] };
    const bad = async (body: unknown) => {
      const res = await marketer.call('POST', '/api/sequences', body);
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBeTruthy();
    };
    await bad({ ...ok, steps: [] });
    await bad({ ...ok, steps: [{ kind: 'branch', when: { on: 'replied' }, goto: 5 }] });
    await bad({ ...ok, steps: [{ kind: 'wait', days: 1, until: { weekday: 1, time: '09:00' } }] });
    await bad({ ...ok, steps: [{ kind: 'wait', until: { weekday: 1, time: '25:00' } }] });
    await bad({ ...ok, trigger: { type: 'lead.status', status: 'gone' } });
    await bad({ ...ok, steps: [{ ...welcome, channel: 'fax' }] });
    await bad({ ...ok, steps: [{ ...welcome, message: {} }] });
    expect((await agent.call('POST', '/api/sequences', ok)).status).toBe(403);
    expect((await viewer.call('POST', '/api/sequences', ok)).status).toBe(403);
    expect((await viewer.call('GET', '/api/sequences')).status).toBe(200);
    expect((await marketer.call('GET', `/api/sequences/${new Types.ObjectId()}`)).status).toBe(404);
    expect(await AuditEntry.countDocuments({ action: 'sequence.create' })).toBe(0);
  });

  it('enrols once on a tag, sends only with consent, waits, branches and completes', async () => {
    const created = await marketer.call('POST', '/api/sequences', {
      name: 'VIP welcome',
      trigger: { type: 'tag.added', tag: 'vip' },
      steps: [
        welcome,
        { kind: 'wait', days: 2 },
        { kind: 'branch', when: { on: 'replied' }, goto: 4 },
        followUp,
      ],
    });
    expect(created.status).toBe(201);
    const id = created.body.id as string;
    const ana = await customer('ana@example.com', true);
    const bea = await customer('bea@example.com', false);
    for (const lead of [ana, bea]) {
      expect(
        (await marketer.call('PATCH', `/api/leads/${lead.leadId}`, { tags: ['vip'] })).status,
      ).toBe(200);
    }
    const now = new Date();
    await runDue(now);
    expect(mailsTo('ana@example.com')).toHaveLength(1);
    const first = mailsTo('ana@example.com')[0]!;
    expect(first.parsed.subject).toBe('Welcome aboard');
    expect(first.parsed.text).toContain('Hello ana');
    expect(first.raw.toString()).toMatch(/^List-Unsubscribe-Post: List-Unsubscribe=One-Click/m);
    // Without consent: refused with the reason, never mailed.
    expect(mailsTo('bea@example.com')).toHaveLength(0);
    const beaRun = await enrolmentOf(id, bea.contactId);
    expect(beaRun!.history.map((h) => h.event)).toContain('refused');
    expect(beaRun!.history.find((h) => h.event === 'refused')!.detail).toBe('no_consent');

    // Tagged again: no second enrolment; due again now: nothing runs (both wait two days).
    await marketer.call('PATCH', `/api/leads/${ana.leadId}`, { tags: ['vip', 'gold'] });
    expect(await Enrolment.countDocuments({ sequenceId: new Types.ObjectId(id) })).toBe(2);
    expect(await runDue(new Date(now.getTime() + DAY))).toBe(0);
    expect(mailsTo('ana@example.com')).toHaveLength(1);

    // After the wait: no reply, so the follow-up goes; then the run is complete.
    await runDue(new Date(now.getTime() + 2 * DAY + 60_000));
    expect(mailsTo('ana@example.com').map((m) => m.parsed.subject)).toEqual([
      'Welcome aboard',
      'Still interested?',
    ]);
    const anaRun = await enrolmentOf(id, ana.contactId);
    expect(anaRun).toMatchObject({ status: 'completed', reason: 'completed' });
    const listed = await viewer.call('GET', `/api/sequences/${id}`);
    expect(listed.body.counts).toMatchObject({ completed: 2, active: 0 });
  });

  it('a reply after a send ends the run; an unsubscribe ends it; staff stop it', async () => {
    const web = webchatClient(app.url);
    const session = await web.createSession('en');
    await web.post(session, { text: 'Hello, what are your opening hours?' });
    const { conversations } = await settledSession(session.sessionId);
    const contactId = conversations[0]!.contactId as Types.ObjectId;
    await Contact.updateOne({ _id: contactId }, { $set: { emails: ['carla@example.com'] } });
    await marketer.call('PUT', `/api/contacts/${contactId}/consent`, { granted: true });
    const lead = await Lead.create({ contactId, channel: 'webchat', email: 'carla@example.com' });

    const replySeq = await marketer.call('POST', '/api/sequences', {
      name: 'Nurture',
      trigger: { type: 'lead.status', status: 'contacted' },
      steps: [welcome, { kind: 'wait', days: 3 }, followUp],
    });
    const quietSeq = await marketer.call('POST', '/api/sequences', {
      name: 'Quiet',
      trigger: { type: 'lead.status', status: 'contacted' },
      steps: [{ kind: 'wait', days: 10 }, followUp],
      exitOn: ['unsubscribe'],
    });
    await marketer.call('PATCH', `/api/leads/${lead._id}`, { status: 'contacted' });
    await runDue(new Date());
    expect(mailsTo('carla@example.com')).toHaveLength(1);
    // The customer writes back. When the run that sent something is next due, it ends instead
    // of sending; the other one (it does not exit on replies) keeps going.
    await web.post(session, { text: 'Thanks, I will think about it' });
    await settledSession(session.sessionId, 2);
    await runDue(new Date(Date.now() + 4 * DAY));
    expect(await enrolmentOf(replySeq.body.id, contactId)).toMatchObject({
      status: 'exited',
      reason: 'replied',
    });
    expect(mailsTo('carla@example.com')).toHaveLength(1);
    expect((await enrolmentOf(quietSeq.body.id, contactId))!.status).toBe('active');

    // Staff see the contact's runs and stop one; audited.
    const runs = await agent.call('GET', `/api/contacts/${contactId}/sequences`);
    expect(runs.status).toBe(200);
    expect((runs.body.items as Json[]).map((r) => r.sequenceName).sort()).toEqual([
      'Nurture',
      'Quiet',
    ]);
    const quietRun = (runs.body.items as Json[]).find((r) => r.sequenceName === 'Quiet');
    expect(
      (
        await viewer.call(
          'POST',
          `/api/sequences/${quietSeq.body.id}/enrolments/${quietRun.id}/stop`,
        )
      ).status,
    ).toBe(403);

    // Unsubscribe before the stop: withdrawing consent ends the run at once.
    await marketer.call('PUT', `/api/contacts/${contactId}/consent`, { granted: false });
    expect(await enrolmentOf(quietSeq.body.id, contactId)).toMatchObject({
      status: 'exited',
      reason: 'unsubscribed',
    });
    await runDue(new Date(Date.now() + 15 * DAY));
    expect(mailsTo('carla@example.com')).toHaveLength(1);

    const other = await customer('dora@example.com', true);
    const enrolled = await marketer.call('POST', `/api/sequences/${quietSeq.body.id}/enrolments`, {
      contactId: other.contactId.toHexString(),
    });
    expect(enrolled.status).toBe(201);
    const stopped = await agent.call(
      'POST',
      `/api/sequences/${quietSeq.body.id}/enrolments/${enrolled.body.id}/stop`,
    );
    expect(stopped.status).toBe(200);
    expect(stopped.body).toMatchObject({ status: 'stopped', reason: 'stopped by staff' });
    await runDue(new Date(Date.now() + 5 * DAY));
    expect(mailsTo('dora@example.com')).toHaveLength(0);
    expect(await AuditEntry.countDocuments({ action: 'sequence.stop' })).toBe(1);
    expect(await AuditEntry.countDocuments({ action: 'sequence.enrol' })).toBe(1);
  });

  it('enrols a lead that enters a saved segment, and not one that does not', async () => {
    const segment = await marketer.call('POST', '/api/segments', {
      name: 'Gold',
      filter: { tags: ['gold'] },
    });
    expect(segment.status).toBe(201);
    const seq = await marketer.call('POST', '/api/sequences', {
      name: 'Gold follow-up',
      trigger: { type: 'segment.entered', segmentId: segment.body.id },
      steps: [{ kind: 'wait', days: 1 }, followUp],
    });
    expect(seq.status).toBe(201);
    const gia = await customer('gia@example.com', true);
    const hal = await customer('hal@example.com', true);
    await marketer.call('PATCH', `/api/leads/${gia.leadId}`, { tags: ['gold'] });
    await marketer.call('PATCH', `/api/leads/${hal.leadId}`, { tags: ['silver'] });
    expect((await enrolmentOf(seq.body.id, gia.contactId))?.status).toBe('active');
    expect(await enrolmentOf(seq.body.id, hal.contactId)).toBeNull();
  });

  it('never sends a step twice: after a killed runner, and with two runners at once', async () => {
    const seq = await marketer.call('POST', '/api/sequences', {
      name: 'Once',
      trigger: { type: 'lead.created' },
      steps: [followUp],
    });
    const eva = await customer('eva@example.com', true);
    const fay = await customer('fay@example.com', true);
    for (const who of [eva, fay]) {
      const res = await marketer.call('POST', `/api/sequences/${seq.body.id}/enrolments`, {
        contactId: who.contactId.toHexString(),
      });
      expect(res.status).toBe(201);
    }
    // Eva's runner died after marking the send and before moving on.
    const evaRun = await enrolmentOf(seq.body.id, eva.contactId);
    await SequenceSend.create({
      key: `${evaRun!._id.toHexString()}:0`,
      enrolmentId: evaRun!._id,
      step: 0,
      channel: 'email',
    });
    const now = new Date();
    await Promise.all([runDue(now), runDue(now), runDue(now)]);
    expect(mailsTo('eva@example.com')).toHaveLength(0);
    expect((await enrolmentOf(seq.body.id, eva.contactId))!.history.map((h) => h.event)).toContain(
      'skipped',
    );
    expect(mailsTo('fay@example.com')).toHaveLength(1);
    expect(await enrolmentOf(seq.body.id, fay.contactId)).toMatchObject({ status: 'completed' });
  });
});
