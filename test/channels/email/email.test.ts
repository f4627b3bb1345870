/**
 * The email channel end to end over real SMTP on 127.0.0.1: nodemailer sends into Charla's
 * receiver, the replies land in an SMTP sink and are checked (threading headers, DKIM verified
 * with mailauth, text and HTML); machine mail (auto-reply, DSN, list, loop) is recorded and
 * never answered.
 */
import { generateKeyPairSync } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dkimVerify } from 'mailauth';
import { Types } from 'mongoose';
import { EmailBlob, MailEvent } from '../../../channels/email/store.js';
import { Contact, ContactIdentity } from '../../../src/kernel/db/models/contact.js';
import { Conversation } from '../../../src/kernel/db/models/conversation.js';
import { Message } from '../../../src/kernel/db/models/message.js';
import { eventually } from '../../support/app.js';
import type { SunkMail } from '../../support/smtp-sink.js';
import { customerAddress, emailHarness, SUPPORT } from './harness.js';

const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const DKIM_PEM = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
const DKIM_TXT = `v=DKIM1; k=rsa; p=${publicKey.export({ type: 'spki', format: 'der' }).toString('base64')}`;

const h = emailHarness({ DKIM_PRIVATE_KEY: DKIM_PEM, DKIM_SELECTOR: 'charla' });
let n = 0;
const fresh = () => `${Date.now() % 1_000_000}${++n}${Math.floor(Math.random() * 1000)}`;
const mailId = () => `<${fresh()}.${new Types.ObjectId().toHexString()}@customer.test>`;

const conversationOfSender = (from: string) =>
  eventually(() => Conversation.findOne({ channel: 'email', platformUserId: from }).lean());
const repliesTo = (to: string, count = 1) =>
  eventually(async () => {
    const got = h.sink().mails.filter((m) => m.envelopeTo.includes(to));
    return got.length >= count ? got : false;
  });
/** A stored blob's bytes (lean documents hold a BSON Binary). */
const bytesOf = async (platformId: string | null | undefined) => {
  const blob = await EmailBlob.findById(String(platformId).replace('email-blob:', '')).lean();
  const data = blob?.data as unknown as { buffer: Uint8Array } | undefined;
  return data ? Buffer.from(data.buffer) : Buffer.alloc(0);
};
const inboundOf = (conversationId: Types.ObjectId) =>
  Message.find({ conversationId, direction: 'in' }).sort({ createdAt: 1 }).lean();

beforeAll(() => h.start());
afterAll(() => h.stop());

describe('email: replies as letters in the customer thread', () => {
  let from: string;
  let firstId: string;
  let reply: SunkMail;
  let conversationId: Types.ObjectId;

  it('answers an FAQ mail with a DKIM-signed letter in the thread (text and HTML)', async () => {
    from = customerAddress(fresh());
    firstId = mailId();
    const res = await h.send({
      from: `Ana López <${from}>`,
      subject: 'Horario',
      text: '¿Cuál es vuestro horario?',
      messageId: firstId,
    });
    expect(res.status).toBe(200);
    const conv = await conversationOfSender(from);
    conversationId = conv._id;
    [reply] = (await repliesTo(from)) as [SunkMail];

    expect(reply.parsed.subject).toBe(`Re: Horario [#${conversationId.toHexString()}]`);
    expect(reply.parsed.inReplyTo).toBe(firstId);
    expect(reply.header('references')).toContain(firstId);
    expect(reply.parsed.replyTo?.text).toBe(`support+${conversationId.toHexString()}@charla.test`);
    expect(reply.parsed.from?.value[0]?.address).toBe(SUPPORT);
    expect(reply.header('auto-submitted')).toBe('auto-replied');
    // A letter: greeting with the name, the FAQ answer, a sign-off; the same in HTML.
    const text = reply.parsed.text ?? '';
    expect(text.startsWith('Hola, Ana:')).toBe(true);
    expect(text).toContain('9:00');
    expect(text).toContain('Un saludo,\nCharla Test');
    expect(reply.parsed.html).toContain('<p>Hola, Ana:</p>');
    expect(reply.parsed.html).toContain('9:00');
    // The stored reply names this mail's Message-ID.
    const out = await eventually(() =>
      Message.findOne({ conversationId, direction: 'out', status: 'sent' }).lean(),
    );
    expect(reply.parsed.messageId).toBe(out.platformMessageId);

    const verified = await dkimVerify(reply.raw, {
      resolver: async (name: string, type: string) => {
        if (type === 'TXT' && name === 'charla._domainkey.charla.test') return [[DKIM_TXT]];
        throw Object.assign(new Error('not found'), { code: 'ENOTFOUND' });
      },
    });
    expect(verified.results.map((r) => r.status.result)).toEqual(['pass']);
    expect(verified.results[0]?.signingDomain).toBe('charla.test');
  });

  it('threads a reply with quoted history into the same conversation, storing only the new words', async () => {
    const quoted = [
      'Gracias. ¿Y los sábados abrís?',
      '',
      '--',
      'Ana López',
      'Tel. 600 000 000',
      '',
      'El lun, 7 dic 2026 a las 10:00, Charla Test <support@charla.test> escribió:',
      '> Hola, Ana:',
      '> Nuestro horario es de lunes a viernes.',
    ].join('\n');
    const res = await h.send({
      from,
      subject: `Re: Horario [#${conversationId.toHexString()}]`,
      text: quoted,
      messageId: mailId(),
      inReplyTo: reply.parsed.messageId,
      references: [firstId, reply.parsed.messageId!],
    });
    expect(res.status).toBe(200);
    const inbound = await eventually(async () => {
      const all = await inboundOf(conversationId);
      return all.length === 2 ? all : false;
    });
    expect(inbound[1]?.text).toBe('Gracias. ¿Y los sábados abrís?');
    const original = inbound[1]?.attachments?.find((a) => a.name === 'original.eml');
    expect(original?.mimeType).toBe('message/rfc822');
    expect((await bytesOf(original?.platformId)).toString('utf8')).toContain('escribi');
    expect(await Conversation.countDocuments({ channel: 'email', platformUserId: from })).toBe(1);
    // The answer to it continues the thread too.
    const [, second] = (await repliesTo(from, 2)) as SunkMail[];
    expect(second!.header('references')).toContain(firstId);
  });

  it('threads by the reply token in the address and in the subject, from the same sender only', async () => {
    const token = conversationId.toHexString();
    expect(
      (
        await h.send({
          from,
          to: `support+${token}@charla.test`,
          subject: 'Otra cosa',
          text: 'Uno',
        })
      ).status,
    ).toBe(200);
    expect((await h.send({ from, subject: `Pregunta [#${token}]`, text: 'Dos' })).status).toBe(200);
    const inbound = await eventually(async () => {
      const all = await inboundOf(conversationId);
      return all.length === 4 ? all : false;
    });
    expect(inbound.slice(2).map((m) => m.text)).toEqual(['Uno', 'Dos']);
    // Someone else using the token opens their own conversation.
    const other = customerAddress(fresh());
    expect((await h.send({ from: other, subject: `[#${token}]`, text: 'Tres' })).status).toBe(200);
    const theirs = await conversationOfSender(other);
    expect(theirs._id.equals(conversationId)).toBe(false);
  });
});

describe('email: HTML, inline images and attachments', () => {
  it('turns HTML into text and keeps an inline image', async () => {
    const from = customerAddress(fresh());
    const png = Buffer.from(
      'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==',
      'base64',
    );
    const res = await h.send({
      from,
      subject: 'Foto',
      html: '<p>Hola, <b>mirad</b> esta foto del <i>paquete roto</i>:</p><img src="cid:foto1@x">',
      attachments: [
        { filename: 'roto.png', content: png, cid: 'foto1@x', contentType: 'image/png' },
      ],
    });
    expect(res.status).toBe(200);
    const conv = await conversationOfSender(from);
    const [message] = await eventually(async () => {
      const all = await inboundOf(conv._id);
      return all.length === 1 ? all : false;
    });
    expect(message!.text).toContain('mirad esta foto del paquete roto');
    expect(message!.text).not.toContain('<b>');
    const image = message!.attachments?.find((a) => a.kind === 'image');
    expect(image?.mimeType).toBe('image/png');
    expect((await bytesOf(image?.platformId)).equals(png)).toBe(true);
  });

  it('stores an attachment with its name and bytes', async () => {
    const from = customerAddress(fresh());
    const pdf = Buffer.from('%PDF-1.4 factura de prueba');
    const res = await h.send({
      from,
      subject: 'Factura',
      text: 'Os adjunto la factura.',
      attachments: [{ filename: 'factura.pdf', content: pdf, contentType: 'application/pdf' }],
    });
    expect(res.status).toBe(200);
    const conv = await conversationOfSender(from);
    const [message] = await inboundOf(conv._id);
    expect(message!.text).toBe('Os adjunto la factura.');
    const file = message!.attachments?.find((a) => a.name === 'factura.pdf');
    expect(file?.kind).toBe('file');
    expect((await bytesOf(file?.platformId)).equals(pdf)).toBe(true);
  });

  it('joins the contact that already has the sender email', async () => {
    const from = customerAddress(fresh());
    const known = await Contact.create({ name: 'Lead de la web', emails: [from] });
    expect((await h.send({ from, subject: 'Hola', text: 'Hola' })).status).toBe(200);
    const identity = await eventually(() =>
      ContactIdentity.findOne({ channel: 'email', platformUserId: from }).lean(),
    );
    expect(identity.contactId.equals(known._id)).toBe(true);
  });
});

describe('email: never answers a machine', () => {
  /** A conversation with one sent reply, to which machines then answer. */
  async function thread() {
    const from = customerAddress(fresh());
    expect((await h.send({ from, subject: 'Horario', text: '¿Qué horario tenéis?' })).status).toBe(
      200,
    );
    const conv = await conversationOfSender(from);
    const [reply] = (await repliesTo(from)) as [SunkMail];
    const counts = async () => ({
      messages: await Message.countDocuments({ conversationId: conv._id }),
      mails: h.sink().mails.filter((m) => m.envelopeTo.includes(from)).length,
    });
    const before = await eventually(async () => {
      const c = await counts();
      const pending = await Message.countDocuments({
        conversationId: conv._id,
        $or: [{ status: 'pending' }, { status: 'received' }],
      });
      return pending === 0 && c.mails >= 1 ? c : false;
    });
    return { from, conv, reply, counts, before };
  }

  it('records an out-of-office reply (Auto-Submitted) and does not answer it', async () => {
    const t = await thread();
    const id = mailId();
    const res = await h.send({
      from: t.from,
      subject: 'Fuera de la oficina: Re: Horario',
      text: 'Estoy de vacaciones hasta el lunes.',
      messageId: id,
      inReplyTo: t.reply.parsed.messageId,
      headers: { 'Auto-Submitted': 'auto-replied' },
    });
    // The 250 comes once the mail is recorded: nothing was stored as a message, nothing queued.
    expect(res.status).toBe(200);
    const event = await MailEvent.findById(id.slice(1, -1)).lean();
    expect(event?.kind).toBe('auto-reply');
    expect(event?.conversationId?.equals(t.conv._id)).toBe(true);
    expect(await t.counts()).toEqual(t.before);
  });

  it('records X-Autoreply, List-Id, Precedence: bulk and our own Message-ID without answering', async () => {
    const t = await thread();
    const cases: Array<[Record<string, string>, string, string]> = [
      [{ 'X-Autoreply': 'yes' }, 'auto-reply', mailId()],
      [{ 'List-Id': '<news.customer.test>' }, 'list', mailId()],
      [{ Precedence: 'bulk' }, 'list', mailId()],
      [{}, 'loop', `<charla.${new Types.ObjectId().toHexString()}@charla.test>`],
    ];
    for (const [headers, kind, id] of cases) {
      const res = await h.send({ from: t.from, text: 'x', headers, messageId: id });
      expect(res.status).toBe(200);
      expect((await MailEvent.findById(id.slice(1, -1)).lean())?.kind).toBe(kind);
    }
    expect(await t.counts()).toEqual(t.before);
  });

  it('marks our message failed with the reason a permanent DSN bounce gives', async () => {
    const t = await thread();
    const ours = t.reply.parsed.messageId!;
    const boundary = 'dsn-boundary';
    const dsn = [
      'From: Mail Delivery System <MAILER-DAEMON@customer.test>',
      `To: ${SUPPORT}`,
      'Subject: Undelivered Mail Returned to Sender',
      `Message-ID: ${mailId()}`,
      'Auto-Submitted: auto-replied',
      `Content-Type: multipart/report; report-type=delivery-status; boundary="${boundary}"`,
      'MIME-Version: 1.0',
      '',
      `--${boundary}`,
      'Content-Type: text/plain',
      '',
      'Your message could not be delivered.',
      `--${boundary}`,
      'Content-Type: message/delivery-status',
      '',
      'Reporting-MTA: dns; mx.customer.test',
      '',
      `Final-Recipient: rfc822; ${t.from}`,
      'Action: failed',
      'Status: 5.1.1',
      'Diagnostic-Code: smtp; 550 5.1.1 user unknown',
      '',
      `--${boundary}`,
      'Content-Type: text/rfc822-headers',
      '',
      `From: Charla Test <${SUPPORT}>`,
      `To: ${t.from}`,
      `Message-ID: ${ours}`,
      'Subject: Re: Horario',
      '',
      `--${boundary}--`,
      '',
    ].join('\r\n');
    const res = await h.send({
      from: 'MAILER-DAEMON@customer.test',
      raw: dsn,
      envelope: { from: '', to: [SUPPORT] },
    });
    expect(res.response).toMatch(/^250/);
    const local = ours.slice('<charla.'.length, ours.indexOf('@'));
    const failed = await Message.findById(local).lean();
    expect(failed?.status).toBe('failed');
    expect(failed?.error).toContain('5.1.1');
    expect(failed?.error).toContain('user unknown');
    expect(await t.counts()).toEqual(t.before);
  });
});
