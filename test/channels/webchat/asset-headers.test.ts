/**
 * The demo page carries a Content-Security-Policy and may only be framed by its own origin; the
 * widget script stays embeddable on any site.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../support/app.js';

let app: TestApp;

beforeAll(async () => {
  app = await startTestApp();
});
afterAll(async () => {
  await app?.stop();
});

it('serves the demo page with a CSP and frame-ancestors self', async () => {
  const res = await fetch(`${app.url}/`);
  expect(res.status).toBe(200);
  const csp = res.headers.get('content-security-policy') ?? '';
  const directives = new Map(
    csp.split(';').map((d) => {
      const [name = '', ...values] = d.trim().split(/\s+/);
      return [name, values.join(' ')] as const;
    }),
  );
  expect(directives.get('frame-ancestors')).toBe("'self'");
  expect(directives.get('script-src')).toBe("'self'");
  expect(directives.get('object-src')).toBe("'none'");
  expect(directives.get('default-src')).toBe("'self'");
  expect(res.headers.get('x-frame-options')).toBe('SAMEORIGIN');
});

it('serves the widget script without frame or CSP restrictions', async () => {
  const res = await fetch(`${app.url}/widget.js`);
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toMatch(/^text\/javascript/);
  expect(res.headers.get('content-security-policy')).toBeNull();
  expect(res.headers.get('x-frame-options')).toBeNull();
  expect(res.headers.get('cross-origin-resource-policy')).toBe('cross-origin');
});
