/**
 * Staff invitations by mail against a real Charla whose mail transport sends to an SMTP sink on
 * 127.0.0.1: an account created without a password gets a letter in the invitee's language with
 * a single-use link (72 hours) that sets the password; a refused mail and a Charla without mail
 * both answer a temporary password instead. Audited.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuditEntry } from '../../../src/kernel/db/models/audit-entry.js';
import { startSmtpSink, type SmtpSink } from '../../support/smtp-sink.js';
import { eventually, startTestApp, type TestApp } from '../../support/app.js';
import { createResetTokens } from '../../../src/features/auth/reset-tokens.js';
import { asAdminToken, call, PASSWORD, signIn } from './staff-client.js';

const CHOSEN = 'my own chosen passphrase';

describe('staff invitations by mail', () => {
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

  const invitationTo = (to: string) =>
    eventually(async () => {
      const mail = sink.mails.find((m) => m.envelopeTo.includes(to));
      const link =
        /https:\/\/charla\.shop\.test\/console\/reset-password\?token=([\w-]+)&invitation=1/.exec(
          mail?.parsed.text ?? '',
        );
      return mail && link ? { mail, token: link[1]! } : false;
    });
  const tokenKey = (token: string) =>
    createResetTokens(app.charla.services.redis, app.charla.services.config.queuePrefix).keyOf(
      token,
    );

  it('mails a Spanish invitation whose link sets the password once', async () => {
    const admin = await call(app, 'POST', '/api/users', {
      body: { email: 'marta@shop.test', name: 'Marta Admin', role: 'admin', password: PASSWORD },
      headers: asAdminToken,
    });
    expect(admin.body).toMatchObject({ invitation: 'none', temporaryPassword: null });
    const marta = await signIn(app, 'marta@shop.test', PASSWORD);
    const created = await marta.call('POST', '/api/users', {
      email: 'Nuria@Shop.test',
      name: 'Nuria',
      role: 'agent',
      locale: 'es',
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      email: 'nuria@shop.test',
      invitation: 'sent',
      temporaryPassword: null,
    });
    const expires = Date.parse(created.body.invitationExpiresAt) - Date.now();
    expect(expires).toBeGreaterThan(71 * 3600_000);
    expect(expires).toBeLessThanOrEqual(72 * 3600_000);

    const { mail, token } = await invitationTo('nuria@shop.test');
    expect(mail.parsed.subject).toBe('Le han invitado a Charla');
    expect(mail.parsed.text).toContain('Hola, Nuria:');
    expect(mail.parsed.text).toContain('Marta Admin le ha creado una cuenta');
    expect(mail.parsed.text).toContain('rol: agente');
    expect(mail.header('auto-submitted')).toBe('auto-generated');
    // The link expires with its Redis key: 72 hours.
    const ttl = await app.charla.services.redis.ttl(tokenKey(token));
    expect(ttl).toBeGreaterThan(71 * 3600);
    expect(ttl).toBeLessThanOrEqual(72 * 3600);

    // Nobody can sign in before the invitee chose a password.
    const before = await call(app, 'POST', '/api/auth/login', {
      body: { email: 'nuria@shop.test', password: PASSWORD },
    });
    expect(before.status).toBe(401);
    const set = await call(app, 'POST', '/api/auth/reset-password', {
      body: { token, password: CHOSEN },
    });
    expect(set.status).toBe(204);
    const nuria = await signIn(app, 'nuria@shop.test', CHOSEN);
    const me = await nuria.call('GET', '/api/auth/me');
    expect(me.body.user.mustChangePassword).toBe(false);
    const again = await call(app, 'POST', '/api/auth/reset-password', {
      body: { token, password: 'another chosen passphrase' },
    });
    expect([again.status, again.body.error.code]).toEqual([400, 'invalid_token']);

    const audits = await AuditEntry.find({ targetId: created.body.id }).lean();
    const byAction = new Map(audits.map((a) => [a.action, a]));
    expect(byAction.get('user.create')?.details).toMatchObject({ access: 'invitation' });
    expect(byAction.get('user.invitation_sent')).toMatchObject({
      actor: `user:${marta.user.id}`,
      details: { locale: 'es' },
    });
    expect(byAction.get('auth.password_reset')?.details).toMatchObject({
      by: 'invitation link',
    });
    expect(JSON.stringify(audits)).not.toContain(CHOSEN);
  });

  it('an expired link no longer works; English when asked', async () => {
    const created = await call(app, 'POST', '/api/users', {
      body: { email: 'tom@shop.test', name: 'Tom', role: 'viewer', locale: 'en' },
      headers: asAdminToken,
    });
    expect(created.body.invitation).toBe('sent');
    const { mail, token } = await invitationTo('tom@shop.test');
    expect(mail.parsed.subject).toBe("You're invited to Charla");
    expect(mail.parsed.text).toContain('Hello Tom,');
    expect(mail.parsed.text).toContain('within the next 3 days');
    // Let the link's key run out as 72 hours would.
    const redis = app.charla.services.redis;
    await redis.pexpire(tokenKey(token), 1);
    await eventually(async () => (await redis.exists(tokenKey(token))) === 0);
    const late = await call(app, 'POST', '/api/auth/reset-password', {
      body: { token, password: CHOSEN },
    });
    expect([late.status, late.body.error.code]).toEqual([400, 'invalid_token']);
  });

  it('a refused invitation answers a temporary password instead', async () => {
    sink.failNext('permanent', 1);
    const created = await call(app, 'POST', '/api/users', {
      body: { email: 'rita@shop.test', name: 'Rita', role: 'agent' },
      headers: asAdminToken,
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ invitation: 'failed', invitationExpiresAt: null });
    expect(created.body.temporaryPassword).toMatch(/^[a-z2-9]{4}(-[a-z2-9]{4}){3}$/);
    const rita = await signIn(app, 'rita@shop.test', created.body.temporaryPassword);
    expect((await rita.call('GET', '/api/auth/me')).body.user.mustChangePassword).toBe(true);
    const failed = await AuditEntry.findOne({
      targetId: created.body.id,
      action: 'user.invitation_failed',
    }).lean();
    expect(failed?.details).toMatchObject({ code: 550 });
  });
});

describe('new staff without mail', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp({});
  });
  afterAll(async () => app?.stop());

  it('answers a temporary password to change at first sign-in', async () => {
    const created = await call(app, 'POST', '/api/users', {
      body: { email: 'sam@shop.test', name: 'Sam', role: 'agent', locale: 'en' },
      headers: asAdminToken,
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ invitation: 'none', invitationExpiresAt: null });
    const sam = await signIn(app, 'sam@shop.test', created.body.temporaryPassword);
    expect((await sam.call('GET', '/api/auth/me')).body.user.mustChangePassword).toBe(true);
    const audit = await AuditEntry.findOne({ targetId: created.body.id, action: 'user.create' });
    expect(audit?.details).toMatchObject({ access: 'temporary_password' });
  });
});
