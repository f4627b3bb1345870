/**
 * Campaigns (issue 21), the audience and the one sending function, against a real Charla
 * (FerretDB, Redis, web chat) and a real SMTP sink: creating a campaign (validation, roles,
 * audit), the audience preview (who, who not and why), and sendMarketingMessage re-reading
 * consent and reachability right before it sends — nobody without a recorded opt-in on that
 * channel gets a marketing message.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuditEntry } from '../../../src/kernel/db/models/audit-entry.js';
import { Contact } from '../../../src/kernel/db/models/contact.js';
import { Conversation } from '../../../src/kernel/db/models/conversation.js';
import { setMarketingConsent } from '../../../src/kernel/db/contacts.js';
import { sendMarketingMessage } from '../../../src/features/campaigns/index.js';
import { webchatClient } from '../../channels/webchat/client.js';
import { call } from '../auth/staff-client.js';
import { staffWithRole, type Staff } from '../auth/staff-client.js';
import { startSmtpSink, type SmtpSink } from '../../support/smtp-sink.js';
import { eventually, startTestApp, type TestApp } from '../../support/app.js';
import { emailCampaign, person, segmentOf, type Person } from './fixtures.js';

const TAG = 'promo-audience';
const message = {
  es: { subject: 'Hola', text: 'Hola {{contact.name}}, mira https://shop.example.com/x' },
  en: { subject: 'Hi', text: 'Hi {{contact.name}}, see https://shop.example.com/x' },
};

describe('campaign audience and sendMarketingMessage', () => {
  let app: TestApp;
  let sink: SmtpSink;
  let marketer: Staff;
  let segmentId: string;
  const p = {} as Record<
    'ana' | 'tom' | 'ben' | 'cai' | 'dee' | 'eva' | 'gus' | 'fay' | 'hal' | 'ivy' | 'joe',
    Person
  >;

  beforeAll(async () => {
    sink = await startSmtpSink();
    app = await startTestApp({
      SMTP_URL: sink.url,
      EMAIL_ADDRESS: 'news@charla.test',
      EMAIL_FROM_NAME: 'Charla News',
    });
    marketer = await staffWithRole(app, 'marketer');
    p.ana = await person(TAG, { name: 'Ana', emails: ['ana@example.com'], consent: 'all' });
    p.tom = await person(TAG, {
      name: 'Tom',
      emails: ['tom@example.com'],
      locale: 'en',
      consent: 'all',
    });
    p.ben = await person(TAG, { name: 'Ben', emails: ['ben@example.com'] });
    p.cai = await person(TAG, { name: 'Cai', emails: ['cai@example.com'], consent: 'revoked' });
    p.dee = await person(TAG, { name: 'Dee', consent: 'all' });
    // Consent recorded for Telegram only: not for email.
    p.eva = await person(TAG, {
      name: 'Eva',
      emails: ['eva@example.com'],
      consent: { only: 'telegram' },
    });
    // Fay was merged into Gus: reached once, as Gus, by Gus's consent.
    p.gus = await person(TAG, { name: 'Gus', emails: ['gus@example.com'], consent: 'all' });
    p.fay = await person(TAG, { name: 'Fay', emails: ['fay@example.com'], consent: 'all' });
    await Contact.updateOne({ _id: p.fay.id }, { $set: { mergedInto: p.gus.id } });
    // Hal shares Ana's address (a duplicate identity): one message for that address.
    p.hal = await person(TAG, { name: 'Hal', emails: ['ana@example.com'], consent: 'all' });
    // Ivy consented, then was erased.
    p.ivy = await person(TAG, { name: 'Ivy', emails: ['ivy@example.com'], consent: 'all' });
    // Joe's contact is a tombstone while his lead still carries the tag (an erase cut short).
    p.joe = await person(TAG, { name: 'Joe', emails: ['joe@example.com'], consent: 'all' });
    await Contact.collection.updateOne({ _id: p.joe.id }, { $set: { erasedAt: new Date() } });
    const erased = await call(app, 'POST', `/api/contacts/${p.ivy.hex}/erase`, {
      headers: app.admin,
      body: { confirm: p.ivy.hex },
    });
    expect(erased.status).toBe(200);
    segmentId = await segmentOf(marketer, TAG);
  });
  afterAll(async () => {
    await app?.stop();
    await sink?.close();
  });

  const deps = () => app.charla.services.campaigns.marketing;

  it('creates a campaign as a draft (audited); bad input is a 4xx and stores nothing', async () => {
    const viewer = await staffWithRole(app, 'viewer');
    const agent = await staffWithRole(app, 'agent');
    expect((await viewer.call('POST', '/api/campaigns', emailCampaign(segmentId))).status).toBe(
      403,
    );
    expect((await agent.call('POST', '/api/campaigns', emailCampaign(segmentId))).status).toBe(403);
    expect((await agent.call('GET', '/api/campaigns')).status).toBe(403);
    const bad = [
      [{ ...emailCampaign(segmentId), channel: 'fax' }, 'invalid_request'],
      [{ ...emailCampaign(segmentId), message: {} }, 'invalid_request'],
      [{ ...emailCampaign(segmentId), segmentId: '0123456789abcdef01234567' }, 'unknown_segment'],
      [
        { ...emailCampaign(segmentId), message: { es: { text: 'sin asunto' } } },
        'subject_required',
      ],
      [
        { ...emailCampaign(segmentId), channel: 'whatsapp', message: { es: { text: 'hola' } } },
        'whatsapp_templates_only',
      ],
      [
        {
          ...emailCampaign(segmentId),
          message: { es: { subject: 'x', text: 'Hola {{cliente}}' } },
        },
        'invalid_request',
      ],
      [{ ...emailCampaign(segmentId), sendAt: '2001-01-01T00:00:00Z' }, 'send_at_past'],
    ] as const;
    for (const [body, code] of bad) {
      const res = await marketer.call('POST', '/api/campaigns', body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.error.code).toBe(code);
    }
    expect((await marketer.call('GET', '/api/campaigns')).body.total).toBe(0);

    const created = await marketer.call('POST', '/api/campaigns', emailCampaign(segmentId));
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ status: 'draft', channel: 'email', segmentId });
    const got = await viewer.call('GET', `/api/campaigns/${created.body.id}`);
    expect(got.status).toBe(200);
    expect(got.body.message.es.subject).toBe('Rebajas para {{contact.name}}');
    expect((await marketer.call('GET', '/api/campaigns/0123456789abcdef01234567')).status).toBe(
      404,
    );
    const audit = await AuditEntry.findOne({ action: 'campaign.create' }).lean();
    expect(audit?.targetId).toBe(created.body.id);
  });

  it('previews the email audience: who gets it, who does not and why', async () => {
    const res = await marketer.call(
      'GET',
      `/api/campaigns/audience?segmentId=${segmentId}&channel=email`,
    );
    expect(res.status).toBe(200);
    // ana, tom, gus (fay merged into him) get it; hal shares ana's address.
    expect(res.body.count).toBe(3);
    expect(res.body.excluded).toEqual({
      no_consent: 2, // ben, eva (telegram only)
      unsubscribed: 1, // cai
      unreachable: 1, // dee: no address
      erased: 1, // joe (ivy's erased lead left the segment)
      duplicate: 1, // hal
    });
    const names = res.body.sample.map((s: { name: string }) => s.name).sort();
    expect(names).toEqual(['Ana', 'Gus', 'Tom']);
    expect(
      (await marketer.call('GET', `/api/campaigns/audience?segmentId=nope&channel=email`)).status,
    ).toBe(400);
  });

  it('sends one email with one-click unsubscribe, in the contact’s language', async () => {
    const result = await sendMarketingMessage(deps(), {
      contactId: p.tom.id,
      channel: 'email',
      content: message,
      campaignId: '0123456789abcdef01234567',
      trackLinks: ['https://shop.example.com/x'],
    });
    expect(result).toMatchObject({ status: 'sent', language: 'en' });
    const mail = await eventually(async () =>
      sink.mails.find((m) => m.envelopeTo[0] === 'tom@example.com'),
    );
    expect(mail.parsed.subject).toBe('Hi');
    const text = mail.parsed.text ?? '';
    expect(text).toContain('Hi Tom, see ');
    expect(text).not.toContain('https://shop.example.com/x'); // rewritten through the redirect
    expect(text).toContain('To stop emails like this, unsubscribe here:');
    // mailparser folds List-* headers into one object: read the raw header lines.
    const raw = mail.raw
      .toString('utf8')
      .split(/\r?\n\r?\n/)[0]!
      .replace(/\r?\n[ \t]+/g, ' ');
    expect(raw).toMatch(/^List-Unsubscribe-Post: List-Unsubscribe=One-Click$/m);
    expect(raw).toMatch(/^List-Unsubscribe: <http:\/\/\S+\/u\/[\w-]+\.[\w-]+>$/m);
  });

  it('refuses everyone without a recorded opt-in on the channel, read at the moment of sending', async () => {
    const before = sink.mails.length;
    const refusals: Record<string, string> = {};
    for (const name of ['ben', 'cai', 'dee', 'eva', 'ivy', 'joe'] as const) {
      const r = await sendMarketingMessage(deps(), {
        contactId: p[name].id,
        channel: 'email',
        content: message,
      });
      refusals[name] = r.status === 'refused' ? r.reason : r.status;
    }
    expect(refusals).toEqual({
      ben: 'no_consent',
      cai: 'unsubscribed',
      dee: 'unreachable',
      eva: 'no_consent',
      ivy: 'erased',
      joe: 'erased',
    });
    // Consent withdrawn after the preview counted Ana: the send is refused.
    await setMarketingConsent(p.ana.id, false, { actor: 'customer', channel: 'webchat' });
    const ana = await sendMarketingMessage(deps(), {
      contactId: p.ana.id,
      channel: 'email',
      content: message,
    });
    expect(ana).toMatchObject({ status: 'refused', reason: 'unsubscribed' });
    // Withdrawn for email only: other channels keep the consent for every channel.
    await setMarketingConsent(p.gus.id, false, {
      actor: 'customer',
      channel: 'email',
      scope: 'email',
    });
    expect(
      await sendMarketingMessage(deps(), {
        contactId: p.fay.id,
        channel: 'email',
        content: message,
      }),
    ).toMatchObject({ status: 'refused', reason: 'unsubscribed', contactId: p.gus.hex });
    await new Promise((r) => setTimeout(r, 300));
    expect(sink.mails.length).toBe(before);
    // Eva now agrees to email too: she gets it.
    await setMarketingConsent(p.eva.id, true, {
      actor: 'customer',
      channel: 'email',
      scope: 'email',
    });
    expect(
      await sendMarketingMessage(deps(), {
        contactId: p.eva.id,
        channel: 'email',
        content: message,
      }),
    ).toMatchObject({ status: 'sent', language: 'es' });
  });

  it('writes first to a returning web chat visitor who agreed, with how to stop', async () => {
    const chat = webchatClient(app.url);
    const session = await chat.createSession('es');
    expect((await chat.post(session, { text: 'hola' })).status).toBeLessThan(300);
    const conversation = await eventually(() =>
      Conversation.findOne({
        channel: 'webchat',
        platformConversationId: session.sessionId,
      }).lean(),
    );
    const contactId = conversation.contactId;
    expect(
      await sendMarketingMessage(deps(), { contactId, channel: 'webchat', content: message }),
    ).toMatchObject({ status: 'refused', reason: 'no_consent' });
    await setMarketingConsent(contactId, true, { actor: 'customer', channel: 'webchat' });
    const sent = await sendMarketingMessage(deps(), {
      contactId,
      channel: 'webchat',
      content: message,
      campaignId: '0123456789abcdef01234567',
    });
    expect(sent).toMatchObject({ status: 'sent', conversationId: conversation._id.toHexString() });
    const shown = await eventually(async () => {
      const list = await chat.list(session);
      return (list.body.messages as Array<{ text: string }>).find((m) => m.text.startsWith('Hola'));
    });
    expect(shown.text).toContain('Para no recibir más mensajes como este, responde BAJA.');
    const after = await Conversation.findById(conversation._id).lean();
    expect(after?.campaignId?.toHexString()).toBe('0123456789abcdef01234567');
    // Not reachable on Telegram: never wrote there.
    expect(
      await sendMarketingMessage(deps(), { contactId, channel: 'telegram', content: message }),
    ).toMatchObject({ status: 'refused', reason: 'unreachable' });
  });
});
