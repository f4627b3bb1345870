/**
 * Staff accounts API against a real Charla: validation (400, nothing changed), duplicate email
 * (409), the list, changes with their audit entries (personal data masked), password change
 * ending old sessions, and "never zero admins" (409 last_admin).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuditEntry } from '../../../src/kernel/db/models/audit-entry.js';
import { startTestApp, type TestApp } from '../../support/app.js';
import { asAdminToken, call, PASSWORD, signIn, staffWithRole, type Json } from './staff-client.js';

describe('/api/users', () => {
  let app: TestApp;
  const admin = (method: string, path: string, body?: unknown) =>
    call(app, method, path, { body, headers: asAdminToken });
  const count = async () => (await admin('GET', '/api/users')).body.total as number;

  beforeAll(async () => {
    app = await startTestApp();
  });
  afterAll(async () => app?.stop());

  it('validates the new user: 400 with the field, and nothing is created', async () => {
    const before = await count();
    const cases: Array<[Json, string]> = [
      [{ email: 'x@example.com', name: 'X', role: 'agent', password: 'eleven-char' }, 'password'],
      [{ email: 'not-an-email', name: 'X', role: 'agent', password: PASSWORD }, 'email'],
      [{ email: 'x@example.com', name: 'X', role: 'owner', password: PASSWORD }, 'role'],
      [{ email: 'x@example.com', name: '', role: 'agent', password: PASSWORD }, 'name'],
    ];
    for (const [body, field] of cases) {
      const res = await admin('POST', '/api/users', body);
      expect(res.status, field).toBe(400);
      expect(res.body.error.code).toBe('invalid_request');
      expect(res.body.error.details.map((d: { path: string }) => d.path)).toContain(field);
    }
    expect(await count()).toBe(before);
  });

  it('refuses a duplicate email whatever its case (409)', async () => {
    const body = { email: 'dup@example.com', name: 'Dup', role: 'viewer', password: PASSWORD };
    expect((await admin('POST', '/api/users', body)).status).toBe(201);
    const again = await admin('POST', '/api/users', { ...body, email: 'DUP@example.com' });
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('email_taken');
  });

  it('lists users with role, disabled, createdAt and lastLoginAt, never a hash', async () => {
    const staff = await staffWithRole(app, 'agent');
    const list = await admin('GET', '/api/users?limit=200');
    expect(list.status).toBe(200);
    const item = list.body.items.find((u: { id: string }) => u.id === staff.user.id);
    expect(item).toEqual({
      id: staff.user.id,
      email: staff.user.email,
      name: staff.user.name,
      role: 'agent',
      disabled: false,
      mustChangePassword: false,
      createdAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      lastLoginAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
    });
    expect(JSON.stringify(list.body)).not.toMatch(/argon2|passwordHash/);
    expect(list.body.total).toBe(list.body.items.length);
    const page = await admin('GET', '/api/users?limit=1&offset=1');
    expect(page.body.items).toHaveLength(1);
    expect(page.body.items[0].id).toBe(list.body.items[1].id);
  });

  it('changes role and name, audited with before/after (names masked)', async () => {
    const staff = await staffWithRole(app, 'viewer');
    const res = await admin('PATCH', `/api/users/${staff.user.id}`, {
      role: 'marketer',
      name: 'Renamed Person',
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ role: 'marketer', name: 'Renamed Person' });
    const entry = await AuditEntry.findOne({ action: 'user.update', targetId: staff.user.id })
      .sort({ createdAt: -1 })
      .lean();
    expect(entry).toMatchObject({
      actor: 'admin-token',
      targetType: 'user',
      before: { role: 'viewer', name: '***' },
      after: { role: 'marketer', name: '***' },
    });
    expect((await admin('PATCH', `/api/users/${staff.user.id}`, {})).status).toBe(400);
    expect(
      (await admin('PATCH', '/api/users/0123456789abcdef01234567', { name: 'N' })).status,
    ).toBe(404);
    expect((await admin('PATCH', '/api/users/not-an-id', { name: 'N' })).status).toBe(404);
  });

  it('a new password ends the old sessions and the old password stops working', async () => {
    const staff = await staffWithRole(app, 'agent');
    const newPassword = 'a brand new passphrase';
    const res = await admin('PATCH', `/api/users/${staff.user.id}`, { password: newPassword });
    expect(res.status).toBe(200);
    expect((await staff.call('GET', '/api/auth/me')).status).toBe(401);
    await expect(signIn(app, staff.user.email, PASSWORD)).rejects.toThrow(/login 401/);
    expect((await signIn(app, staff.user.email, newPassword)).user.id).toBe(staff.user.id);
    const entry = await AuditEntry.findOne({ action: 'user.update', targetId: staff.user.id })
      .sort({ createdAt: -1 })
      .lean();
    expect(entry?.details).toEqual({ passwordChanged: true });
    expect(JSON.stringify(entry)).not.toContain(newPassword);
  });

  it('never leaves zero enabled admins: demote, disable and delete of the last one are 409', async () => {
    // In this database the only admins are the ones this test creates.
    const first = await staffWithRole(app, 'admin');
    const others = (await admin('GET', '/api/users?limit=200')).body.items.filter(
      (u: { role: string; id: string }) => u.role === 'admin' && u.id !== first.user.id,
    );
    for (const other of others) await admin('DELETE', `/api/users/${other.id}`);

    for (const [method, body] of [
      ['PATCH', { role: 'agent' }],
      ['PATCH', { disabled: true }],
      ['DELETE', undefined],
    ] as const) {
      // The admin acting on themselves, by cookie.
      const res = await first.call(method, `/api/users/${first.user.id}`, body);
      expect(res.status, `${method} ${JSON.stringify(body)}`).toBe(409);
      expect(res.body.error).toEqual({
        code: 'last_admin',
        message: expect.stringContaining('no enabled admin'),
      });
    }
    expect((await first.call('GET', '/api/auth/me')).body.user.role).toBe('admin');

    // With a second admin, the first may step down.
    const second = await staffWithRole(app, 'admin');
    const demoted = await first.call('PATCH', `/api/users/${first.user.id}`, { role: 'agent' });
    expect(demoted.status).toBe(200);
    expect((await first.call('GET', '/api/users')).status).toBe(403);
    expect((await second.call('DELETE', `/api/users/${second.user.id}`)).status).toBe(409);
    const deleted = await second.call('DELETE', `/api/users/${first.user.id}`);
    expect(deleted.status).toBe(204);
    const audit = await AuditEntry.findOne({
      action: 'user.delete',
      targetId: first.user.id,
    }).lean();
    expect(audit).toMatchObject({
      actor: `user:${second.user.id}`,
      before: { role: 'agent', email: expect.stringMatching(/^a\*\*\*@example\.com$/) },
    });
  });
});
