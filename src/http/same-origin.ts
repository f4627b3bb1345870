/**
 * Browser requests that change state must come from the console itself, as JSON. A cross-site
 * page can make a browser send a form (urlencoded, multipart or text/plain) with the visitor's
 * cookies, or sign them into another account (login CSRF); it cannot make it send
 * `application/json` without a CORS preflight, nor forge `Origin` or `Sec-Fetch-Site`.
 *
 * Checked (before the body is read) on every POST/PUT/PATCH/DELETE of sign-in (`/api/auth/*`)
 * and of every staff route a browser would authenticate with its cookie (no `Authorization`
 * header; src/http/guard.ts):
 *   - a body must be `application/json` (or `+json`, or a type the route lists in
 *     `config.bodyTypes`, e.g. the studio's CSV import): else 415 `unsupported_media_type`;
 *   - `Origin`, when sent, must be PUBLIC_URL's origin (without PUBLIC_URL: this server's own,
 *     from the Host header); without `Origin`, `Sec-Fetch-Site` must not be `cross-site` or
 *     `same-site`: else 403 `cross_site`.
 * Clients that are not browsers (the admin token, curl, the tests) send neither header and pass.
 */
import type { FastifyRequest } from 'fastify';
import { HttpError } from './errors.js';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Media types besides JSON this route takes from a browser session (e.g. `text/csv`). */
    bodyTypes?: string[];
  }
  interface FastifyInstance {
    /** PUBLIC_URL's origin (`https://crm.example.com`), when configured. */
    publicOrigin?: string;
  }
}

const STATE_CHANGING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
const JSON_TYPE = /^application\/(?:[a-z0-9!#$&^_.-]+\+)?json$/;

/** `https://crm.example.com/path` → `https://crm.example.com`; undefined when not a URL. */
export function originOf(url: string | undefined): string | undefined {
  if (!url) return undefined;
  try {
    return new URL(url).origin;
  } catch {
    return undefined;
  }
}

const header = (req: FastifyRequest, name: string): string | undefined => {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
};

function hasBody(req: FastifyRequest): boolean {
  const length = header(req, 'content-length');
  return (
    header(req, 'content-type') !== undefined ||
    header(req, 'transfer-encoding') !== undefined ||
    (length !== undefined && length !== '0')
  );
}

function assertJsonBody(req: FastifyRequest): void {
  if (!hasBody(req)) return;
  const type = (header(req, 'content-type') ?? '').split(';')[0]!.trim().toLowerCase();
  if (JSON_TYPE.test(type)) return;
  if (req.routeOptions.config?.bodyTypes?.includes(type)) return;
  throw new HttpError(415, 'unsupported_media_type', 'Send the request body as application/json.');
}

function assertSameOrigin(req: FastifyRequest): void {
  const origin = header(req, 'origin');
  const expected = req.server.publicOrigin ?? `${req.protocol}://${req.host}`;
  const site = header(req, 'sec-fetch-site');
  const crossSite =
    origin !== undefined ? origin !== expected : site === 'cross-site' || site === 'same-site';
  if (crossSite) {
    throw new HttpError(
      403,
      'cross_site',
      'This request came from another site; sign in and work from the console itself.',
    );
  }
}

/** Throws 415 or 403 for a state-changing browser request that is not same-origin JSON. */
export function assertSameOriginJson(req: FastifyRequest): void {
  if (!STATE_CHANGING.has(req.method)) return;
  assertSameOrigin(req);
  assertJsonBody(req);
}

/** onRequest hook for the sign-in routes (`/api/auth/*`), which check their own credentials. */
export async function sameOriginSignIn(req: FastifyRequest): Promise<void> {
  if (req.url.startsWith('/api/auth/')) assertSameOriginJson(req);
}
