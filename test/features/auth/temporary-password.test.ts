/**
 * An admin's temporary password against a real Charla (FerretDB, Redis): the admin sets one (or
 * has one generated), the user's sessions end, signing in with it gives a session that can do
 * nothing but change the password (403 password_change_required everywhere else, /me says so),
 * a wrong current password is a 400 that keeps the session, and the new password clears the
 * flag. Non-admins are refused; everything is audited without the password.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuditEntry } from '../../../src/kernel/db/models/audit-entry.js';
import { User } from '../../../src/kernel/db/models/user.js';
import { startTestApp, type TestApp } from '../../support/app.js';
import {
  asAdminToken,
  call,
  PASSWORD,
  signIn,
  staffWithRole,
  type Json,
  type Staff,
} from './staff-client.js';

describe('temporary password set by an admin', () => {
  let app: TestApp;
  let admin: Staff;
  let agent: Staff;

  beforeAll(async () => {
    app = await startTestApp();
    [admin, agent] = await Promise.all([staffWithRole(app, 'admin'), staffWithRole(app, 'agent')]);
  });
  afterAll(async () => app?.stop());

  it('generates a password, ends the sessions and forces a change before anything else', async () => {
    const res = await admin.call('POST', `/api/users/${agent.user.id}/temporary-password`, {});
    expect(res.status).toBe(200);
    const temporary = res.body.temporaryPassword as string;
    expect(temporary).toMatch(/^[a-z2-9]{4}(-[a-z2-9]{4}){3}$/);
    expect(res.body.user.mustChangePassword).toBe(true);
    // The old session ended; the old password no longer works.
    expect((await agent.call('GET', '/api/conversations')).status).toBe(401);
    const old = await call(app, 'POST', '/api/auth/login', {
      body: { email: agent.user.email, password: PASSWORD },
    });
    expect(old.status).toBe(401);

    const forced = await signIn(app, agent.user.email, temporary);
    const me = await forced.call('GET', '/api/auth/me');
    expect(me.body.user.mustChangePassword).toBe(true);
    for (const [method, path] of [
      ['GET', '/api/conversations'],
      ['GET', '/api/contacts'],
      ['PUT', '/api/assignment/presence'],
    ] as const) {
      const refused = await forced.call(
        method,
        path,
        method === 'PUT' ? { status: 'away' } : undefined,
      );
      expect(refused.status, path).toBe(403);
      expect(refused.body.error.code).toBe('password_change_required');
    }

    const wrong = await forced.call('POST', '/api/auth/change-password', {
      currentPassword: 'not the one',
      newPassword: 'a brand new password',
    });
    expect(wrong.status).toBe(400);
    expect(wrong.body.error.code).toBe('wrong_password');
    const same = await forced.call('POST', '/api/auth/change-password', {
      currentPassword: temporary,
      newPassword: temporary,
    });
    expect(same.body.error.code).toBe('same_password');
    const short = await forced.call('POST', '/api/auth/change-password', {
      currentPassword: temporary,
      newPassword: 'short',
    });
    expect(short.status).toBe(400);
    expect((await User.findById(agent.user.id).lean<Json>()).mustChangePassword).toBe(true);

    const changed = await forced.call('POST', '/api/auth/change-password', {
      currentPassword: temporary,
      newPassword: 'a brand new password',
    });
    expect(changed.status).toBe(200);
    expect(changed.body.user.mustChangePassword).toBe(false);
    // The forced session ended with the change; the new one (its cookie) works.
    expect((await forced.call('GET', '/api/conversations')).status).toBe(401);
    const cookie = changed.headers
      .getSetCookie()
      .find((c) => c.startsWith('charla_session='))!
      .split(';')[0]!;
    const list = await call(app, 'GET', '/api/conversations', { headers: { cookie } });
    expect(list.status).toBe(200);
    expect((await signIn(app, agent.user.email, 'a brand new password')).user.id).toBe(
      agent.user.id,
    );

    const audits = await AuditEntry.find({ targetId: agent.user.id })
      .sort({ _id: 1 })
      .lean<Json[]>();
    const actions = audits.map((a) => a.action);
    expect(actions).toContain('user.temporary_password');
    expect(actions).toContain('user.password_change');
    const set = audits.find((a) => a.action === 'user.temporary_password');
    expect(set.actor).toBe(`user:${admin.user.id}`);
    expect(set.details).toMatchObject({ generated: true });
    expect(JSON.stringify(audits)).not.toContain(temporary);
  });

  it('takes a password the admin chose, and refuses non-admins and the admin themself', async () => {
    const viewer = await staffWithRole(app, 'viewer');
    const chosen = await call(app, 'POST', `/api/users/${viewer.user.id}/temporary-password`, {
      body: { password: 'chosen-by-the-admin' },
      headers: asAdminToken,
    });
    expect(chosen.status).toBe(200);
    expect(chosen.body.temporaryPassword).toBeNull();
    const forced = await signIn(app, viewer.user.email, 'chosen-by-the-admin');
    expect((await forced.call('GET', '/api/contacts')).body.error.code).toBe(
      'password_change_required',
    );

    const marketer = await staffWithRole(app, 'marketer');
    const refused = await marketer.call(
      'POST',
      `/api/users/${viewer.user.id}/temporary-password`,
      {},
    );
    expect(refused.status).toBe(403);
    const self = await admin.call('POST', `/api/users/${admin.user.id}/temporary-password`, {});
    expect(self.status).toBe(409);
    expect(self.body.error.code).toBe('own_account');
    const tooShort = await admin.call('POST', `/api/users/${viewer.user.id}/temporary-password`, {
      password: 'short',
    });
    expect(tooShort.status).toBe(400);
    const missing = await admin.call(
      'POST',
      '/api/users/000000000000000000000000/temporary-password',
      {},
    );
    expect(missing.status).toBe(404);
  });
});
