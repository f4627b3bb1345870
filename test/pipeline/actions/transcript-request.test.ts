/**
 * A transcript on request, asked in the customer's own words: a customer who writes to the
 * support inbox "envíame la conversación por correo" (their email is known: they wrote from it)
 * gets the transcript through the system-mail transport, in Spanish, and the bot's answer says
 * where it went. Real SMTP both ways (the email harness: Charla's receiver, an SMTP sink).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '../../support/app.js';
import { customerAddress, emailHarness } from '../../channels/email/harness.js';

const h = emailHarness();
beforeAll(() => h.start());
afterAll(() => h.stop());

describe('transcript on request', () => {
  it('mails the conversation to the known address and says so', async () => {
    const from = customerAddress(`tr${Date.now() % 1_000_000}`);
    await h.send({
      from: `Ana López <${from}>`,
      subject: 'Copia',
      text: 'Hola, envíame la conversación por correo, por favor',
    });
    const transcript = await eventually(
      async () =>
        h
          .sink()
          .mails.find(
            (m) =>
              m.envelopeTo.includes(from) && /^Tu conversación con/.test(m.parsed.subject ?? ''),
          ),
      90_000,
    );
    expect(transcript.parsed.text).toContain('Aquí tienes la conversación');
    expect(transcript.parsed.text).toContain('envíame la conversación por correo');
    const answer = await eventually(
      async () =>
        h
          .sink()
          .mails.find(
            (m) =>
              m.envelopeTo.includes(from) &&
              (m.parsed.text ?? '').includes(`Te he enviado la conversación a ${from}`),
          ),
      90_000,
    );
    expect(answer.parsed.subject).toContain('Copia');
  }, 180_000);
});
