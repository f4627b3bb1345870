/**
 * Staff "forgot password" by email against a real Charla whose mail transport sends to an SMTP
 * sink on 127.0.0.1: the same 202 for an existing, unknown or disabled account (mail only for the
 * existing one, in the asked language), a single-use link that sets a new password and ends every
 * session, and `available: false` when no SMTP_URL is configured.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSmtpSink, type SmtpSink } from '../../support/smtp-sink.js';
import { eventually, startTestApp, type TestApp } from '../../support/app.js';
import { asAdminToken, call, PASSWORD, signIn } from './staff-client.js';

const NEW_PASSWORD = 'a brand new passphrase';

describe('forgot password by email', () => {
  let sink: SmtpSink;
  let app: TestApp;
  beforeAll(async () => {
    sink = await startSmtpSink();
    app = await startTestApp({
      SMTP_URL: sink.url,
      EMAIL_ADDRESS: 'charla@shop.test',
      PUBLIC_URL: 'https://charla.shop.test',
    });
  });
  afterAll(async () => {
    await app?.stop();
    await sink?.close();
  });

  const linkIn = (to: string) =>
    eventually(async () => {
      const mail = sink.mails.find((m) => m.envelopeTo.includes(to));
      const link = /https:\/\/charla\.shop\.test\/console\/reset-password\?token=([\w-]+)/.exec(
        mail?.parsed.text ?? '',
      );
      return mail && link ? { mail, token: link[1]! } : false;
    });

  it('answers 202 alike for every address and mails a single-use link to the account only', async () => {
    const created = await call(app, 'POST', '/api/users', {
      body: { email: 'eva@shop.test', name: 'Eva', role: 'agent', password: PASSWORD },
      headers: asAdminToken,
    });
    expect(created.status).toBe(201);
    const disabled = await call(app, 'POST', '/api/users', {
      body: { email: 'off@shop.test', name: 'Off', role: 'agent', password: PASSWORD },
      headers: asAdminToken,
    });
    await call(app, 'PATCH', `/api/users/${disabled.body.id}`, {
      body: { disabled: true },
      headers: asAdminToken,
    });
    expect((await call(app, 'GET', '/api/auth/forgot-password')).body).toEqual({ available: true });

    const answers = await Promise.all(
      ['nobody@shop.test', 'off@shop.test', 'EVA@shop.test'].map((email) =>
        call(app, 'POST', '/api/auth/forgot-password', { body: { email, locale: 'en' } }),
      ),
    );
    for (const a of answers) expect([a.status, a.body]).toEqual([202, { accepted: true }]);

    const session = await signIn(app, 'eva@shop.test', PASSWORD);
    const { mail, token } = await linkIn('eva@shop.test');
    expect(mail.parsed.subject).toBe('Reset your Charla password');
    expect(mail.parsed.text).toContain('Hello Eva,');
    expect(mail.header('auto-submitted')).toBe('auto-generated');
    // The mail to Eva went out after the other two were handled: none was sent to them.
    expect(sink.mails.some((m) => m.envelopeTo.includes('nobody@shop.test'))).toBe(false);
    expect(sink.mails.some((m) => m.envelopeTo.includes('off@shop.test'))).toBe(false);

    const reset = await call(app, 'POST', '/api/auth/reset-password', {
      body: { token, password: NEW_PASSWORD },
    });
    expect(reset.status).toBe(204);
    // Every session of the account ended; the new password works, the old does not.
    const me = await call(app, 'GET', '/api/auth/me', { headers: { cookie: session.cookie } });
    expect(me.status).toBe(401);
    const oldLogin = await call(app, 'POST', '/api/auth/login', {
      body: { email: 'eva@shop.test', password: PASSWORD },
    });
    expect(oldLogin.status).toBe(401);
    await signIn(app, 'eva@shop.test', NEW_PASSWORD);

    // Spent: the same link again is refused.
    const again = await call(app, 'POST', '/api/auth/reset-password', {
      body: { token, password: 'yet another passphrase' },
    });
    expect(again.status).toBe(400);
    expect(again.body.error.code).toBe('invalid_token');
  });

  it('mails in Spanish when asked, and refuses a made-up token and a short password', async () => {
    await call(app, 'POST', '/api/users', {
      body: { email: 'luis@shop.test', name: 'Luis', role: 'agent', password: PASSWORD },
      headers: asAdminToken,
    });
    await call(app, 'POST', '/api/auth/forgot-password', {
      body: { email: 'luis@shop.test', locale: 'es' },
    });
    const { mail, token } = await linkIn('luis@shop.test');
    expect(mail.parsed.subject).toBe('Restablecer su contraseña de Charla');
    expect(mail.parsed.text).toContain('Hola, Luis:');
    const short = await call(app, 'POST', '/api/auth/reset-password', {
      body: { token, password: 'short' },
    });
    expect(short.status).toBe(400);
    const forged = await call(app, 'POST', '/api/auth/reset-password', {
      body: { token: 'x'.repeat(43), password: NEW_PASSWORD },
    });
    expect([forged.status, forged.body.error.code]).toEqual([400, 'invalid_token']);
  });
});

describe('forgot password without mail', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp({});
  });
  afterAll(async () => app?.stop());

  it('says reset by email is unavailable and still answers 202', async () => {
    expect((await call(app, 'GET', '/api/auth/forgot-password')).body).toEqual({
      available: false,
    });
    const res = await call(app, 'POST', '/api/auth/forgot-password', {
      body: { email: 'who@shop.test' },
    });
    expect(res.status).toBe(202);
  });
});
