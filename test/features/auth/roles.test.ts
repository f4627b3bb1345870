/**
 * Role enforcement, table-driven: every role (signed in with a real session cookie), the
 * ADMIN_TOKEN bearer and an anonymous caller against every staff route group → the expected
 * status. Allowed callers get the route's own answer (200, or 404/400 for the probe inputs),
 * refused ones 403, anonymous ones 401.
 */
import { Types } from 'mongoose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Role } from '../../../src/kernel/roles.js';
import { startTestApp, type TestApp } from '../../support/app.js';
import { asAdminToken, call, staffWithRole, type Staff } from './staff-client.js';

const unknownId = new Types.ObjectId().toHexString();

interface RouteGroup {
  name: string;
  method: 'GET' | 'POST';
  path: string;
  body?: unknown;
  /** Roles besides admin that may call it. */
  roles: Role[];
  /** What an allowed caller gets for this probe. */
  allowed: number;
}

const GROUPS: RouteGroup[] = [
  { name: 'leads', method: 'GET', path: '/api/leads', roles: ['marketer', 'viewer'], allowed: 200 },
  { name: 'cases', method: 'GET', path: '/api/cases', roles: ['agent', 'viewer'], allowed: 200 },
  {
    name: 'messages',
    method: 'GET',
    path: '/api/messages?status=failed',
    roles: ['agent', 'marketer', 'viewer'],
    allowed: 200,
  },
  {
    name: 'conversation',
    method: 'GET',
    path: `/api/conversations/${unknownId}`,
    roles: ['agent', 'marketer', 'viewer'],
    allowed: 404,
  },
  {
    name: 'escalations',
    method: 'GET',
    path: '/api/escalations',
    roles: ['agent', 'marketer', 'viewer'],
    allowed: 200,
  },
  {
    name: 'escalate',
    method: 'POST',
    path: `/api/conversations/${unknownId}/escalate`,
    roles: ['agent'],
    allowed: 404,
  },
  {
    name: 'nlu parse',
    method: 'POST',
    path: '/api/nlu/parse',
    body: { text: 'hola' },
    roles: [],
    allowed: 200,
  },
  { name: 'users list', method: 'GET', path: '/api/users', roles: [], allowed: 200 },
  {
    name: 'users create',
    method: 'POST',
    path: '/api/users',
    body: { email: 'not-an-email' },
    roles: [],
    allowed: 400,
  },
  { name: 'audit', method: 'GET', path: '/api/audit', roles: [], allowed: 200 },
  { name: 'metrics', method: 'GET', path: '/metrics', roles: [], allowed: 200 },
];

const ROLES: Role[] = ['admin', 'marketer', 'agent', 'viewer'];

describe('role enforcement on every staff route group', () => {
  let app: TestApp;
  const staff = new Map<Role, Staff>();

  beforeAll(async () => {
    app = await startTestApp();
    for (const role of ROLES) staff.set(role, await staffWithRole(app, role));
  });
  afterAll(async () => app?.stop());

  it.each(GROUPS)('$name: each role, the bearer and nobody', async (group) => {
    const results: Record<string, number> = {};
    const expected: Record<string, number> = {};
    for (const role of ROLES) {
      const res = await staff.get(role)!.call(group.method, group.path, group.body);
      results[role] = res.status;
      expected[role] = role === 'admin' || group.roles.includes(role) ? group.allowed : 403;
      if (res.status === 403) expect(res.body.error.code).toBe('forbidden');
    }
    const bearer = await call(app, group.method, group.path, {
      body: group.body,
      headers: asAdminToken,
    });
    results.bearer = bearer.status;
    expected.bearer = group.allowed;
    const anonymous = await call(app, group.method, group.path, { body: group.body });
    results.anonymous = anonymous.status;
    expected.anonymous = 401;
    expect(anonymous.body.error.code).toBe('unauthorized');
    expect(results).toEqual(expected);
  });

  it('PATCH and DELETE /api/users/:id are admin only', async () => {
    for (const method of ['PATCH', 'DELETE']) {
      for (const role of ROLES) {
        const body = method === 'PATCH' ? { name: 'X' } : undefined;
        const res = await staff.get(role)!.call(method, `/api/users/${unknownId}`, body);
        expect(res.status, `${method} as ${role}`).toBe(role === 'admin' ? 404 : 403);
      }
      expect((await call(app, method, `/api/users/${unknownId}`)).status).toBe(401);
    }
  });

  it('refuses a forbidden write before looking at it, and changes nothing', async () => {
    const before = await call(app, 'GET', '/api/users', { headers: asAdminToken });
    const res = await staff.get('marketer')!.call('POST', '/api/users', {
      email: 'sneaky@example.com',
      name: 'S',
      role: 'admin',
      password: 'long enough password',
    });
    expect(res.status).toBe(403);
    const after = await call(app, 'GET', '/api/users', { headers: asAdminToken });
    expect(after.body.total).toBe(before.body.total);
  });

  it('checks who is calling before validating the request', async () => {
    expect((await call(app, 'GET', '/api/leads?limit=abc')).status).toBe(401);
    expect((await staff.get('agent')!.call('GET', '/api/leads?limit=abc')).status).toBe(403);
    expect((await staff.get('viewer')!.call('GET', '/api/leads?limit=abc')).status).toBe(400);
  });
});
