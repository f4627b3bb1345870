import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Contact } from '../../../src/kernel/db/models/contact.js';
import { Conversation } from '../../../src/kernel/db/models/conversation.js';
import { Lead } from '../../../src/kernel/db/models/lead.js';
import { Message } from '../../../src/kernel/db/models/message.js';
import { eventually, startTestApp, type TestApp } from '../../support/app.js';
import { customer, recordingAdapter } from './chat.js';

describe('lead capture flow', () => {
  let app: TestApp;
  const rec = recordingAdapter('telegram');
  const wa = recordingAdapter('whatsapp');
  beforeAll(async () => {
    app = await startTestApp({}, { extraAdapters: [rec.adapter, wa.adapter] });
  });
  afterAll(async () => app?.stop());

  it('captures a lead in Spanish: invalid email re-asked, phone given, confirmed, stored in E.164', async () => {
    const ana = customer(() => app, rec, 'ana');
    const [first] = await ana.say('Hola, me interesa contratar vuestro servicio para mi empresa');
    expect(first?.awaiting).toEqual({ flow: 'lead_capture', slot: 'name' });
    expect(first?.text).toMatch(/cómo te llamas/);

    const startedAt = (await Conversation.findById(ana.conversationId()).lean())?.flow?.startedAt;
    expect(startedAt).toBeInstanceOf(Date);
    const [askEmail] = await ana.say('Ana García');
    expect((await Conversation.findById(ana.conversationId()).lean())?.flow?.startedAt).toEqual(
      startedAt,
    );
    expect(askEmail?.awaiting).toEqual({ flow: 'lead_capture', slot: 'email' });
    expect(askEmail?.text).toContain('Ana García');

    const [again] = await ana.say('ana.garcia@@ejemplo');
    expect(again?.awaiting).toEqual({ flow: 'lead_capture', slot: 'email' });
    expect(again?.text).toMatch(/no parece válido/);

    const [askPhone] = await ana.say('Mi correo es Ana.Garcia@Ejemplo.com');
    expect(askPhone?.awaiting).toEqual({ flow: 'lead_capture', slot: 'phone' });
    expect(askPhone?.quickReplies?.map((q) => q.title)).toEqual(['Omitir']);

    const [askCompany] = await ana.say('+34 612 34 56 78');
    expect(askCompany?.awaiting).toEqual({ flow: 'lead_capture', slot: 'company' });

    // A company name the NLU takes for a pricing question is still the answer to the slot.
    const [askConsent] = await ana.say('Precios Bajos SL');
    expect(askConsent?.awaiting).toEqual({ flow: 'lead_capture', slot: 'marketing_consent' });
    const [confirm] = await ana.say('no');
    expect(confirm?.awaiting).toEqual({ flow: 'lead_capture', slot: 'confirm' });
    expect(confirm?.quickReplies?.map((q) => q.title)).toEqual(['Sí', 'No']);
    expect(confirm?.text).toContain('Email: ana.garcia@ejemplo.com');
    expect(confirm?.text).toContain('Teléfono: +34612345678');

    const [done] = await ana.say('Sí');
    expect(done?.text).toMatch(/Gracias, Ana García/);
    expect(done?.awaiting).toBeUndefined();

    const leads = await Lead.find({ email: 'ana.garcia@ejemplo.com' }).lean();
    expect(leads).toHaveLength(1);
    expect(leads[0]).toMatchObject({
      name: 'Ana García',
      phone: '+34612345678',
      company: 'Precios Bajos SL',
      channel: 'telegram',
    });
    expect(String(leads[0]?.contactId)).toBe(ana.contactId());
    expect(String(leads[0]?.conversationId)).toBe(ana.conversationId());
    const contact = await Contact.findById(ana.contactId()).lean();
    expect(contact?.emails).toContain('ana.garcia@ejemplo.com');
    expect(contact?.phones).toContain('+34612345678');
    const conversation = await Conversation.findById(ana.conversationId()).lean();
    expect(conversation?.flow).toBeNull();
    expect(conversation?.locale).toBe('es');
    expect(conversation?.intentsSeen).toContain('lead_interest');
    const inbound = await Message.findOne({ conversationId: ana.conversationId(), direction: 'in' })
      .sort({ _id: 1 })
      .lean();
    expect(inbound?.nlu).toMatchObject({ intent: 'lead_interest', language: 'es' });
  });

  it('captures a lead in English with the phone skipped, and updates it on a second capture', async () => {
    const john = customer(() => app, rec, 'john');
    const [first] = await john.say(
      "I'm interested in your product, can someone from sales contact me?",
    );
    expect(first?.awaiting).toEqual({ flow: 'lead_capture', slot: 'name' });
    expect(first?.text).toMatch(/what's your name/i);

    await john.say('John Smith');
    const [askPhone] = await john.say('john.smith@example.org');
    expect(askPhone?.awaiting?.slot).toBe('phone');
    expect(askPhone?.quickReplies?.map((q) => q.title)).toEqual(['Skip']);

    const [askCompany] = await john.say('Skip');
    expect(askCompany?.awaiting?.slot).toBe('company');
    await john.say('no');
    const [confirm] = await john.say('no');
    expect(confirm?.awaiting?.slot).toBe('confirm');
    expect(confirm?.text).toContain('Phone: —');
    const [done] = await john.say('yes');
    expect(done?.text).toMatch(/Thank you, John Smith/);

    const lead = await Lead.findOne({ email: 'john.smith@example.org' }).lean();
    expect(lead?.phone).toBeUndefined();
    expect(lead?.company).toBeUndefined();

    // The same person again, now with a phone and a company: the lead is updated, not duplicated.
    await john.say('I would like a quote for my company');
    await john.say('John Smith');
    await john.say('john.smith@example.org');
    await john.say('+44 7911 123456');
    await john.say('Acme Ltd');
    await john.say('no');
    const [updated] = await john.say('yes');
    expect(updated?.text).toMatch(/Thank you/);
    const leads = await Lead.find({ email: 'john.smith@example.org' }).lean();
    expect(leads).toHaveLength(1);
    expect(leads[0]).toMatchObject({ phone: '+447911123456', company: 'Acme Ltd' });
  });

  it('answers an FAQ mid-flow and asks the pending slot again', async () => {
    const eva = customer(() => app, rec, 'eva');
    await eva.say('Quiero que me contactéis para contratar el plan profesional');
    const [askEmail] = await eva.say('Hola, soy Eva Martín');
    expect(askEmail?.awaiting).toEqual({ flow: 'lead_capture', slot: 'email' });
    expect(askEmail?.text).toContain('Gracias, Eva Martín.');
    const replies = await eva.say('¿Cuánto cuesta al mes?');
    expect(replies).toHaveLength(2);
    expect(replies[0]?.text).toMatch(/planes/);
    expect(replies[0]?.awaiting).toBeUndefined();
    expect(replies[1]?.awaiting).toEqual({ flow: 'lead_capture', slot: 'email' });
    const [askPhone] = await eva.say('eva@example.com');
    expect(askPhone?.awaiting?.slot).toBe('phone');
  });

  it('handles a burst of messages in order (a whole capture sent before any reply)', async () => {
    const answers = [
      'Me interesa contratar vuestro servicio',
      'Olga Ruiz',
      'olga@example.com',
      'saltar',
      'Ruiz Abogados',
      'no',
      'sí',
    ];
    const ids: string[] = [];
    for (const [i, text] of answers.entries()) {
      const res = await app.charla.services.ingest.ingest({
        channel: 'telegram',
        platformMessageId: `burst-${i}`,
        platformUserId: 'olga',
        platformConversationId: 'chat-olga',
        text,
      });
      ids.push(res.messageId);
    }
    const lead = await eventually(async () => Lead.findOne({ email: 'olga@example.com' }).lean());
    expect(lead).toMatchObject({ name: 'Olga Ruiz', company: 'Ruiz Abogados' });
    expect(lead.phone).toBeUndefined();
    // The lead is written before the last message is marked processed: wait for that too.
    await eventually(async () =>
      (await Message.find({ _id: { $in: ids } }).lean()).every((m) => m.status === 'processed'),
    );
  });

  it('does not ask a WhatsApp customer for the phone the platform already gave', async () => {
    const pilar = customer(() => app, wa, 'wa-34655443322', { senderPhone: '34655443322' });
    await pilar.say('Me interesa contratar el servicio, ¿me contactáis?');
    await pilar.say('Pilar Gómez');
    const [askCompany] = await pilar.say('pilar@example.com');
    expect(askCompany?.awaiting).toEqual({ flow: 'lead_capture', slot: 'company' });
    await pilar.say('saltar');
    const [confirm] = await pilar.say('no');
    expect(confirm?.text).toContain('Teléfono: +34655443322');
    await pilar.say('sí');
    const lead = await Lead.findOne({ email: 'pilar@example.com' }).lean();
    expect(lead).toMatchObject({ phone: '+34655443322', channel: 'whatsapp' });
  });

  it('switches to another flow when the answer is a request for it', async () => {
    const raul = customer(() => app, rec, 'raul');
    const [askName] = await raul.say('Me interesa vuestro servicio, quiero contratarlo');
    expect(askName?.awaiting).toEqual({ flow: 'lead_capture', slot: 'name' });
    const [askDescription] = await raul.say('Mejor quiero abrir una incidencia de soporte');
    expect(askDescription?.awaiting).toEqual({ flow: 'open_case', slot: 'description' });
    expect((await Conversation.findById(raul.conversationId()).lean())?.flow?.name).toBe(
      'open_case',
    );
  });

  it('leaves the flow on "cancelar" and on "cancel"', async () => {
    const luis = customer(() => app, rec, 'luis');
    await luis.say('Me interesa, quiero que me llame un comercial para contratar');
    const [bye] = await luis.say('cancelar');
    expect(bye?.text).toMatch(/lo dejamos aquí/);
    expect(bye?.awaiting).toBeUndefined();
    expect((await Conversation.findById(luis.conversationId()).lean())?.flow).toBeNull();
    const [moot] = await luis.say('cancelar');
    expect(moot?.text).toMatch(/No hay nada en curso que cancelar/);
    expect((await Conversation.findById(luis.conversationId()).lean())?.fallbackCount).toBe(0);

    const kate = customer(() => app, rec, 'kate');
    await kate.say("I'd like to buy your service for my team, please get in touch");
    await kate.say('Kate Brown');
    const [gone] = await kate.say('cancel');
    expect(gone?.text).toMatch(/leave it there/);
    expect((await Conversation.findById(kate.conversationId()).lean())?.flow).toBeNull();
    expect(await Lead.countDocuments({ name: 'Kate Brown' })).toBe(0);
  });
});
