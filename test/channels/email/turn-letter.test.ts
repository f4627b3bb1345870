/**
 * One mail per bot turn: a turn that writes several messages (an answer, options, a follow-up)
 * reaches the customer as ONE letter — greeting once, the messages as paragraphs, the options
 * as a short numbered list, one sign-off — sent with the turn's last message, each message
 * naming that mail's Message-ID. Real SMTP on 127.0.0.1 (the email harness and its sink); the
 * turn's messages are stored as the engine stores them (storeReplies with replyTo) and handed
 * to the adapter in order, as the delivery path does. Answering "2" picks the turn's second
 * option.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Types } from 'mongoose';
import { outboundOf } from '../../../src/pipeline/queues/outbound.js';
import { storeReplies } from '../../../src/kernel/db/messages.js';
import { Conversation } from '../../../src/kernel/db/models/conversation.js';
import { Message } from '../../../src/kernel/db/models/message.js';
import { eventually } from '../../support/app.js';
import { customerAddress, emailHarness } from './harness.js';

const h = emailHarness();
beforeAll(() => h.start());
afterAll(() => h.stop());

const mailsTo = (to: string) => h.sink().mails.filter((m) => m.envelopeTo.includes(to));

describe('email: one letter per bot turn', () => {
  it('sends a three-message turn as one letter, and a numbered answer picks the option', async () => {
    const from = customerAddress(`turn${Date.now() % 1_000_000}`);
    const first = `<${new Types.ObjectId().toHexString()}@customer.test>`;
    await h.send({
      from: `Ana López <${from}>`,
      subject: 'Horario',
      text: '¿Horario?',
      messageId: first,
    });
    const conv = await eventually(() =>
      Conversation.findOne({ channel: 'email', platformUserId: from }).lean(),
    );
    await eventually(async () => (mailsTo(from).length === 1 ? true : false));
    const inbound = (await Message.findOne({ conversationId: conv._id, direction: 'in' }).lean())!;

    // The customer's next mail, and the turn the bot wrote for it: three messages.
    const second = new Types.ObjectId().toHexString();
    const asked = await Message.create({
      conversationId: conv._id,
      contactId: conv.contactId,
      channel: 'email',
      direction: 'in',
      author: 'customer',
      text: 'Tengo otra pregunta',
      platformMessageId: `${second}@customer.test`,
      dedupeKey: `email:${second}@customer.test`,
      status: 'processed',
    });
    const turn = await storeReplies(
      {
        conversationId: conv._id,
        contactId: conv.contactId,
        channel: 'email',
        author: 'bot',
        replyTo: asked._id,
      },
      [
        { _id: new Types.ObjectId(), text: 'Claro, te ayudo con eso.' },
        {
          _id: new Types.ObjectId(),
          text: '¿Sobre qué es tu pregunta?',
          quickReplies: [
            { title: 'Envíos', payload: 'shipping' },
            { title: 'Devoluciones', payload: 'returns' },
          ],
        },
        { _id: new Types.ObjectId(), text: 'O escríbeme la pregunta directamente.' },
      ],
    );
    const fresh = (await Conversation.findById(conv._id).lean())!;
    const results = [];
    for (const m of turn) results.push(await h.adapter().send(outboundOf(fresh, m)));

    const mails = mailsTo(from);
    expect(mails).toHaveLength(2); // the first answer, and ONE letter for the three messages
    const letter = mails[1]!;
    expect(letter.parsed.text?.trim()).toBe(
      [
        'Hola, Ana:',
        'Claro, te ayudo con eso.',
        '¿Sobre qué es tu pregunta?',
        'O escríbeme la pregunta directamente.',
        'Puede responder a este correo con el número o el nombre de una opción:\n1. Envíos\n2. Devoluciones',
        'Un saludo,\nCharla Test',
      ].join('\n\n'),
    );
    expect((letter.parsed.html || '').match(/Hola, Ana:/g)).toHaveLength(1);
    expect(letter.parsed.html).toContain('<ol><li>Envíos</li><li>Devoluciones</li></ol>');
    expect(letter.parsed.inReplyTo).toBe(`<${second}@customer.test>`);
    // Every message of the turn names the one mail that carried it.
    expect(new Set(results.map((r) => r.platformMessageId))).toEqual(
      new Set([letter.parsed.messageId]),
    );
    expect(letter.parsed.messageId).toContain(turn[2]!._id.toHexString());
    expect(inbound.platformMessageId).toBe(first.slice(1, -1));

    // "2" answers the letter's second option.
    await h.send({
      from,
      subject: `Re: Horario [#${conv._id.toHexString()}]`,
      text: '2',
      inReplyTo: letter.parsed.messageId,
    });
    const chosen = await eventually(async () => {
      const all = await Message.find({ conversationId: conv._id, direction: 'in' })
        .sort({ createdAt: 1 })
        .lean();
      return all.length === 3 ? all[2] : false;
    });
    expect(chosen.text).toBe('returns');
  });
});
