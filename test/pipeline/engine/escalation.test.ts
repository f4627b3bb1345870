import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Conversation } from '../../../src/kernel/db/models/conversation.js';
import { Message } from '../../../src/kernel/db/models/message.js';
import { eventually, startTestApp, type TestApp } from '../../support/app.js';
import { customer, recordingAdapter } from './chat.js';

describe('fallbacks, human hand-over, relay and resume', () => {
  let app: TestApp;
  const rec = recordingAdapter('telegram');
  const relayed: Array<{ conversationId: string; messageId: string }> = [];
  beforeAll(async () => {
    app = await startTestApp({}, { extraAdapters: [rec.adapter] });
    // Record relays, still running the real escalator's relay.
    const escalator = app.charla.services.escalator;
    const relay = escalator.relayCustomerMessage.bind(escalator);
    escalator.relayCustomerMessage = async (conversationId, messageId) => {
      relayed.push({ conversationId, messageId });
      return relay(conversationId, messageId);
    };
  });
  afterAll(async () => app?.stop());

  it('offers a person on the second fallback in a row; accepting queues the conversation', async () => {
    const c = customer(() => app, rec, 'confused');
    const [first] = await c.say('El perro de mi vecino ladra toda la noche sin parar');
    expect(first?.text).toMatch(/no te he entendido/);
    const [offer] = await c.say('Ayer llovió muchísimo en la sierra de Madrid');
    expect(offer?.text).toMatch(/persona/);
    expect(offer?.quickReplies?.map((q) => q.payload)).toEqual(['Sí', 'No']);
    expect(offer?.awaiting).toEqual({ flow: 'human_offer', slot: 'confirm' });
    const [handed] = await c.say('Sí');
    expect(handed?.text).toMatch(/Te paso con una persona/);
    const conversation = await Conversation.findById(c.conversationId()).lean();
    expect(conversation?.status).toBe('queued');
    expect(conversation?.escalation?.reason).toBe('fallback');
  });

  it('a recognised intent resets the fallback count; declining the offer keeps the bot', async () => {
    const c = customer(() => app, rec, 'declines');
    await c.say('The purple elephant sings opera on Tuesdays');
    const [hours] = await c.say('What are your opening hours?');
    expect(hours?.text).toMatch(/Monday to Friday/);
    const [again] = await c.say('My grandmother knits very long scarves');
    expect(again?.text).toMatch(/didn't understand/);
    const [offer] = await c.say('Bananas are yellow and sometimes green');
    expect(offer?.awaiting).toEqual({ flow: 'human_offer', slot: 'confirm' });
    expect(offer?.quickReplies?.map((q) => q.title)).toEqual(['Yes', 'No']);
    const [declined] = await c.say('No');
    expect(declined?.text).toMatch(/still here/);
    const conversation = await Conversation.findById(c.conversationId()).lean();
    expect(conversation?.status).toBe('bot');
    expect(conversation?.flow).toBeNull();
  });

  it('human_agent queues the conversation, the bot stays silent and relays, resume re-asks the slot', async () => {
    const c = customer(() => app, rec, 'wants-human');
    await c.say('Me interesa contratar el plan profesional para mi empresa');
    const [askEmail] = await c.say('Laura Pérez');
    expect(askEmail?.awaiting).toEqual({ flow: 'lead_capture', slot: 'email' });

    const [handed] = await c.say('Quiero hablar con una persona, por favor');
    expect(handed?.text).toMatch(/Te paso con una persona/);
    let conversation = await Conversation.findById(c.conversationId()).lean();
    expect(conversation?.status).toBe('queued');
    expect(conversation?.escalation?.reason).toBe('customer_request');
    expect(conversation?.flow).toBeNull();
    expect(conversation?.suspendedFlow).toMatchObject({
      name: 'lead_capture',
      slot: 'email',
      slots: { name: 'Laura Pérez' },
    });

    const silent = await c.say('¿Hola? ¿Hay alguien?');
    expect(silent).toEqual([]);
    const last = await Message.findOne({ conversationId: c.conversationId(), direction: 'in' })
      .sort({ _id: -1 })
      .lean();
    expect(relayed).toContainEqual({
      conversationId: c.conversationId(),
      messageId: last!._id.toHexString(),
    });

    // Staff close the escalation: the bot gets the conversation back and resumes the flow.
    const before = rec.sent.length;
    expect(await app.charla.services.escalator.close(c.conversationId(), 'admin')).toBe(true);
    const delivered = await eventually(async () => {
      const fresh = rec.sent.slice(before).filter((m) => m.conversationId === c.conversationId());
      return fresh.some((m) => m.awaiting) ? fresh : undefined;
    });
    const texts = delivered.map((m) => m.text);
    expect(texts).toContainEqual(expect.stringMatching(/Sigamos donde lo dejamos/));
    const prompt = delivered.find((m) => m.awaiting);
    expect(prompt?.awaiting).toEqual({ flow: 'lead_capture', slot: 'email' });
    expect(prompt?.text).toMatch(/correo electrónico/);
    conversation = await Conversation.findById(c.conversationId()).lean();
    expect(conversation?.flow).toMatchObject({ name: 'lead_capture', slot: 'email' });
    expect(conversation?.suspendedFlow).toBeNull();

    const [askPhone] = await c.say('laura@example.com');
    expect(askPhone?.awaiting).toEqual({ flow: 'lead_capture', slot: 'phone' });
  });

  it('too many invalid answers in open_case hands over to a person, keeping the flow aside', async () => {
    const c = customer(() => app, rec, 'stuck');
    const [ask] = await c.say('I want to report a problem with my order');
    expect(ask?.awaiting).toEqual({ flow: 'open_case', slot: 'description' });
    const [retry] = await c.say('...');
    expect(retry?.awaiting).toEqual({ flow: 'open_case', slot: 'description' });
    expect(retry?.text).toMatch(/a bit more detail/);
    await c.say('!!');
    const [handed] = await c.say('1234');
    expect(handed?.text).toMatch(/passing you to a person/);
    const conversation = await Conversation.findById(c.conversationId()).lean();
    expect(conversation?.status).toBe('queued');
    expect(conversation?.escalation?.reason).toBe('flow');
    expect(conversation?.suspendedFlow).toMatchObject({ name: 'open_case', slot: 'description' });
  });

  it('replies in the language of each message; short ones keep the conversation language', async () => {
    const c = customer(() => app, rec, 'bilingual');
    const [hola] = await c.say('Hola, buenas tardes');
    expect(hola?.text).toMatch(/Hola|Buenas/);
    const [hours] = await c.say('What time do you open tomorrow?');
    expect(hours?.text).toMatch(/Monday to Friday/);
    expect((await Conversation.findById(c.conversationId()).lean())?.locale).toBe('en');
    const [ok] = await c.say('ok');
    expect(ok?.text).toMatch(/didn't understand/);
    const inbound = await Message.find({ conversationId: c.conversationId(), direction: 'in' })
      .sort({ _id: 1 })
      .lean();
    expect(inbound.map((m) => m.nlu?.language)).toEqual(['es', 'en', 'en']);
    expect(inbound[1]?.nlu?.intent).toBe('business_hours');
    expect(inbound[2]?.nlu?.intent).toBeNull();
  });

  it('resume without a suspended flow sends nothing', async () => {
    const c = customer(() => app, rec, 'no-flow');
    await c.say('I need to speak to a human agent');
    expect((await Conversation.findById(c.conversationId()).lean())?.status).toBe('queued');
    await Conversation.updateOne({ _id: c.conversationId() }, { $set: { status: 'bot' } });
    const count = await Message.countDocuments({ conversationId: c.conversationId() });
    await app.charla.services.engine.resume(c.conversationId());
    expect(await Message.countDocuments({ conversationId: c.conversationId() })).toBe(count);
  });
});
