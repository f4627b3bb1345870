/**
 * The OpenAPI document lints clean with a standard linter (Redocly's `recommended` rules): no
 * errors — every operation declares its security (the staff session or the admin token for
 * guarded routes, none for public ones), has a summary and an operationId, and no path
 * parameter is undefined. Warnings are allowed only of the kinds listed (with why), so a new
 * kind of problem fails here.
 */
import { createConfig, lintFromString, type NormalizedProblem } from '@redocly/openapi-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/app.js';

type Json = any; // eslint-disable-line @typescript-eslint/no-explicit-any

/** Warnings we accept, and why. */
const ACCEPTED_WARNINGS = new Set([
  // /healthz, /readyz, setup-status and the public web chat routes have no 4xx of their own.
  'operation-4xx-response',
  // /metrics and the CSV exports answer text, not a JSON body the document describes.
  'operation-2xx-response',
  // Named schemas every feature registers, some used only by the console's types.
  'no-unused-components',
  // zod's union of two enums of intent names that happen to be equal in JSON Schema.
  'no-illogical-composition-keywords',
]);

const describeProblem = (p: NormalizedProblem) =>
  `${p.severity} ${p.ruleId}: ${p.message} @ ${p.location[0]?.pointer ?? '?'}`;

describe('OpenAPI document lint', () => {
  let app: TestApp;
  let text = '';
  let problems: NormalizedProblem[] = [];
  beforeAll(async () => {
    app = await startTestApp();
    text = await (await fetch(`${app.url}/api/openapi.json`)).text();
    const config = await createConfig({ extends: ['recommended'] });
    problems = await lintFromString({ source: text, absoluteRef: 'openapi.json', config });
  });
  afterAll(async () => app?.stop());

  it("has no errors under Redocly's recommended rules", () => {
    expect(problems.filter((p) => p.severity === 'error').map(describeProblem)).toEqual([]);
  });

  it('has only the accepted kinds of warnings', () => {
    const unexpected = problems.filter((p) => !ACCEPTED_WARNINGS.has(p.ruleId));
    expect(unexpected.map(describeProblem)).toEqual([]);
  });

  it('says which routes need a staff session or the admin token, and who may call them', () => {
    const doc: Json = JSON.parse(text);
    const cases = doc.paths['/api/cases'].get;
    expect(cases.security).toEqual([{ session: [] }, { adminToken: [] }]);
    expect(cases.description).toMatch(/Roles: admin, agent/);
    expect(Object.keys(cases.responses)).toEqual(expect.arrayContaining(['401', '403']));
    expect(doc.paths['/api/auth/login'].post.security).toEqual([]);
    expect(doc.paths['/api/webchat/sessions'].post.security).toEqual([]);
    const ids = Object.values(doc.paths as Record<string, Json>).flatMap((ops) =>
      Object.values(ops as Record<string, Json>).map((op) => op.operationId),
    );
    expect(new Set(ids).size).toBe(ids.length);
    expect(doc.paths['/api/cases/{id}'].get.operationId).toBe('getApiCasesById');
  });
});
