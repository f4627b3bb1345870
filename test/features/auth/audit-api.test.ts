/**
 * GET /api/audit against a real Charla: newest first, each filter (actor, action exact and by
 * family, target, from/to), paging, 400 for a bad date, admin only; entries carry masked fields.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordAudit } from '../../../src/kernel/audit.js';
import { startTestApp, type TestApp } from '../../support/app.js';
import { asAdminToken, call, staffWithRole, type Json, type Staff } from './staff-client.js';

describe('GET /api/audit', () => {
  let app: TestApp;
  let admin: Staff;
  let start: string;
  const audit = async (query: string) => {
    const res = await call(app, 'GET', `/api/audit${query}`, { headers: asAdminToken });
    expect(res.status, `${query}: ${JSON.stringify(res.body)}`).toBe(200);
    return res.body as { items: Json[]; total: number };
  };

  beforeAll(async () => {
    app = await startTestApp();
    start = new Date().toISOString();
    admin = await staffWithRole(app, 'admin'); // user.create (by token) + auth.login
    const viewer = await staffWithRole(app, 'viewer');
    await admin.call('PATCH', `/api/users/${viewer.user.id}`, { role: 'agent' });
    await recordAudit({
      actor: 'system',
      action: 'lead.update',
      targetType: 'lead',
      targetId: 'lead-1',
      before: { status: 'new', email: 'lena@example.com', phone: '+34600111222' },
      after: { status: 'won', email: 'lena@example.org', phone: '+34600111233' },
    });
  });
  afterAll(async () => app?.stop());

  it('lists entries newest first with their shape', async () => {
    const { items, total } = await audit('');
    expect(total).toBe(items.length);
    expect(items.length).toBeGreaterThanOrEqual(6);
    const times = items.map((i) => Date.parse(i.at));
    expect([...times].sort((a, b) => b - a)).toEqual(times);
    expect(items[0]).toEqual({
      id: expect.stringMatching(/^[0-9a-f]{24}$/),
      at: expect.any(String),
      actor: 'system',
      actorName: null,
      action: 'lead.update',
      targetType: 'lead',
      targetId: 'lead-1',
      targetName: null,
      names: {},
      before: { status: 'new', email: 'l***@example.com', phone: '***22' },
      after: { status: 'won', email: 'l***@example.org', phone: '***33' },
      details: null,
    });
  });

  it('filters by actor, action, target and time', async () => {
    const byUser = await audit(`?actor=${admin.user.id}`);
    expect(byUser.items.length).toBeGreaterThan(0);
    expect(new Set(byUser.items.map((i) => i.actor))).toEqual(new Set([`user:${admin.user.id}`]));
    expect((await audit(`?actor=user:${admin.user.id}`)).total).toBe(byUser.total);
    expect(byUser.items[0].actorName).toBe(admin.user.name);

    const creates = await audit('?action=user.create');
    expect(creates.total).toBe(2);
    expect(
      creates.items.every((i) => i.action === 'user.create' && i.actor === 'admin-token'),
    ).toBe(true);
    const userFamily = await audit('?action=user');
    expect(new Set(userFamily.items.map((i) => i.action))).toEqual(
      new Set(['user.create', 'user.update']),
    );

    const onLead = await audit('?target=lead:lead-1');
    expect(onLead.items.map((i) => i.action)).toEqual(['lead.update']);
    expect((await audit('?target=lead-1')).total).toBe(1);
    expect((await audit('?target=lead')).total).toBe(1);

    expect((await audit(`?from=${encodeURIComponent(start)}`)).total).toBe((await audit('')).total);
    expect((await audit('?to=2000-01-01')).total).toBe(0);
    // A date alone as `to` means the whole day; minutes without seconds are fine.
    const today = new Date().toISOString().slice(0, 10);
    expect((await audit(`?to=${today}`)).total).toBe((await audit('')).total);
    expect((await audit(`?from=${today}T00:00`)).total).toBe((await audit('')).total);
    const future = new Date(Date.now() + 3600_000).toISOString();
    expect((await audit(`?from=${encodeURIComponent(future)}`)).total).toBe(0);
    expect((await audit('?actor=&action=&target=')).total).toBe((await audit('')).total);
  });

  it('finds a staff member by name or email, and names targets and staff ids in the changes', async () => {
    const marta = await staffWithRole(app, 'marketer');
    await admin.call('PATCH', `/api/users/${marta.user.id}`, { name: 'Marta Ruiz' });
    await marta.call('GET', '/api/auth/me');
    await recordAudit({
      actor: `user:${marta.user.id}`,
      action: 'lead.update',
      targetType: 'Lead',
      targetId: 'lead-2',
      before: { owner: null },
      after: { owner: admin.user.id },
    });
    const byName = await audit('?actor=marta');
    expect(byName.total).toBeGreaterThanOrEqual(1);
    expect(new Set(byName.items.map((i) => i.actor))).toEqual(new Set([`user:${marta.user.id}`]));
    expect((await audit(`?actor=${encodeURIComponent(marta.user.email)}`)).total).toBe(
      byName.total,
    );
    expect((await audit('?actor=nobody-called-this')).total).toBe(0);
    const [ownerChange] = byName.items.filter((i) => i.action === 'lead.update');
    expect(ownerChange?.names).toEqual({ [admin.user.id]: admin.user.name });
    // The rename of Marta is an entry whose target is her user: shown by name.
    const renamed = (await audit(`?target=${marta.user.id}&action=user.update`)).items[0];
    expect(renamed?.targetName).toBe('Marta Ruiz');
  });

  it('pages with limit and offset', async () => {
    const all = await audit('?limit=200');
    const page = await audit('?limit=2&offset=1');
    expect(page.total).toBe(all.total);
    expect(page.items.map((i) => i.id)).toEqual(all.items.slice(1, 3).map((i) => i.id));
  });

  it('answers 400 for a bad date or limit, and 403 for a non-admin', async () => {
    for (const q of ['?from=yesterday', '?to=2026-13-40', '?from=2026-02-30T25:00', '?limit=0']) {
      const res = await call(app, 'GET', `/api/audit${q}`, { headers: asAdminToken });
      expect(res.status, q).toBe(400);
      expect(res.body.error.code).toBe('invalid_request');
    }
    const marketer = await staffWithRole(app, 'marketer');
    expect((await marketer.call('GET', '/api/audit')).status).toBe(403);
  });
});
