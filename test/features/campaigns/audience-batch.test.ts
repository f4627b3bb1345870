/**
 * The audience read in bulk (eligibility.ts `audienceReader`, plan `scan`: the contacts and the
 * channel's conversations read once) must decide exactly as the one-contact check the send uses
 * (`eligibilityOf`, plan `by-id`): the same verdict, reason and address for every kind of
 * person — consent for every channel, none, withdrawn, another channel only, no address,
 * merged into a survivor inside or outside the segment, erased, sharing an address — on email
 * and web chat. And the walk counts the same on both plans. Correctness only, no timing.
 */
import { Types } from 'mongoose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { walkAudience } from '../../../src/features/campaigns/audience.js';
import {
  audienceReader,
  eligibilityOf,
  readPlanFor,
  type Eligibility,
} from '../../../src/features/campaigns/eligibility.js';
import { segmentContactIds } from '../../../src/features/leads/index.js';
import { setMarketingConsent } from '../../../src/kernel/db/contacts.js';
import { Contact } from '../../../src/kernel/db/models/contact.js';
import { Conversation } from '../../../src/kernel/db/models/conversation.js';
import { Lead } from '../../../src/kernel/db/models/lead.js';
import { webchatClient } from '../../channels/webchat/client.js';
import { eventually, startTestApp, type TestApp } from '../../support/app.js';
import { staffWithRole } from '../auth/staff-client.js';
import { person, segmentOf } from './fixtures.js';

const TAG = 'promo-batch';

/** What must agree between the two plans (the documents themselves may be projections). */
const verdict = (e: Eligibility) =>
  e.ok
    ? { ok: true, contact: e.contact._id.toHexString(), address: e.addressKey, lang: e.language }
    : { ok: false, contact: e.contactId.toHexString(), reason: e.reason, detail: e.detail };

describe('campaign audience read in bulk', () => {
  let app: TestApp;
  let segmentId: string;

  beforeAll(async () => {
    app = await startTestApp();
    const marketer = await staffWithRole(app, 'marketer');
    await person(TAG, { name: 'Ana', emails: ['Ana@Example.com '], consent: 'all' });
    await person(TAG, { name: 'Tom', emails: ['tom@example.com'], locale: 'en', consent: 'all' });
    await person(TAG, { name: 'Ben', emails: ['ben@example.com'] });
    await person(TAG, { name: 'Cai', emails: ['cai@example.com'], consent: 'revoked' });
    await person(TAG, { name: 'Dee', consent: 'all' });
    await person(TAG, { name: 'Eva', emails: ['eva@example.com'], consent: { only: 'telegram' } });
    await person(TAG, { name: 'Wen', emails: ['wen@example.com'], consent: { only: 'webchat' } });
    // Fay merged into Gus (both in the segment); Kim merged into Lou, who is not in it.
    const gus = await person(TAG, { name: 'Gus', emails: ['gus@example.com'], consent: 'all' });
    const fay = await person(TAG, { name: 'Fay', emails: ['fay@example.com'], consent: 'all' });
    await Contact.updateOne({ _id: fay.id }, { $set: { mergedInto: gus.id } });
    const lou = await Contact.create({ name: 'Lou', emails: ['lou@example.com'], locale: 'en' });
    await setMarketingConsent(lou._id, true, { actor: 'system', channel: 'console' });
    const kim = await person(TAG, { name: 'Kim', emails: ['kim@example.com'] });
    await Contact.updateOne({ _id: kim.id }, { $set: { mergedInto: lou._id } });
    await person(TAG, { name: 'Hal', emails: ['ana@example.com'], consent: 'all' });
    const joe = await person(TAG, { name: 'Joe', emails: ['joe@example.com'], consent: 'all' });
    await Contact.collection.updateOne({ _id: joe.id }, { $set: { erasedAt: new Date() } });
    // A lead whose contact is gone altogether.
    await Lead.create({ contactId: new Types.ObjectId(), channel: 'webchat', tags: [TAG] });
    // A returning web chat visitor who agreed (reachable while the session is known), with an
    // older closed conversation on the channel too, and one who wrote before but whose
    // conversation is not reachable.
    const chat = webchatClient(app.url);
    const session = await chat.createSession('es');
    expect((await chat.post(session, { text: 'hola' })).status).toBeLessThan(300);
    const live = await eventually(() =>
      Conversation.findOne({
        channel: 'webchat',
        platformConversationId: session.sessionId,
      }).lean(),
    );
    await setMarketingConsent(live.contactId, true, { actor: 'customer', channel: 'webchat' });
    await Lead.create({ contactId: live.contactId, channel: 'webchat', tags: [TAG] });
    await Conversation.collection.insertOne({
      contactId: live.contactId,
      channel: 'webchat',
      platformConversationId: 'old-session',
      platformUserId: 'old-session',
      status: 'closed',
      createdAt: new Date(Date.now() - 86_400_000),
      updatedAt: new Date(Date.now() - 86_400_000),
    });
    const gone = await person(TAG, { name: 'Ola', consent: 'all' });
    await Conversation.collection.insertOne({
      contactId: gone.id,
      channel: 'webchat',
      platformConversationId: 'forgotten-session',
      platformUserId: 'forgotten-session',
      status: 'closed',
      createdAt: new Date(),
      updatedAt: new Date(),
    });
    segmentId = await segmentOf(marketer, TAG);
  });
  afterAll(async () => {
    await app?.stop();
  });

  const lookup = () => app.charla.services.campaigns.marketing.outreach;

  for (const channel of ['email', 'webchat', 'telegram'] as const) {
    it(`decides every ${channel} recipient as the one-contact check does`, async () => {
      const ids = await segmentContactIds(segmentId);
      expect(ids.length).toBe(15);
      const now = new Date();
      const scan = await audienceReader(ids, channel, lookup(), now, 'scan');
      const byId = await audienceReader(ids, channel, lookup(), now, 'by-id');
      const seen = new Set<string>();
      for (const id of ids) {
        const one = verdict(await eligibilityOf(id, channel, lookup(), now));
        expect(verdict(await scan(id)), id.toHexString()).toEqual(one);
        expect(verdict(await byId(id)), id.toHexString()).toEqual(one);
        seen.add(one.ok ? 'ok' : String(one.reason));
      }
      // The population really exercises the verdicts (not all alike).
      expect(seen.has('no_consent') && seen.has('erased') && seen.has('unreachable')).toBe(true);
      // Nobody ever wrote on Telegram here: nobody is reachable there.
      expect(seen.has('ok')).toBe(channel !== 'telegram');
    });
  }

  it('walks the same audience on both plans', async () => {
    const run = async (plan: 'scan' | 'by-id', channel: 'email' | 'webchat') => {
      const who: string[] = [];
      const walked = await walkAudience(
        segmentId,
        channel,
        lookup(),
        (w) => {
          who.push(`${w.contact._id.toHexString()} ${w.addressKey}`);
        },
        plan,
      );
      return { ...walked, who: who.sort() };
    };
    for (const channel of ['email', 'webchat'] as const) {
      const scan = await run('scan', channel);
      const byId = await run('by-id', channel);
      expect(scan.plan).toBe('scan');
      expect(byId.plan).toBe('by-id');
      expect({ ...scan, plan: '' }).toEqual({ ...byId, plan: '' });
    }
    const email = await run('scan', 'email');
    // Ana, Tom, Gus (Fay merged into him), Lou (Kim merged into him), Wen? no: webchat only.
    expect(email.who.length).toBe(4);
    expect(email.excluded).toMatchObject({ duplicate: 1, unsubscribed: 1, erased: 2 });
    // A small audience is read contact by contact.
    expect(await readPlanFor(16)).toBe('by-id');
  });
});
