/**
 * The API description: GET /api/openapi.json lists the staff auth, users and audit routes with
 * their request and response schemas (generated from the routes' zod schemas), and /api/docs
 * serves the Swagger UI page.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/app.js';

type Json = any; // eslint-disable-line @typescript-eslint/no-explicit-any

describe('OpenAPI document and docs page', () => {
  let app: TestApp;
  let doc: Json;
  beforeAll(async () => {
    app = await startTestApp();
    const res = await fetch(`${app.url}/api/openapi.json`);
    expect(res.status).toBe(200);
    doc = await res.json();
  });
  afterAll(async () => app?.stop());

  /** Follows `#/components/schemas/X` references (shared schemas such as Error, User). */
  const resolve = (schema: Json): Json =>
    schema.$ref ? doc.components.schemas[schema.$ref.split('/').pop()] : schema;
  const jsonBody = (op: Json) => resolve(op.requestBody.content['application/json'].schema);
  const response = (op: Json, status: number) =>
    resolve(op.responses[String(status)].content['application/json'].schema);

  it('lists every auth, users and audit route', () => {
    expect(doc.openapi).toMatch(/^3\./);
    const routes = Object.entries(doc.paths as Record<string, Json>).flatMap(([path, ops]) =>
      Object.keys(ops).map((m) => `${m.toUpperCase()} ${path}`),
    );
    expect(routes).toEqual(
      expect.arrayContaining([
        'POST /api/auth/login',
        'GET /api/auth/me',
        'POST /api/auth/logout',
        'GET /api/auth/setup-status',
        'POST /api/auth/setup',
        'POST /api/users',
        'GET /api/users',
        'PATCH /api/users/{id}',
        'DELETE /api/users/{id}',
        'GET /api/audit',
        'GET /api/leads',
        'GET /api/cases',
        'GET /api/messages',
        'GET /api/escalations',
        'POST /api/conversations/{id}/escalate',
        'POST /api/nlu/parse',
      ]),
    );
  });

  it('resolves every schema reference to a component', () => {
    const refs = [...JSON.stringify(doc).matchAll(/"\$ref":"#\/components\/schemas\/([^"]+)"/g)];
    expect(refs.length).toBeGreaterThan(0);
    const missing = refs.map((m) => m[1]!).filter((name) => !doc.components?.schemas?.[name]);
    expect(missing).toEqual([]);
  });

  it('describes request and response bodies from the zod schemas', () => {
    const login = doc.paths['/api/auth/login'].post;
    expect(jsonBody(login).required).toEqual(expect.arrayContaining(['email', 'password']));
    // A session, or (two-factor) the pending second step.
    const [session, pending] = response(login, 200).anyOf.map(resolve);
    expect(Object.keys(session.properties)).toEqual(['user', 'csrfToken']);
    expect(Object.keys(pending.properties)).toEqual([
      'twoFactor',
      'pendingToken',
      'expiresInSeconds',
    ]);
    expect(Object.keys(response(login, 401).properties.error.properties)).toEqual(
      expect.arrayContaining(['code', 'message']),
    );

    const create = doc.paths['/api/users'].post;
    expect(jsonBody(create).properties.password.minLength).toBe(12);
    expect(jsonBody(create).properties.role.enum).toEqual(['admin', 'marketer', 'agent', 'viewer']);
    expect(jsonBody(create).required).toEqual(['email', 'name', 'role']);
    expect(Object.keys(response(create, 201).properties)).toEqual([
      'id',
      'email',
      'name',
      'role',
      'invitation',
      'invitationExpiresAt',
      'temporaryPassword',
    ]);

    const patch = doc.paths['/api/users/{id}'].patch;
    expect(Object.keys(jsonBody(patch).properties)).toEqual(
      expect.arrayContaining(['role', 'name', 'disabled']),
    );
    expect(patch.parameters.map((p: Json) => [p.in, p.name])).toContainEqual(['path', 'id']);

    const audit = doc.paths['/api/audit'].get;
    expect(audit.parameters.map((p: Json) => p.name)).toEqual(
      expect.arrayContaining(['actor', 'action', 'target', 'from', 'to', 'limit', 'offset']),
    );
    expect(Object.keys(response(audit, 200).properties)).toEqual(['items', 'total']);
  });

  it('describes the admin list routes: their filters and items', () => {
    const leads = doc.paths['/api/leads'].get;
    const status = leads.parameters.find((p: Json) => p.name === 'status');
    expect(status.in).toBe('query');
    expect(JSON.stringify(status.schema)).toContain('qualified');
    const item = resolve(response(leads, 200).properties.items.items);
    expect(Object.keys(item.properties)).toEqual(
      expect.arrayContaining(['id', 'email', 'status', 'channel', 'createdAt']),
    );
    const parse = doc.paths['/api/nlu/parse'].post;
    expect(jsonBody(parse).required).toEqual(['text']);
    expect(Object.keys(response(parse, 200).properties)).toEqual([
      'intent',
      'confidence',
      'language',
      'entities',
    ]);
  });

  it('serves the Swagger UI at /api/docs', async () => {
    const res = await fetch(`${app.url}/api/docs`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/text\/html/);
    expect(await res.text()).toMatch(/swagger/i);
  });
});
