/**
 * The lead form with the answers real customers gave (issue 18): an internationalised email, a
 * UK national number from an English visitor, a company typed where the phone was asked, a
 * question typed where the company was asked, "no thanks" at the summary, "unsubscribe" mid-form.
 * Every lead is captured with exactly what was typed and the marketing opt-in as answered.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Contact } from '../../../src/kernel/db/models/contact.js';
import { ConsentRecord } from '../../../src/kernel/db/models/consent-record.js';
import { Conversation } from '../../../src/kernel/db/models/conversation.js';
import { Lead } from '../../../src/kernel/db/models/lead.js';
import { Message } from '../../../src/kernel/db/models/message.js';
import { startTestApp, type TestApp } from '../../support/app.js';
import { customer, recordingAdapter } from './chat.js';

describe('lead capture with hostile answers', () => {
  let app: TestApp;
  const rec = recordingAdapter('telegram');
  beforeAll(async () => {
    app = await startTestApp({}, { extraAdapters: [rec.adapter] });
  });
  afterAll(async () => app?.stop());

  const flowOf = async (conversationId: string) =>
    (await Conversation.findById(conversationId).lean())?.flow;

  it('English: UK national number, a company typed for the phone, "no thanks" at the summary', async () => {
    const john = customer(() => app, rec, 'hostile-john');
    const [askName] = await john.say(
      "Hi, I'm interested in your product, can someone from sales contact me?",
    );
    expect(askName?.awaiting).toEqual({ flow: 'lead_capture', slot: 'name' });
    await john.say('John Carter');
    const [askPhone] = await john.say('john.carter@acme-widgets.co.uk');
    expect(askPhone?.awaiting?.slot).toBe('phone');

    const noted = await john.say('Acme Widgets Ltd');
    expect(noted.map((r) => r.text).join('\n')).toContain('Acme Widgets Ltd');
    expect(noted.at(-1)?.awaiting?.slot).toBe('phone');

    const [askConsent] = await john.say('07911 123456');
    expect(askConsent?.awaiting?.slot).toBe('marketing_consent');
    expect(askConsent?.quickReplies?.map((q) => q.title)).toEqual(['Yes', 'No']);
    const [summary] = await john.say('yes');
    expect(summary?.text).toContain('Phone: +447911123456');
    expect(summary?.text).toContain('Company: Acme Widgets Ltd');

    const [which] = await john.say('no thanks');
    expect(which?.awaiting?.slot).toBe('#change');
    expect(which?.quickReplies?.map((q) => q.title)).toContain('Phone');
    const [askAgain] = await john.say('Phone');
    expect(askAgain?.awaiting?.slot).toBe('phone');
    const [again] = await john.say('07912 345678');
    expect(again?.text).toContain('Name: John Carter');
    expect(again?.text).toContain('Phone: +447912345678');
    const [done] = await john.say('yes');
    expect(done?.text).toMatch(/Thank you, John Carter/);

    const lead = await Lead.findOne({ email: 'john.carter@acme-widgets.co.uk' }).lean();
    expect(lead).toMatchObject({
      name: 'John Carter',
      phone: '+447912345678',
      company: 'Acme Widgets Ltd',
      marketingConsent: true,
    });
    const records = await ConsentRecord.find({ contactId: lead?.contactId }).lean();
    expect(records).toHaveLength(1);
    expect(records[0]).toMatchObject({ granted: true, language: 'en', by: 'customer' });
    expect(records[0]?.wording).toMatch(/news and offers/);
    const contact = await Contact.findById(lead?.contactId).lean();
    expect(contact?.marketingConsent?.granted).toBe(true);

    // Answers to the form are marked at the source: "what the bot missed" never lists them.
    const answers = await Message.find({
      conversationId: john.conversationId(),
      direction: 'in',
      text: { $in: ['John Carter', 'Acme Widgets Ltd', '07911 123456', 'no thanks'] },
    }).lean();
    expect(answers.map((m) => m.answerTo)).toEqual(['slot', 'slot', 'slot', 'slot']);
  });

  it('Spanish: an internationalised email, a question typed for the company, consent refused', async () => {
    const ana = customer(() => app, rec, 'hostile-ana');
    await ana.say('Hola, me interesa contratar vuestro servicio para mi empresa');
    await ana.say('Ana Muñoz');
    const [askPhone] = await ana.say('ana.munoz@cafeteria-lucía.es');
    expect(askPhone?.awaiting?.slot).toBe('phone');
    const [askCompany] = await ana.say('saltar');
    expect(askCompany?.awaiting?.slot).toBe('company');

    const replies = await ana.say('¿Qué tiempo hará mañana en París?');
    expect(replies.at(-1)?.awaiting?.slot).toBe('company');
    const flow = await flowOf(ana.conversationId());
    expect(flow?.slots).not.toHaveProperty('company');
    expect(flow?.attempts).toBe(0);

    const [askConsent] = await ana.say('Cafetería Lucía');
    expect(askConsent?.awaiting?.slot).toBe('marketing_consent');
    const [summary] = await ana.say('no');
    expect(summary?.text).toContain('Email: ana.munoz@cafeteria-lucía.es');
    expect(summary?.text).toContain('Novedades y ofertas: No');
    await ana.say('sí');

    const lead = await Lead.findOne({ email: 'ana.munoz@cafeteria-lucía.es' }).lean();
    expect(lead).toMatchObject({ name: 'Ana Muñoz', company: 'Cafetería Lucía' });
    expect(lead?.marketingConsent).toBe(false);
    const records = await ConsentRecord.find({ contactId: lead?.contactId }).lean();
    expect(records).toHaveLength(1);
    expect(records[0]).toMatchObject({ granted: false, language: 'es', channel: 'telegram' });
    expect(records[0]?.wording).toMatch(/novedades y ofertas/);
  });

  it('English: a question typed for the company is not stored; "unsubscribe" stops the form', async () => {
    const kate = customer(() => app, rec, 'hostile-kate');
    await kate.say("I'd like to buy your service for my team, please get in touch");
    await kate.say('Kate Brown');
    await kate.say('kate@brown.example');
    await kate.say('skip');
    const replies = await kate.say("What's the weather going to be like in Paris tomorrow?");
    expect(replies.at(-1)?.awaiting?.slot).toBe('company');
    expect((await flowOf(kate.conversationId()))?.slots).not.toHaveProperty('company');

    const [bye] = await kate.say('unsubscribe');
    expect(bye?.text).toMatch(/won't receive marketing/);
    expect(bye?.awaiting).toBeUndefined();
    expect(await flowOf(kate.conversationId())).toBeNull();
    const records = await ConsentRecord.find({ contactId: kate.contactId() }).lean();
    expect(records.map((r) => r.granted)).toEqual([false]);
  });
});
